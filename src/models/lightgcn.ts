/**
 * LightGCN. He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
 * Recommendation", SIGIR 2020.
 *   propagation (eq. 7, matrix form):  E(k+1) = Ã E(k),  Ã = D^-1/2 A D^-1/2, no self-loops
 *   layer combination (eq. 4/8):        E = sum_{k=0..K} alpha_k E(k),  alpha_k = 1/(K+1)
 * with two of LightGCN++'s remedies as options (Lee, Kim & Shin, "Revisiting LightGCN:
 * Unexpected Inflexibility, Inconsistency, and A Remedy Towards Improved Recommendation",
 * RecSys 2024; their code geon0325/LightGCNpp):
 *   neighbour weights:  Ã = D^-normAlpha A D^-normBeta, the edge i -> u weighing
 *                       1 / (|N_u|^normAlpha |N_i|^normBeta)  (LightGCN: 1/2, 1/2)
 *   pooling:            E = gamma E(0) + (1 - gamma) / K sum_{k=1..K} E(k)  (LightGCN: 1/(K+1))
 *   embedding norms:    E(k+1) = Ã N(E(k)), N dividing each row by its L2 norm (their code:
 *                       all_emb / (||all_emb|| + 1e-12) before each propagation), when
 *                       normEmbeddings; the pooling adds the E(k) themselves
 * LightGCN++ is all three: normAlpha 0.6, normBeta -0.1, gamma 0.2, normEmbeddings on Gowalla.
 *   prediction (eq. 5):                 y_ui = e_u . e_i
 *   loss (eq. 15):                      BPR + lambda ||E(0)||^2 on the batch's ego embeddings
 * as the reference code computes it: reg = lambda/2 (|e0_u|^2+|e0_i|^2+|e0_j|^2) / batch,
 * Adam, normal(0, 0.1) initialisation, one (u, i, j) per training interaction per epoch.
 *
 * Forward and backward are fused by hand over the engine's sparse kernels (gradients derived
 * below and checked against finite differences in test/unit/models/lightgcn.test.ts), with
 * the exact savings of the findings: the last layer is computed for the batch's nodes only,
 * and the first backward hop is a scatter from those nodes. K=3 costs 4 full SpMMs per batch.
 */
import { sortRows } from '../data/csr.js';
import type { Csr } from '../data/types.js';
import { Pool } from '../engine/pool.js';
import type { Rng } from '../engine/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { normalizedAdjacency } from '../graph/adjacency.js';
import type { NormalizedAdjacency } from '../graph/types.js';
import type { DeviceCsr } from '../engine/pool.js';
import { PAIR_LOSSES, type PairLoss } from '../train/losses.js';
import {
  learningRateSchedule,
  LR_SCHEDULE_DEFAULTS,
  type LearningRateAt,
} from '../train/lrSchedule.js';
import { PoolAdam } from '../train/poolAdam.js';
import { sampleTriples, type NegativeSampler, type Triples } from '../train/samplers.js';
import { InputError } from '../util/errors.js';
import {
  LIGHTGCN_CODE_HYPER,
  LR_SCHEDULE_HYPER,
  PAIRWISE_HYPER,
  type HyperDeclarations,
} from './hyperparameters.js';
import { dotRanker } from './rankers.js';
import type { Embeddings, Hyperparameters, ModelContext, TrainableModel } from './types.js';

export const LIGHTGCN_DEFAULTS = {
  dim: 64,
  layers: 3,
  lr: 0.001,
  ...LR_SCHEDULE_DEFAULTS,
  /** lambda of eq. 15 (the reference code's `decay`) */
  reg: 1e-4,
  batchSize: 2048,
  initStd: 0.1,
  loss: 'bpr',
  negatives: 1,
  sampler: 'uniform',
  /** comma-separated alpha_0..alpha_K; empty: 1/(K+1) each (eq. 8's default) */
  layerWeights: '',
  /** add the dataset's user-user edges (friendships) to A: the joint graph (off: the paper's) */
  socialEdges: false as boolean,
  /** LightGCN++'s exponent of the receiving node's degree */
  normAlpha: 0.5,
  /** LightGCN++'s exponent of the sending node's degree */
  normBeta: 0.5,
  /** LightGCN++'s weight of E(0) in the pooling; empty: LightGCN's 1/(K+1) mean */
  gamma: '',
  /** LightGCN++: propagate each layer's rows divided by their norm */
  normEmbeddings: false as boolean,
} satisfies Hyperparameters;

