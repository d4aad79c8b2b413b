/**
 * LightGCN. He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
 * Recommendation", SIGIR 2020.
 *   propagation (eq. 7, matrix form):  E(k+1) = Ã E(k),  Ã = D^-1/2 A D^-1/2, no self-loops
 *   layer combination (eq. 4/8):        E = sum_{k=0..K} alpha_k E(k),  alpha_k = 1/(K+1)
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
import { createDotRanker } from '../engine/ranker/dotRanker.js';
import { Pool } from '../engine/pool.js';
import type { Rng } from '../engine/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { normalizedAdjacency } from '../graph/adjacency.js';
import type { NormalizedAdjacency } from '../graph/types.js';
import type { DeviceCsr } from '../engine/pool.js';
import { Adam } from '../train/adam.js';
import { PAIR_LOSSES, type PairLoss } from '../train/losses.js';
import { sampleTriples, type NegativeSampler, type Triples } from '../train/samplers.js';
import { InputError } from '../util/errors.js';
import type { Embeddings, Hyperparameters, ModelContext, TrainableModel } from './types.js';

export const LIGHTGCN_DEFAULTS = {
  dim: 64,
  layers: 3,
  lr: 0.001,
  /** lambda of eq. 15 (the reference code's `decay`) */
  reg: 1e-4,
  batchSize: 2048,
  initStd: 0.1,
  loss: 'bpr',
  negatives: 1,
  sampler: 'uniform',
  /** comma-separated alpha_0..alpha_K; empty: 1/(K+1) each (eq. 8's default) */
  layerWeights: '',
} satisfies Hyperparameters;

export type LightGcnHyper = typeof LIGHTGCN_DEFAULTS;

export class LightGcn implements TrainableModel {
  readonly name = 'lightgcn';
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
  private readonly userItems: Csr;
  private readonly itemUsers: Csr;
  private readonly adam: Adam;
  /** E(1) .. E(K-1), full; and the gradients dE(0) .. dE(K-1) */
  private readonly layers: Float32Array[];
  private readonly grads: Float32Array[];
  private triples: Triples | undefined;

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
    this.alpha = parseLayerWeights(this.hp.layerWeights, K);
    this.dim = dim;
    this.pool = pool;
    this.nUsers = ctx.train.nUsers;
    this.nItems = ctx.train.nItems;
    const n = this.nUsers + this.nItems;
    this.adj = normalizedAdjacency(ctx.trainCsr);
    this.dev = pool.upload(this.adj);
    this.ego = pool.allocF32(n * dim);
    for (let k = 0; k < this.ego.length; k++) this.ego[k] = ctx.rng.normal() * this.hp.initStd;
    this.layers = Array.from({ length: Math.max(0, K - 1) }, () => pool.allocF32(n * dim));
    this.grads = Array.from({ length: Math.max(1, K) }, () => pool.allocF32(n * dim));
    this.userItems = sortRows({ ...ctx.trainCsr, indices: ctx.trainCsr.indices.slice() });
    this.itemUsers = ctx.trainCsrT;
    this.adam = new Adam(this.ego.length, { lr: this.hp.lr });
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

