/**
 * Matrix factorisation trained with a pairwise or pointwise loss.
 * BPR-MF: Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009.
 *   score (eq. 7 with x_ui = <w_u, h_i>):  x_ui = p_u . q_i
 *   objective (eq. 4):  sum -ln sigma(x_ui - x_uj) + lambda ||Theta||^2
 * Regularisation follows the LightGCN reference code: lambda/2 (|p_u|^2+|q_i|^2+|q_j|^2) / batch.
 * Gradients are derived by hand (see test/unit/models/mf.test.ts for the finite-difference check).
 */
import { Pool } from '../engine/pool.js';
import type { Rng } from '../engine/rng.js';
import { Adam } from '../train/adam.js';
import {
  learningRateSchedule,
  LR_SCHEDULE_DEFAULTS,
  type LearningRateAt,
} from '../train/lrSchedule.js';
import { PAIR_LOSSES, type PairLoss } from '../train/losses.js';
import { sampleTriples, type NegativeSampler, type Triples } from '../train/samplers.js';
import { dotRanker } from './rankers.js';
import type { Embeddings, Hyperparameters, ModelContext, TrainableModel } from './types.js';
import type { TopKRanker } from '../eval/ranking.js';
import { sortRows } from '../data/csr.js';
import type { Csr } from '../data/types.js';
import { InputError } from '../util/errors.js';
import {
  LIGHTGCN_CODE_HYPER,
  LR_SCHEDULE_HYPER,
  PAIRWISE_HYPER,
  type HyperDeclarations,
} from './hyperparameters.js';

export const MF_DEFAULTS = {
  dim: 64,
  lr: 0.001,
  ...LR_SCHEDULE_DEFAULTS,
  /** L2 weight on the batch's embeddings (LightGCN code's `decay`) */
  reg: 1e-4,
  batchSize: 2048,
  loss: 'bpr',
  negatives: 1,
  sampler: 'uniform',
  /** standard deviation of the normal initialisation (the LightGCN code's 0.1) */
  initStd: 0.1,
} satisfies Hyperparameters;

export const MF_HYPER = {
  ...LIGHTGCN_CODE_HYPER,
  ...LR_SCHEDULE_HYPER,
  ...PAIRWISE_HYPER,
} satisfies HyperDeclarations<typeof MF_DEFAULTS>;

export type MfHyper = typeof MF_DEFAULTS;

export class MatrixFactorization implements TrainableModel {
  readonly name: string = 'mf';
  readonly dim: number;
  readonly users: Float32Array;
  readonly items: Float32Array;
  private readonly hp: MfHyper;
  private readonly loss: PairLoss;
  private readonly userItems: Csr;
  private readonly itemUsers: Csr;
  private readonly adamUsers: Adam;
  private readonly adamItems: Adam;
  private readonly lrAt: LearningRateAt;
  private readonly gUsers: Float32Array;
  private readonly gItems: Float32Array;
  private triples: Triples | undefined;
  /** the evaluation's worker threads, started at the first ranker() (training needs none) */
  private pool: Pool | undefined;

  constructor(ctx: ModelContext, hyper: Partial<MfHyper>) {
    this.hp = { ...MF_DEFAULTS, ...hyper };
    const { dim, initStd } = this.hp;
    const loss = PAIR_LOSSES[this.hp.loss];
    if (!loss)
      throw new InputError(
        { file: 'model config', text: this.hp.loss },
        `loss one of ${Object.keys(PAIR_LOSSES).join(', ')}`,
      );
    this.loss = loss;
    this.dim = dim;
    const { nUsers, nItems } = ctx.train;
    this.users = normalInit(nUsers * dim, initStd, ctx.rng);
    this.items = normalInit(nItems * dim, initStd, ctx.rng);
    this.userItems = sortRows({ ...ctx.trainCsr, indices: ctx.trainCsr.indices.slice() });
    this.itemUsers = ctx.trainCsrT;
    this.lrAt = learningRateSchedule(this.hp, this.name);
    this.adamUsers = new Adam(this.users.length, { lr: this.hp.lr });
    this.adamItems = new Adam(this.items.length, { lr: this.hp.lr });
    this.gUsers = new Float32Array(this.users.length);
    this.gItems = new Float32Array(this.items.length);
  }

  beginEpoch(epoch: number, rng: Rng): void {
    this.adamUsers.lr = this.adamItems.lr = this.lrAt(epoch);
    this.triples = sampleTriples(
      this.userItems,
      rng,
      { negatives: this.hp.negatives, sampler: this.hp.sampler as NegativeSampler },
      this.itemUsers,
    );
  }