export const LIGHTGCN_HYPER = {
  ...LIGHTGCN_CODE_HYPER,
  layers: {
    type: 'integer',
    min: 0,
    description: 'propagation layers K',
    source: "LightGCN code: --layer 3, the paper's K = 3",
  },
  ...LR_SCHEDULE_HYPER,
  reg: { ...LIGHTGCN_CODE_HYPER.reg, description: "lambda of eq. 15 on the batch's E(0) rows" },
  ...PAIRWISE_HYPER,
  layerWeights: {
    type: 'string',
    description: 'comma-separated alpha_0..alpha_K of eq. 8 (empty: 1/(K+1) each)',
    source: 'paper, after eq. 8: alpha_k = 1/(K+1)',
  },
  socialEdges: {
    type: 'boolean',
    description:
      "propagate over the joint graph: the dataset's user-user edges (friendships) added to A before normalisation",
    source: 'off: the paper propagates over user-item edges only',
  },
  normAlpha: {
    type: 'number',
    description: "exponent of the receiving node's degree in 1 / (|N_u|^normAlpha |N_i|^normBeta)",
    source: "LightGCN's D^-1/2 A D^-1/2 (eq. 7): 0.5; LightGCN++ (RecSys 2024) on Gowalla: 0.6",
  },
  normBeta: {
    type: 'number',
    description: "exponent of the sending node's degree in 1 / (|N_u|^normAlpha |N_i|^normBeta)",
    source: "LightGCN's D^-1/2 A D^-1/2 (eq. 7): 0.5; LightGCN++ (RecSys 2024) on Gowalla: -0.1",
  },
  gamma: {
    type: 'string',
    description:
      'weight of E(0) in gamma E(0) + (1 - gamma) mean(E(1..K)), a number in [0, 1] (empty: the 1/(K+1) mean of eq. 8)',
    source: 'LightGCN: empty (uniform mean); LightGCN++ (RecSys 2024) on Gowalla: 0.2',
  },
  normEmbeddings: {
    type: 'boolean',
    description: "divide each node's embedding by its norm before every propagation",
    source: "LightGCN: false; LightGCN++'s code (model.computer): true",
  },
} satisfies HyperDeclarations<typeof LIGHTGCN_DEFAULTS>;

export type LightGcnHyper = typeof LIGHTGCN_DEFAULTS;

export class LightGcn implements TrainableModel {
  readonly name = 'lightgcn';
  /** run metadata: the engine's kernels that train it (forward, backward and Adam) */
  readonly backend: string;
  readonly dim: number;
  readonly nUsers: number;
  readonly nItems: number;
  readonly alpha: number[];
  /** E(0): users then items, [nNodes x dim], in the pool's shared memory */
  readonly ego: Float32Array;
  readonly adj: NormalizedAdjacency;
  private readonly hp: LightGcnHyper;
  private readonly loss: PairLoss;
  private readonly pool: Pool;
  private readonly dev: DeviceCsr;
  /** Ã^T for the backward products: dev itself when Ã is symmetric */
  private readonly devT: DeviceCsr;
  private readonly userItems: Csr;
  private readonly itemUsers: Csr;
  /** dense Adam over E(0), moments in the pool, stepped by the pool's kernels */
  private readonly adam: PoolAdam;
  private readonly lrAt: LearningRateAt;
  /** E(1) .. E(K-1), full; and the gradients dE(0) .. dE(K-1) */
  private readonly layers: Float32Array[];
  /** N(E(0)) .. N(E(K-1)), the rows that propagate, when normEmbeddings (else empty) */
  private readonly unit: Float32Array[];
  private readonly grads: Float32Array[];
  private triples: Triples | undefined;
  private scratch: BatchScratch | undefined;