  beginEpoch(_epoch: number, rng: Rng): void {
    this.triples = sampleTriples(
      this.userItems,
      rng,
      { negatives: this.hp.negatives, sampler: this.hp.sampler as NegativeSampler },
      this.itemUsers,
    );
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
   *   dL/dE(k) = alpha_k G + Ã^T dL/dE(k+1) = alpha_k G + Ã dL/dE(k+1)   (Ã symmetric)
   * so dE(K-1) needs only a scatter of alpha_K G from the batch rows, and E(K) only those rows.
   */
  lossAndGradient(users: Int32Array, pos: Int32Array, neg: Int32Array, negatives: number): number {
    const { dim, nUsers, alpha, pool, dev } = this;
    const K = alpha.length - 1;
    // the batch's distinct nodes; slot[] maps each triple's u/i/j to its row among them
    const { nodes, slotU, slotI, slotJ } = batchNodes(users, pos, neg, negatives, nUsers);
    const S = nodes.length;

    // forward: E(1..K-1) in full (eq. 7), then E(K) at the batch's nodes only
    let prev = this.ego;
    for (let k = 1; k < K; k++) {
      pool.spmm(dev, prev, this.layers[k - 1], dim);
      prev = this.layers[k - 1];
    }
    const top = K > 0 ? pool.allocF32(S * dim) : undefined;
    const rows = pool.allocI32(S);
    try {
      rows.set(nodes);
      if (top) pool.spmmRows(dev, prev, rows, top, dim);
      // eq. 8 at the batch's nodes
      const fin = new Float32Array(S * dim);
      for (let r = 0; r < S; r++) {
        const o = r * dim;
        const g = nodes[r] * dim;
        for (let k = 0; k < K; k++) {
          const src = k === 0 ? this.ego : this.layers[k - 1];
          const a = alpha[k];
          for (let c = 0; c < dim; c++) fin[o + c] += a * src[g + c];
        }
        if (top) for (let c = 0; c < dim; c++) fin[o + c] += alpha[K] * top[o + c];
      }
      // eq. 5 scores and the loss
      const pairs = users.length * negatives;
      const sPos = new Float32Array(pairs);
      const sNeg = new Float32Array(pairs);
      for (let p = 0; p < pairs; p++) {
        const q = Math.floor(p / negatives);
        sPos[p] = dotRows(fin, slotU[q] * dim, fin, slotI[q] * dim, dim);
        sNeg[p] = dotRows(fin, slotU[q] * dim, fin, slotJ[p] * dim, dim);
      }
      const gPos = new Float32Array(pairs);
      const gNeg = new Float32Array(pairs);
      let loss = this.loss(sPos, sNeg, gPos, gNeg);
      // G = dL/dE at the batch's nodes
      const G = new Float32Array(S * dim);
      for (let p = 0; p < pairs; p++) {
        const q = Math.floor(p / negatives);
        const u = slotU[q] * dim;
        const i = slotI[q] * dim;
        const j = slotJ[p] * dim;
        for (let c = 0; c < dim; c++) {
          G[u + c] += gPos[p] * fin[i + c] + gNeg[p] * fin[j + c];
          G[i + c] += gPos[p] * fin[u + c];
          G[j + c] += gNeg[p] * fin[u + c];
        }
      }
      // backward through eq. 8 and eq. 7
      const d = this.grads;
      if (K === 0) {
        d[0].fill(0);
      } else {
        // dE(K-1) = alpha_{K-1} G + Ã (alpha_K G scattered): a scatter from the batch rows
        const dTop = pool.allocF32(S * dim);
        try {
          for (let x = 0; x < dTop.length; x++) dTop[x] = alpha[K] * G[x];
          d[K - 1].fill(0);
          pool.scatterRows(dev, dTop, rows, d[K - 1], dim);
        } finally {
          pool.free(dTop);
        }
        addScaledRows(d[K - 1], G, nodes, alpha[K - 1], dim);
        // dE(k) = alpha_k G + Ã dE(k+1), down to k = 0
        for (let k = K - 2; k >= 0; k--) {
          pool.spmm(dev, d[k + 1], d[k], dim);
          addScaledRows(d[k], G, nodes, alpha[k], dim);
        }
      }
      if (K === 0) addScaledRows(d[0], G, nodes, alpha[0], dim);
      // L2 on the ego embeddings of the batch (per triple, as the reference)
      const { reg } = this.hp;
      const B = users.length;
      let l2 = 0;
      const ego = this.ego;
      const g0 = d[0];
      const addReg = (node: number) => {
        const o = node * dim;
        for (let c = 0; c < dim; c++) {
          l2 += ego[o + c] * ego[o + c];
          g0[o + c] += (reg * ego[o + c]) / B;
        }
      };
      for (let q = 0; q < B; q++) {
        addReg(users[q]);
        addReg(nUsers + pos[q]);
        for (let j = 0; j < negatives; j++) addReg(nUsers + neg[q * negatives + j]);
      }
      loss += (reg * 0.5 * l2) / B;
      return loss;
    } finally {
      if (top) pool.free(top);
      pool.free(rows);
    }
  }

  /** The final embeddings of eq. 8 for all users and items (K full propagations). */
  embeddings(): Embeddings {
    const { dim, alpha, pool, dev } = this;
    const n = this.nUsers + this.nItems;
    const out = new Float32Array(n * dim);
    for (let x = 0; x < out.length; x++) out[x] = alpha[0] * this.ego[x];
    let prev = this.ego;
    const a = pool.allocF32(n * dim);
    const b = pool.allocF32(n * dim);
    try {
      for (let k = 1; k < alpha.length; k++) {
        const next = k % 2 === 1 ? a : b;
        pool.spmm(dev, prev, next, dim);
        for (let x = 0; x < out.length; x++) out[x] += alpha[k] * next[x];
        prev = next;
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
    const e = this.embeddings();
    return createDotRanker(e.users, e.items, e.dim, {
      pool: this.pool.threads === threads ? this.pool : undefined,
      threads,
    });
  }

  state(): Record<string, Float32Array> {
    return { ego: this.ego };
  }

  load(state: Record<string, Float32Array>): void {
    this.ego.set(state.ego);
  }

  async dispose(): Promise<void> {
    await this.pool.dispose();
  }
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

function dotRows(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s = 0;
  for (let c = 0; c < n; c++) s += a[ao + c] * b[bo + c];
  return s;
}

/** out[nodes[r]] += scale * G[r] */
function addScaledRows(
  out: Float32Array,
  G: Float32Array,
  nodes: Int32Array,
  scale: number,
  dim: number,
): void {
  for (let r = 0; r < nodes.length; r++) {
    const o = nodes[r] * dim;
    const g = r * dim;
    for (let c = 0; c < dim; c++) out[o + c] += scale * G[g + c];
  }
}