  learningRate(): number {
    return this.adamUsers.lr;
  }

  batchesPerEpoch(): number {
    return this.triples ? Math.ceil(this.triples.users.length / this.hp.batchSize) : 0;
  }

  trainStep(b: number): number {
    const t = this.triples;
    if (!t) throw new Error('beginEpoch must run before trainStep');
    const start = b * this.hp.batchSize;
    const end = Math.min(start + this.hp.batchSize, t.users.length);
    const loss = this.lossAndGradient(
      t.users.subarray(start, end),
      t.pos.subarray(start, end),
      t.neg.subarray(start * t.negatives, end * t.negatives),
      t.negatives,
    );
    this.adamUsers.step(this.users, this.gUsers);
    this.adamItems.step(this.items, this.gItems);
    return loss;
  }

  /**
   * Loss of one batch; leaves dLoss/dP and dLoss/dQ in gUsers/gItems (zero outside the batch).
   * Each positive is paired with each of its negatives.
   */
  lossAndGradient(users: Int32Array, pos: Int32Array, neg: Int32Array, negatives: number): number {
    const { dim, users: P, items: Q, gUsers, gItems } = this;
    const B = users.length;
    const pairs = B * negatives;
    const sPos = new Float32Array(pairs);
    const sNeg = new Float32Array(pairs);
    for (let p = 0; p < pairs; p++) {
      const s = Math.floor(p / negatives);
      sPos[p] = dot(P, users[s] * dim, Q, pos[s] * dim, dim);
      sNeg[p] = dot(P, users[s] * dim, Q, neg[p] * dim, dim);
    }
    const gPos = new Float32Array(pairs);
    const gNeg = new Float32Array(pairs);
    let loss = this.loss(sPos, sNeg, gPos, gNeg);
    gUsers.fill(0);
    gItems.fill(0);
    for (let p = 0; p < pairs; p++) {
      const s = Math.floor(p / negatives);
      const u = users[s] * dim;
      const i = pos[s] * dim;
      const j = neg[p] * dim;
      // d x_ui / d p_u = q_i, d x_ui / d q_i = p_u (and likewise for j)
      for (let k = 0; k < dim; k++) {
        gUsers[u + k] += gPos[p] * Q[i + k] + gNeg[p] * Q[j + k];
        gItems[i + k] += gPos[p] * P[u + k];
        gItems[j + k] += gNeg[p] * P[u + k];
      }
    }
    // L2 on the batch's embeddings: reg/2 (|p_u|^2 + |q_i|^2 + |q_j|^2) / B, per pair as in the reference
    const { reg } = this.hp;
    let l2 = 0;
    for (let p = 0; p < pairs; p++) {
      const s = Math.floor(p / negatives);
      const rows: [Float32Array, Float32Array, number][] = [
        [P, gUsers, users[s] * dim],
        [Q, gItems, pos[s] * dim],
        [Q, gItems, neg[p] * dim],
      ];
      for (const [W, G, o] of rows) {
        for (let k = 0; k < dim; k++) {
          l2 += W[o + k] * W[o + k];
          G[o + k] += (reg * W[o + k]) / pairs;
        }
      }
    }
    loss += (reg * 0.5 * l2) / pairs;
    return loss;
  }

  embeddings(): Embeddings {
    return { dim: this.dim, users: this.users, items: this.items };
  }

  /**
   * Ranks on a pool the model keeps from its first evaluation to dispose(), as LightGCN ranks
   * on its training pool: a pool per evaluation spent 0.3 s starting workers on ml-100k.
   */
  ranker(threads: number): TopKRanker {
    this.pool ??= new Pool({ threads: Math.max(1, threads) });
    return dotRanker(this.embeddings(), threads, this.pool);
  }

  async dispose(): Promise<void> {
    await this.pool?.dispose();
    this.pool = undefined;
  }

  state(): Record<string, Float32Array> {
    return {
      users: this.users,
      items: this.items,
      ...this.adamUsers.state('adam.users'),
      ...this.adamItems.state('adam.items'),
    };
  }

  load(state: Record<string, Float32Array>): void {
    this.users.set(state.users);
    this.items.set(state.items);
    this.adamUsers.load('adam.users', state);
    this.adamItems.load('adam.items', state);
  }
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += a[ao + k] * b[bo + k];
  return s;
}

export function normalInit(n: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * std;
  return out;
}