  private constructor(ctx: ModelContext, hyper: Partial<LightGcnHyper>, pool: Pool) {
    this.hp = { ...LIGHTGCN_DEFAULTS, ...hyper };
    const { dim, layers: K } = this.hp;
    const loss = PAIR_LOSSES[this.hp.loss];
    if (!loss)
      throw new InputError(
        { file: 'lightgcn hyperparameters', text: this.hp.loss },
        `loss one of ${Object.keys(PAIR_LOSSES).join(', ')}`,
      );
    if (!Number.isInteger(K) || K < 0)
      throw new InputError(
        { file: 'lightgcn hyperparameters', text: String(K) },
        'layers to be an integer >= 0',
      );
    this.loss = loss;
    this.lrAt = learningRateSchedule(this.hp, 'lightgcn');
    this.alpha = layerWeightsOf(this.hp);
    this.dim = dim;
    this.pool = pool;
    this.backend = `${pool.kernelKind} kernels (fused, no tfjs), ${pool.threads} thread(s)`;
    this.nUsers = ctx.train.nUsers;
    this.nItems = ctx.train.nItems;
    const n = this.nUsers + this.nItems;
    if (this.hp.socialEdges && !ctx.social)
      throw new InputError(
        { file: 'lightgcn hyperparameters', text: 'socialEdges true' },
        'a dataset with a user-user relation for socialEdges (e.g. lastfm-social:<dir>)',
      );
    this.adj = normalizedAdjacency(ctx.trainCsr, {
      exponents: { alpha: this.hp.normAlpha, beta: this.hp.normBeta },
      ...(this.hp.socialEdges && ctx.social ? { social: ctx.social } : {}),
    });
    this.dev = pool.upload(this.adj);
    this.devT = this.adj.symmetric ? this.dev : pool.upload(pool.transposeOf(this.adj));
    this.ego = pool.allocF32(n * dim);
    for (let k = 0; k < this.ego.length; k++) this.ego[k] = ctx.rng.normal() * this.hp.initStd;
    this.layers = Array.from({ length: Math.max(0, K - 1) }, () => pool.allocF32(n * dim));
    this.unit = this.hp.normEmbeddings
      ? Array.from({ length: K }, () => pool.allocF32(n * dim))
      : [];
    this.grads = Array.from({ length: Math.max(1, K) }, () => pool.allocF32(n * dim));
    this.userItems = sortRows({ ...ctx.trainCsr, indices: ctx.trainCsr.indices.slice() });
    this.itemUsers = ctx.trainCsrT;
    this.adam = new PoolAdam(pool, this.ego.length, { lr: this.hp.lr });
  }

  static async create(ctx: ModelContext, hyper: Partial<LightGcnHyper>): Promise<LightGcn> {
    const pool = await Pool.create({ threads: ctx.threads });
    try {
      const m = new LightGcn(ctx, hyper, pool);
      ctx.log(
        `lightgcn: ${pool.kernelKind} kernels on ${pool.threads} thread(s), ${m.adj.indices.length} non-zeros in Ã`,
      );
      return m;
    } catch (e) {
      await pool.dispose();
      throw e;
    }
  }

  beginEpoch(epoch: number, rng: Rng): void {
    this.adam.lr = this.lrAt(epoch);
    this.triples = sampleTriples(
      this.userItems,
      rng,
      { negatives: this.hp.negatives, sampler: this.hp.sampler as NegativeSampler },
      this.itemUsers,
    );
  }

  learningRate(): number {
    return this.adam.lr;
  }

  batchesPerEpoch(): number {
    return this.triples ? Math.ceil(this.triples.users.length / this.hp.batchSize) : 0;
  }

  trainStep(b: number): number {
    const t = this.triples;
    if (!t) throw new Error('beginEpoch must run before trainStep');
    const s = b * this.hp.batchSize;
    const e = Math.min(s + this.hp.batchSize, t.users.length);
    const loss = this.lossAndGradient(
      t.users.subarray(s, e),
      t.pos.subarray(s, e),
      t.neg.subarray(s * t.negatives, e * t.negatives),
      t.negatives,
    );
    this.adam.step(this.ego, this.grads[0]);
    return loss;
  }

