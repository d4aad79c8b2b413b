/**
 * The hand-fused LightGCN step that src/models/lightgcn.ts replaced (its forward and backward
 * written out over the engine's sparse kernels, dense Adam on the pool), kept here as the
 * tape-step benchmark's reference: the taped model must stay within 10% of its step time and
 * reproduce its gradient dLoss/dE(0). The model as the paper and LightGCN++ write it, options
 * and loss included, is documented in src/models/lightgcn.ts.
 *
 * With the exact savings of the findings: the last layer is computed for the batch's nodes
 * only, and the first backward hop is a scatter from those nodes. K=3 costs 4 full SpMMs per
 * batch.
 */
import { sortRows } from '../../src/data/csr.js';
import type { Csr } from '../../src/data/types.js';
import { Pool } from '../../src/engine/pool.js';
import type { Rng } from '../../src/util/rng.js';
import { normalizedAdjacency } from '../../src/graph/adjacency.js';
import type { NormalizedAdjacency } from '../../src/graph/types.js';
import type { DeviceCsr } from '../../src/engine/pool.js';
import { PAIR_LOSSES, type PairLoss } from '../../src/train/losses.js';
import { learningRateSchedule, type LearningRateAt } from '../../src/train/lrSchedule.js';
import { PoolAdam } from '../../src/train/poolAdam.js';
import { sampleTriples, type NegativeSampler, type Triples } from '../../src/train/samplers.js';
import { InputError } from '../../src/util/errors.js';
import {
  layerWeightsOf,
  LIGHTGCN_DEFAULTS,
  type LightGcnHyper,
} from '../../src/models/lightgcn.js';
import type { ModelContext } from '../../src/models/types.js';

export class FusedLightGcn {
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

  static async create(ctx: ModelContext, hyper: Partial<LightGcnHyper>): Promise<FusedLightGcn> {
    const pool = await Pool.create({ threads: ctx.threads });
    try {
      const m = new FusedLightGcn(ctx, hyper, pool);
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

  /** dLoss/dE(0) of the last lossAndGradient. */
  get egoGrad(): Float32Array {
    return this.grads[0];
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

  async dispose(): Promise<void> {
    await this.pool.dispose();
  }
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