  /**
   * Loss of one batch; leaves dLoss/dE(0) in grads[0]. Derivation, with G = dL/dE at the
   * batch's nodes (from the loss on eq. 5's scores):
   *   dL/dE(K) = alpha_K G
   *   dL/dE(k) = alpha_k G + Ã^T dL/dE(k+1)   (Ã^T = Ã for LightGCN's own normalisation)
   * so dE(K-1) needs only a scatter of alpha_K G from the batch rows (Ã[rows]^T, whatever Ã),
   * and E(K) only those rows.
   * Works in buffers kept between batches (BatchScratch): no per-batch buffer allocation.
   */
  lossAndGradient(users: Int32Array, pos: Int32Array, neg: Int32Array, negatives: number): number {
    const { dim, alpha, pool, dev } = this;
    const K = alpha.length - 1;
    const B = users.length;
    const pairs = B * negatives;
    const sc = this.scratchFor(B, negatives);
    // the batch's distinct nodes (in sc.rows); slot[] maps each triple's u/i/j to its row
    const S = this.indexBatch(sc, users, pos, neg, negatives);
    const nodes = sc.rows;
    const { slotU, slotI, slotJ, fin, G } = sc;
    const rows = nodes.subarray(0, S);
    try {
      // forward: E(1..K-1) in full (eq. 7), then E(K) at the batch's nodes only
      let prev = this.propagated(this.ego, 0);
      for (let k = 1; k < K; k++) {
        pool.spmm(dev, prev, this.layers[k - 1], dim);
        prev = this.propagated(this.layers[k - 1], k);
      }
      const top = sc.top;
      if (K > 0) pool.spmmRows(dev, prev, rows, top.subarray(0, S * dim), dim);
      // eq. 8 at the batch's nodes
      layerSumRows(fin, [this.ego, ...this.layers], K > 0 ? top : undefined, alpha, nodes, S, dim);
      const aK = alpha[K];
      // eq. 5 scores and the loss
      const sPos = sc.sPos.subarray(0, pairs);
      const sNeg = sc.sNeg.subarray(0, pairs);
      for (let p = 0; p < pairs; p++) {
        const q = Math.floor(p / negatives);
        sPos[p] = dotRows(fin, slotU[q] * dim, fin, slotI[q] * dim, dim);
        sNeg[p] = dotRows(fin, slotU[q] * dim, fin, slotJ[p] * dim, dim);
      }
      const gPos = sc.gPos.subarray(0, pairs);
      const gNeg = sc.gNeg.subarray(0, pairs);
      let loss = this.loss(sPos, sNeg, gPos, gNeg);
      // G = dL/dE at the batch's nodes
      G.fill(0, 0, S * dim);
      for (let p = 0; p < pairs; p++) {
        const q = Math.floor(p / negatives);
        const u = slotU[q] * dim;
        const i = slotI[q] * dim;
        const j = slotJ[p] * dim;
        const gp = gPos[p];
        const gn = gNeg[p];
        for (let c = 0; c < dim; c++) {
          G[u + c] += gp * fin[i + c] + gn * fin[j + c];
          G[i + c] += gp * fin[u + c];
          G[j + c] += gn * fin[u + c];
        }
      }
      // backward through eq. 8 and eq. 7
      const d = this.grads;
      if (K === 0) {
        pool.zero(d[0]);
      } else {
        // dE(K-1) = alpha_{K-1} G + Ã (alpha_K G scattered): a scatter from the batch rows
        const dTop = sc.dTop.subarray(0, S * dim);
        for (let x = 0; x < dTop.length; x++) dTop[x] = aK * G[x];
        pool.zero(d[K - 1]);
        pool.scatterRows(dev, dTop, rows, d[K - 1], dim);
        this.throughNorm(d[K - 1], K - 1);
        // dE(k-1) = alpha_{k-1} G + Ã^T dE(k), down to k = 1 (dE(0)'s alpha_0 G is added below)
        for (let k = K - 1; k >= 1; k--) {
          addScaledRows(d[k], G, nodes, S, alpha[k], dim);
          pool.spmm(this.devT, d[k], d[k - 1], dim);
          this.throughNorm(d[k - 1], k - 1);
        }
      }
      // dE(0) += alpha_0 G, plus the gradient of eq. 15's L2 term on the batch's ego
      // embeddings: reg ego / B once per occurrence of the node in the batch's triples (the
      // reference sums the term per triple); and the term's value, in the same pass
      const { reg } = this.hp;
      const ego = this.ego;
      const g0 = d[0];
      const a0 = alpha[0];
      const count = sc.count;
      const perOccurrence = reg / B;
      let l2 = 0;
      for (let r = 0; r < S; r++) {
        const o = nodes[r] * dim;
        const gr = r * dim;
        const w = count[r] * perOccurrence;
        let sq = 0;
        for (let c = 0; c < dim; c++) {
          const e = ego[o + c];
          g0[o + c] += a0 * G[gr + c] + w * e;
          sq += e * e;
        }
        l2 += count[r] * sq;
      }
      loss += (reg * 0.5 * l2) / B;
      return loss;
    } finally {
      for (let r = 0; r < S; r++) sc.slotOf[nodes[r]] = -1;
    }
  }

  /** What propagates from layer k: E(k) itself, or N(E(k)) (kept in unit[k]) when normEmbeddings. */
  private propagated(e: Float32Array, k: number): Float32Array {
    if (k >= this.unit.length) return e;
    const u = this.unit[k];
    const dim = this.dim;
    for (let o = 0; o < e.length; o += dim) {
      let sq = 0;
      for (let c = 0; c < dim; c++) sq += e[o + c] * e[o + c];
      const inv = 1 / (Math.sqrt(sq) + 1e-12);
      for (let c = 0; c < dim; c++) u[o + c] = e[o + c] * inv;
    }
    return u;
  }

  /**
   * g <- J^T g for N at layer k, row by row, when normEmbeddings: the Jacobian of
   * x / ||x|| is (I - x̂ x̂^T) / ||x||, so each row loses its component along x̂ and is divided by
   * the norm (read off unit[k] and E(k); the 1e-12 guard is dropped, as it changes nothing).
   */
  private throughNorm(g: Float32Array, k: number): void {
    if (k >= this.unit.length) return;
    const u = this.unit[k];
    const e = k === 0 ? this.ego : this.layers[k - 1];
    const dim = this.dim;
    for (let o = 0; o < g.length; o += dim) {
      let along = 0;
      let sq = 0;
      for (let c = 0; c < dim; c++) {
        along += u[o + c] * g[o + c];
        sq += e[o + c] * e[o + c];
      }
      const inv = 1 / (Math.sqrt(sq) + 1e-12);
      for (let c = 0; c < dim; c++) g[o + c] = (g[o + c] - along * u[o + c]) * inv;
    }
  }

  /**
   * Numbers the batch's distinct nodes (users, then items offset by nUsers) in order of first
   * appearance into sc.rows, as batchNodes does, with each triple's slots and each node's
   * number of occurrences; returns their count. sc.slotOf must be all -1 (lossAndGradient
   * restores it).
   */
  private indexBatch(
    sc: BatchScratch,
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
  ): number {
    const { slotOf, rows, count, slotU, slotI, slotJ } = sc;
    const nUsers = this.nUsers;
    const n = nUsers + this.nItems;
    let S = 0;
    const at = (node: number): number => {
      if (!(node >= 0 && node < n)) throw new RangeError(`batch node ${node} outside [0, ${n})`);
      let s = slotOf[node];
      if (s < 0) {
        s = S++;
        slotOf[node] = s;
        rows[s] = node;
        count[s] = 0;
      }
      count[s]++;
      return s;
    };
    try {
      for (let q = 0; q < users.length; q++) {
        slotU[q] = at(users[q]);
        slotI[q] = at(nUsers + pos[q]);
        for (let j = 0; j < negatives; j++)
          slotJ[q * negatives + j] = at(nUsers + neg[q * negatives + j]);
      }
    } catch (e) {
      for (let r = 0; r < S; r++) slotOf[rows[r]] = -1;
      throw e;
    }
    return S;
  }

  /** The scratch arrays for a batch of B triples with `negatives` negatives each. */
  private scratchFor(B: number, negatives: number): BatchScratch {
    const have = this.scratch;
    if (have && have.triples >= B && have.negatives >= negatives) return have;
    const { pool, dim } = this;
    const triples = Math.max(B, have?.triples ?? 0, this.hp.batchSize);
    const negs = Math.max(negatives, have?.negatives ?? 0);
    const n = this.nUsers + this.nItems;
    const maxS = Math.min(n, triples * (2 + negs));
    if (have) {
      pool.free(have.rows);
      pool.free(have.top);
      pool.free(have.dTop);
    }
    const sc: BatchScratch = {
      triples,
      negatives: negs,
      slotOf: have?.slotOf ?? new Int32Array(n).fill(-1),
      rows: pool.allocI32(maxS, false),
      count: new Int32Array(maxS),
      slotU: new Int32Array(triples),
      slotI: new Int32Array(triples),
      slotJ: new Int32Array(triples * negs),
      top: pool.allocF32(maxS * dim, false),
      dTop: pool.allocF32(maxS * dim, false),
      fin: new Float32Array(maxS * dim),
      G: new Float32Array(maxS * dim),
      sPos: new Float32Array(triples * negs),
      sNeg: new Float32Array(triples * negs),
      gPos: new Float32Array(triples * negs),
      gNeg: new Float32Array(triples * negs),
    };
    this.scratch = sc;
    return sc;
  }

  /** The final embeddings of eq. 8 for all users and items (K full propagations). */
  embeddings(): Embeddings {
    const { dim, alpha, pool, dev } = this;
    const n = this.nUsers + this.nItems;
    const out = new Float32Array(n * dim);
    for (let x = 0; x < out.length; x++) out[x] = alpha[0] * this.ego[x];
    let prev = this.propagated(this.ego, 0);
    const a = pool.allocF32(n * dim);
    const b = pool.allocF32(n * dim);
    try {
      for (let k = 1; k < alpha.length; k++) {
        const next = k % 2 === 1 ? a : b;
        pool.spmm(dev, prev, next, dim);
        for (let x = 0; x < out.length; x++) out[x] += alpha[k] * next[x];
        // unit[k] is free to take N(E(k)) here: training overwrites it every batch
        prev = k < alpha.length - 1 ? this.propagated(next, k) : next;
      }
    } finally {
      pool.free(a);
      pool.free(b);
    }
    return {
      dim,
      users: out.subarray(0, this.nUsers * dim),
      items: out.subarray(this.nUsers * dim),
    };
  }

  ranker(threads: number): TopKRanker {
    return dotRanker(this.embeddings(), threads, this.pool);
  }

  state(): Record<string, Float32Array> {
    return { ego: this.ego, ...this.adam.state('adam') };
  }

  load(state: Record<string, Float32Array>): void {
    this.ego.set(state.ego);
    this.adam.load('adam', state);
  }

  async dispose(): Promise<void> {
    await this.pool.dispose();
  }
}

/**
 * alpha_0..alpha_K of eq. 8: layerWeights when given, LightGCN++'s gamma pooling when gamma is,
 * else 1/(K+1) each; refuses both at once and gamma without layers to pool.
 */
export function layerWeightsOf(h: {
  layerWeights: string;
  gamma: string;
  layers: number;
}): number[] {
  const K = h.layers;
  const weights = parseLayerWeights(h.layerWeights, K);
  if (!h.gamma.trim()) return weights;
  const where = { file: 'lightgcn hyperparameters', text: `gamma=${h.gamma}` };
  const gamma = Number(h.gamma.trim());
  if (!(Number.isFinite(gamma) && gamma >= 0 && gamma <= 1))
    throw new InputError(where, 'gamma to be a number in [0, 1], or empty');
  if (h.layerWeights.trim())
    throw new InputError(where, 'gamma or layerWeights, not both (gamma sets the layer weights)');
  if (K < 1) throw new InputError(where, 'layers >= 1 with gamma (it pools E(1..K))');
  return Array.from({ length: K + 1 }, (_, k) => (k === 0 ? gamma : (1 - gamma) / K));
}

export function parseLayerWeights(spec: string, K: number): number[] {
  if (!spec.trim()) return Array.from({ length: K + 1 }, () => 1 / (K + 1));
  const w = spec.split(',').map((s) => Number(s.trim()));
  if (w.length !== K + 1 || w.some((x) => !Number.isFinite(x))) {
    throw new InputError(
      { file: 'lightgcn hyperparameters', text: spec },
      `layerWeights: ${K + 1} comma-separated numbers (alpha_0..alpha_${K})`,
    );
  }
  return w;
}

/** Distinct node ids of a batch (users, then items offset by nUsers) and each triple's slot. */
export function batchNodes(
  users: Int32Array,
  pos: Int32Array,
  neg: Int32Array,
  negatives: number,
  nUsers: number,
) {
  const slot = new Map<number, number>();
  const nodes: number[] = [];
  const at = (node: number) => {
    let s = slot.get(node);
    if (s === undefined) {
      s = nodes.length;
      slot.set(node, s);
      nodes.push(node);
    }
    return s;
  };
  const slotU = new Int32Array(users.length);
  const slotI = new Int32Array(users.length);
  const slotJ = new Int32Array(neg.length);
  for (let q = 0; q < users.length; q++) {
    slotU[q] = at(users[q]);
    slotI[q] = at(nUsers + pos[q]);
    for (let j = 0; j < negatives; j++)
      slotJ[q * negatives + j] = at(nUsers + neg[q * negatives + j]);
  }
  return { nodes: Int32Array.from(nodes), slotU, slotI, slotJ };
}

/**
 * What lossAndGradient works in, kept from batch to batch (sized for the largest batch seen):
 * rows, top and dTop live in the pool's memory for the kernels.
 */
interface BatchScratch {
  /** triples per batch and negatives per triple it has room for */
  readonly triples: number;
  readonly negatives: number;
  /** node -> its row among the batch's nodes; -1 between batches */
  readonly slotOf: Int32Array;
  /** the batch's distinct nodes, in order of first appearance */
  readonly rows: Int32Array;
  /** occurrences of each of them in the batch's triples */
  readonly count: Int32Array;
  readonly slotU: Int32Array;
  readonly slotI: Int32Array;
  readonly slotJ: Int32Array;
  /** E(K) and dL/dE(K) at the batch's nodes */
  readonly top: Float32Array;
  readonly dTop: Float32Array;
  /** eq. 8's embeddings and G = dL/dE at the batch's nodes */
  readonly fin: Float32Array;
  readonly G: Float32Array;
  readonly sPos: Float32Array;
  readonly sNeg: Float32Array;
  readonly gPos: Float32Array;
  readonly gNeg: Float32Array;
}

const fround = Math.fround;

function dotRows(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s = 0;
  for (let c = 0; c < n; c++) s += a[ao + c] * b[bo + c];
  return s;
}

/**
 * fin[r] = sum over k of alpha[k] * E(k)[nodes[r]] (src[k], full arrays, for k < src.length)
 * + alpha[K] * top[r] (when given), a float32 sum in layer order from 0. With K = 3 (the
 * default) the three full layers are read in one pass: the same operations, 1.8x faster.
 */
function layerSumRows(
  fin: Float32Array,
  src: Float32Array[],
  top: Float32Array | undefined,
  alpha: number[],
  nodes: Int32Array,
  S: number,
  dim: number,
): void {
  const K = alpha.length - 1;
  const aK = alpha[K];
  if (K === 3 && top) {
    const [e0, e1, e2] = src;
    const [a0, a1, a2] = alpha;
    for (let r = 0; r < S; r++) {
      const o = r * dim;
      const g = nodes[r] * dim;
      for (let c = 0; c < dim; c++) {
        let f = fround(0 + a0 * e0[g + c]);
        f = fround(f + a1 * e1[g + c]);
        f = fround(f + a2 * e2[g + c]);
        fin[o + c] = fround(f + aK * top[o + c]);
      }
    }
    return;
  }
  for (let r = 0; r < S; r++) {
    const o = r * dim;
    const g = nodes[r] * dim;
    for (let c = 0; c < dim; c++) {
      let f = 0;
      for (let k = 0; k < K; k++) f = fround(f + alpha[k] * src[k][g + c]);
      // E(K) is `top` at the batch's rows; with K = 0 there is no propagation and it is E(0)
      f = fround(f + aK * (top ? top[o + c] : src[K][g + c]));
      fin[o + c] = f;
    }
  }
}

/** out[nodes[r]] += scale * G[r] for r < S */
function addScaledRows(
  out: Float32Array,
  G: Float32Array,
  nodes: Int32Array,
  S: number,
  scale: number,
  dim: number,
): void {
  for (let r = 0; r < S; r++) {
    const o = nodes[r] * dim;
    const g = r * dim;
    for (let c = 0; c < dim; c++) out[o + c] += scale * G[g + c];
  }
}
