/**
 * NGCF. Wang et al., "Neural Graph Collaborative Filtering", SIGIR 2019.
 *   message (eq. 3):     m(u<-i) = p_ui (W1 e_i + W2 (e_i ⊙ e_u)),  p_ui = 1/sqrt(|N_u||N_i|)
 *   self-message (eq. 4): m(u<-u) = W1 e_u
 *   layer (eq. 7, matrix form, with the biases b1, b2 of the authors' code):
 *       E(l) = LeakyReLU( (L + I) E(l-1) W1(l) + b1(l) + (L E(l-1) ⊙ E(l-1)) W2(l) + b2(l) ),
 *       L = D^-1/2 A D^-1/2 over users then items, no self-loops; LeakyReLU slope 0.2
 *   final embedding (eq. 9): e* = E(0) || E(1) || ... || E(L)   (concatenation)
 *   prediction (eq. 10):     y_ui = e*_u . e*_i
 *   loss (eq. 11):           BPR + lambda ||Theta||^2
 * with, from the authors' TensorFlow code (xiangwang1223/neural_graph_collaborative_filtering,
 * NGCF/NGCF.py): message dropout on each layer's output and node dropout on the entries of L,
 * both rescaled by 1/(1 - rate) and only while training; each layer's output L2-normalised
 * before the concatenation; the regulariser lambda/2 (|e*_u|^2 + |e*_i|^2 + |e*_j|^2) / batch
 * on the batch's final embeddings (W1, W2, b are not regularised there); Xavier-uniform
 * initialisation of every parameter; Adam.
 * Where the paper and that code differ, the paper is followed: the code applies LeakyReLU to
 * each of the two terms separately and, with its default adj_type 'norm', uses D^-1 (A + I)
 * for both (L + I) and L; here one LeakyReLU of the sum, with L and L + I as in eq. 7.
 * Training triples come from train/samplers.ts (the LightGCN code's scheme, one per training
 * interaction per epoch), not from the NGCF code's per-batch sample of distinct users.
 *
 * Built on tfjs autodiff: parameters are tf.variables, the sparse products are the engine's
 * differentiable `propagate` ops, and Adam is tf.train.adam. Every batch propagates from E(0)
 * again (as the authors' code does); layers 1..L-1 are computed for all nodes, and the last
 * layer, which only enters the loss through the batch's rows, for the batch's nodes alone
 * (propagateRows: the same numbers, about a third less dense work for L = 3).
 */
import * as tf from '@tensorflow/tfjs';
import { sortRows } from '../data/csr.js';
import type { Csr } from '../data/types.js';
import { backendInfo, initBackend, describeBackend } from '../engine/backend.js';
import { defaultPool, initPool, setDefaultPool } from '../engine/defaultPool.js';
import { propagate, propagateRows } from '../engine/ops/propagate.js';
import type { Pool } from '../engine/pool.js';
import type { Rng } from '../engine/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { normalizedAdjacency } from '../graph/adjacency.js';
import type { NormalizedAdjacency, WeightedCsr } from '../graph/types.js';
import { PAIR_LOSSES, type PairLoss } from '../train/losses.js';
import { sampleTriples, type NegativeSampler, type Triples } from '../train/samplers.js';
import { InputError } from '../util/errors.js';
import { batchNodes } from './lightgcn.js';
import { dotRanker } from './rankers.js';
import type { Embeddings, Hyperparameters, ModelContext, TrainableModel } from './types.js';

/** The paper's Gowalla setting (Section 4.2.3 and the authors' README). */
export const NGCF_DEFAULTS = {
  /** embedding size of E(0), and of every layer ([64, 64, 64]) */
  dim: 64,
  /** propagation layers L */
  layers: 3,
  lr: 1e-4,
  /** lambda of eq. 11 (the authors' `regs[0]`, `decay`) */
  reg: 1e-5,
  batchSize: 1024,
  /** dropout on each layer's output while training (the paper's 0.1) */
  messageDropout: 0.1,
  /** dropout of the entries of L while training (off in the authors' runs: node_dropout_flag=0) */
  nodeDropout: 0,
  negatives: 1,
  sampler: 'uniform',
  loss: 'bpr',
} satisfies Hyperparameters;

export type NgcfHyper = typeof NGCF_DEFAULTS;

const LEAKY_SLOPE = 0.2;
/** tf.math.l2_normalize's epsilon: x / sqrt(max(|x|^2, 1e-12)) */
const L2_EPSILON = 1e-12;
/** TF 1.x AdamOptimizer's default epsilon (tfjs would otherwise use 1e-7) */
const ADAM_EPSILON = 1e-8;

interface LayerParams {
  readonly w1: tf.Variable<tf.Rank.R2>;
  readonly b1: tf.Variable<tf.Rank.R1>;
  readonly w2: tf.Variable<tf.Rank.R2>;
  readonly b2: tf.Variable<tf.Rank.R1>;
}

let instances = 0;

export class Ngcf implements TrainableModel {
  readonly name = 'ngcf';
  backend: string | undefined;
  /** size of E(0) and of each layer */
  readonly dim: number;
  readonly nLayers: number;
  readonly nUsers: number;
  readonly nItems: number;
  /** L of eq. 7 (Ã of LightGCN): symmetric, no self-loops */
  readonly adj: NormalizedAdjacency;
  /** E(0): users then items, [nNodes x dim] */
  readonly ego: tf.Variable<tf.Rank.R2>;
  readonly layerParams: readonly LayerParams[];
  private readonly hp: NgcfHyper;
  private readonly loss: PairLoss;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly pool: Pool;
  private readonly userItems: Csr;
  private readonly itemUsers: Csr;
  private triples: Triples | undefined;
  /** draws the dropout masks; reseeded from the trainer's rng at every epoch */
  private dropRng: Rng;
  private disposed = false;

  private constructor(ctx: ModelContext, hyper: Partial<NgcfHyper>, pool: Pool) {
    this.hp = { ...NGCF_DEFAULTS, ...hyper };
    const { dim, layers: K, messageDropout, nodeDropout, batchSize } = this.hp;
    const bad = (text: string, want: string) =>
      new InputError({ file: 'ngcf hyperparameters', text }, want);
    const loss = PAIR_LOSSES[this.hp.loss];
    if (!loss) throw bad(this.hp.loss, `loss one of ${Object.keys(PAIR_LOSSES).join(', ')}`);
    if (!['uniform', 'popularity'].includes(this.hp.sampler))
      throw bad(this.hp.sampler, 'sampler one of uniform, popularity');
    if (!Number.isInteger(K) || K < 0) throw bad(String(K), 'layers to be an integer >= 0');
    if (!Number.isInteger(dim) || dim < 1) throw bad(String(dim), 'dim to be a positive integer');
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw bad(String(batchSize), 'batchSize to be a positive integer');
    for (const [k, v] of [
      ['messageDropout', messageDropout],
      ['nodeDropout', nodeDropout],
    ] as const)
      if (!(v >= 0 && v < 1)) throw bad(`${k}=${v}`, `${k} in [0, 1)`);
    this.loss = loss;
    this.dim = dim;
    this.nLayers = K;
    this.pool = pool;
    this.nUsers = ctx.train.nUsers;
    this.nItems = ctx.train.nItems;
    this.adj = normalizedAdjacency(ctx.trainCsr);
    this.userItems = sortRows({ ...ctx.trainCsr, indices: ctx.trainCsr.indices.slice() });
    this.itemUsers = ctx.trainCsrT;
    this.dropRng = ctx.rng.fork();

    // Xavier-uniform for every parameter, as tf.contrib.layers.xavier_initializer() in the
    // authors' _init_weights: U(+-sqrt(6 / (fan_in + fan_out))) with the [rows, cols] of each
    // (users and items separately, biases as [1, dim]), in their order.
    const id = `ngcf${++instances}`;
    const rng = ctx.rng;
    const ego = new Float32Array((this.nUsers + this.nItems) * dim);
    xavierInto(ego.subarray(0, this.nUsers * dim), this.nUsers, dim, rng);
    xavierInto(ego.subarray(this.nUsers * dim), this.nItems, dim, rng);
    this.ego = tf.tidy(() =>
      tf.variable(tf.tensor2d(ego, [this.nUsers + this.nItems, dim]), true, `${id}/ego`),
    );
    // biases are drawn as the authors' [1, dim] and kept as [dim] (the wasm backend's fused
    // matMul takes rank-1 biases only)
    const param = <R extends tf.Rank>(rows: number, shape: number[], name: string) =>
      tf.tidy(() =>
        tf.variable(
          tf.tensor(xavierInto(new Float32Array(rows * dim), rows, dim, rng), shape) as tf.Tensor,
          true,
          `${id}/${name}`,
        ),
      ) as tf.Variable<R>;
    this.layerParams = Array.from({ length: K }, (_, l) => ({
      w1: param<tf.Rank.R2>(dim, [dim, dim], `W1_${l}`),
      b1: param<tf.Rank.R1>(1, [dim], `b1_${l}`),
      w2: param<tf.Rank.R2>(dim, [dim, dim], `W2_${l}`),
      b2: param<tf.Rank.R1>(1, [dim], `b2_${l}`),
    }));
    this.optimizer = tf.train.adam(this.hp.lr, 0.9, 0.999, ADAM_EPSILON);
  }

  /** Starts the tfjs backend (once per process) and the engine's pool, then builds the model. */
  static async create(ctx: ModelContext, hyper: Partial<NgcfHyper>): Promise<Ngcf> {
    const backend = backendInfo() ?? (await initBackend());
    const pool = await initPool({ threads: ctx.threads });
    try {
      const m = new Ngcf(ctx, hyper, pool);
      m.backend = `tfjs ${describeBackend(backend)}; ${pool.kernelKind} sparse kernels, ${pool.threads} thread(s)`;
      ctx.log(`ngcf: ${m.backend}, ${m.adj.indices.length} non-zeros in L`);
      return m;
    } catch (e) {
      if (defaultPool() === pool) setDefaultPool(undefined);
      await pool.dispose();
      throw e;
    }
  }

  /** The parameters by their names in state(): ego, W1_l, b1_l, W2_l, b2_l. */
  get params(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { ego: this.ego };
    this.layerParams.forEach((p, l) =>
      Object.assign(out, {
        [`W1_${l}`]: p.w1,
        [`b1_${l}`]: p.b1,
        [`W2_${l}`]: p.w2,
        [`b2_${l}`]: p.b2,
      }),
    );
    return out;
  }

  beginEpoch(_epoch: number, rng: Rng): void {
    this.triples = sampleTriples(
      this.userItems,
      rng,
      { negatives: this.hp.negatives, sampler: this.hp.sampler as NegativeSampler },
      this.itemUsers,
    );
    this.dropRng = rng.fork();
  }

  batchesPerEpoch(): number {
    return this.triples ? Math.ceil(this.triples.users.length / this.hp.batchSize) : 0;
  }

  trainStep(b: number): number {
    const t = this.triples;
    if (!t) throw new Error('beginEpoch must run before trainStep');
    const s = b * this.hp.batchSize;
    const e = Math.min(s + this.hp.batchSize, t.users.length);
    return this.step(
      t.users.subarray(s, e),
      t.pos.subarray(s, e),
      t.neg.subarray(s * t.negatives, e * t.negatives),
      t.negatives,
      {
        training: true,
        apply: true,
      },
    ).loss;
  }

  /**
   * The loss of one batch (eq. 11) and its gradient with respect to every parameter (keyed as
   * in state()); dropout only when `training`. Changes no parameter.
   */
  lossAndGradients(
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
    training = false,
  ): { loss: number; grads: Record<string, Float32Array> } {
    const r = this.step(users, pos, neg, negatives, { training, apply: false });
    return { loss: r.loss, grads: r.grads ?? {} };
  }

  /** The loss of one batch alone (eq. 11), with dropout only when `training`. */
  batchLoss(
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
    training = false,
  ): number {
    const dropped = training ? this.dropNodes() : undefined;
    try {
      return tf.tidy(
        () =>
          this.lossTensor(users, pos, neg, negatives, training, dropped ?? this.adj).dataSync()[0],
      );
    } finally {
      if (dropped) this.forget(dropped, false);
    }
  }

  private step(
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
    o: { training: boolean; apply: boolean },
  ): { loss: number; grads?: Record<string, Float32Array> } {
    const dropped = o.training ? this.dropNodes() : undefined;
    const adj = dropped ?? this.adj;
    const names = Object.entries(this.params);
    // typed arrays are handed out of tf.tidy through variables, not returned: tidy walks
    // whatever it returns key by key, looking for tensors
    let loss = NaN;
    let grads: Record<string, Float32Array> | undefined;
    try {
      tf.tidy(() => {
        const g = tf.variableGrads(
          () => this.lossTensor(users, pos, neg, negatives, o.training, adj),
          names.map(([, v]) => v),
        );
        loss = g.value.dataSync()[0];
        if (o.apply) {
          this.optimizer.applyGradients(
            names.map(([, v]) => ({ name: v.name, tensor: g.grads[v.name] })),
          );
        } else {
          grads = Object.fromEntries(
            names.map(([k, v]) => [k, g.grads[v.name].dataSync() as Float32Array]),
          );
        }
      });
      return { loss, grads };
    } finally {
      if (dropped) this.forget(dropped, true);
    }
  }

  /** Eq. 11 on a batch of (u, i, j) triples, each positive paired with each of its negatives. */
  private lossTensor(
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
    training: boolean,
    adj: WeightedCsr,
  ): tf.Scalar {
    const { nodes, slotU, slotI, slotJ } = batchNodes(users, pos, neg, negatives, this.nUsers);
    const pairs = users.length * negatives;
    const uIdx = new Int32Array(pairs);
    const iIdx = new Int32Array(pairs);
    for (let p = 0; p < pairs; p++) {
      const q = Math.floor(p / negatives);
      uIdx[p] = slotU[q];
      iIdx[p] = slotI[q];
    }
    // eq. 9 at the batch's nodes, then each pair's rows
    const fin = this.forward(adj, training, nodes);
    const eu = gatherRows(fin, uIdx);
    const ei = gatherRows(fin, iIdx);
    const ej = gatherRows(fin, slotJ);
    // eq. 10
    const sPos = tf.sum(tf.mul(eu, ei), 1);
    const sNeg = tf.sum(tf.mul(eu, ej), 1);
    const rank = this.pairLoss(sPos, sNeg);
    // the authors' regulariser: decay * (l2_loss(u) + l2_loss(i) + l2_loss(j)) / batch on the final
    // embeddings. Since each E(l>0) block of e* has unit norm, its gradient is that of the same
    // term on E(0) alone; the loss is higher by the constant lambda/2 * 3L.
    const l2 = tf.addN([tf.sum(tf.square(eu)), tf.sum(tf.square(ei)), tf.sum(tf.square(ej))]);
    return tf.add(rank, tf.mul(l2, (this.hp.reg * 0.5) / pairs)) as tf.Scalar;
  }

  /** The ranking loss of train/losses.ts inside autodiff: its value and dLoss/dScore as written there. */
  private readonly pairLoss = tf.customGrad((...inputs) => {
    const [sPos, sNeg] = inputs as tf.Tensor[];
    const p = sPos.dataSync() as Float32Array;
    const n = sNeg.dataSync() as Float32Array;
    const gPos = new Float32Array(p.length);
    const gNeg = new Float32Array(n.length);
    const value = this.loss(p, n, gPos, gNeg);
    return {
      value: tf.scalar(value),
      gradFunc: (dy: tf.Tensor) => [tf.mul(dy, tf.tensor1d(gPos)), tf.mul(dy, tf.tensor1d(gNeg))],
    };
  }) as (sPos: tf.Tensor, sNeg: tf.Tensor) => tf.Scalar;

  /**
   * Eq. 7 for l = 1..L and eq. 9: the final embeddings of the nodes `rows` (all nodes when
   * undefined), [rows x dim (L+1)]. Call inside tf.tidy.
   */
  private forward(adj: WeightedCsr, training: boolean, rows?: Int32Array): tf.Tensor2D {
    const K = this.nLayers;
    const rowsT = rows ? tf.tensor1d(rows, 'int32') : undefined;
    const at = (x: tf.Tensor2D) => (rows ? gatherRows(x, rows) : x);
    // eq. 9's first block is E(0) itself (the authors concatenate the raw ego embeddings)
    const blocks: tf.Tensor2D[] = [at(this.ego)];
    let E: tf.Tensor2D = this.ego;
    for (let l = 0; l < K; l++) {
      const { w1, b1, w2, b2 } = this.layerParams[l];
      // the last layer is needed at `rows` only
      const lastAt = l === K - 1 ? rowsT : undefined;
      const last = lastAt !== undefined;
      // L E(l-1): the p_ui-weighted sums of eq. 3 over each node's neighbours
      const side = lastAt ? propagateRows(adj, E, lastAt) : propagate(adj, E);
      const self = lastAt ? at(E) : E;
      // eq. 7: (L + I) E W1 + b1 + (L E ⊙ E) W2 + b2, i.e. eq. 3's messages plus eq. 4's self-message
      const pre = tf.add(linear(tf.add(side, self), w1, b1), linear(tf.mul(side, self), w2, b2));
      let out = tf.leakyRelu(pre, LEAKY_SLOPE) as tf.Tensor2D;
      // message dropout on the layer's output, which also feeds the next layer (as the authors' code)
      if (training && this.hp.messageDropout > 0)
        out = tf.mul(out, this.dropoutMask(out.shape[0], this.dim));
      E = out;
      // the authors' code L2-normalises each layer's output (rows) before concatenating it;
      // the next layer takes the unnormalised E(l)
      blocks.push(l2Normalize(last ? out : at(out)));
    }
    // eq. 9
    return blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1);
  }

  /** 0 or 1/(1 - rate) per entry, from our seeded generator. */
  private dropoutMask(rows: number, cols: number): tf.Tensor2D {
    const keep = 1 - this.hp.messageDropout;
    // two draws per 32-bit number, 16 bits each: keep probability to within 2^-16, half the cost
    const below = Math.round(keep * 65536);
    const scale = 1 / keep;
    const m = new Float32Array(rows * cols);
    const rng = this.dropRng;
    for (let k = 0; k < m.length; k += 2) {
      const r = rng.nextU32();
      m[k] = (r & 0xffff) < below ? scale : 0;
      if (k + 1 < m.length) m[k + 1] = r >>> 16 < below ? scale : 0;
    }
    return tf.tensor2d(m, [rows, cols]);
  }

  /** L with each entry kept with probability 1 - nodeDropout and rescaled, as the authors' _dropout_sparse. */
  private dropNodes(): WeightedCsr | undefined {
    if (this.hp.nodeDropout <= 0) return undefined;
    return dropEntries(this.adj, this.hp.nodeDropout, this.dropRng);
  }

  /** Frees a per-batch matrix (and the transpose a backward pass built) from the pool's memory. */
  private forget(m: WeightedCsr, backward: boolean): void {
    const pool = defaultPool();
    if (backward) pool.forget(pool.transposeOf(m));
    pool.forget(m);
  }

  /** The final embeddings of eq. 9 for all users and items, dropout off: dim (L+1) columns. */
  embeddings(): Embeddings {
    let all: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      all = this.forward(this.adj, false).dataSync() as Float32Array;
    });
    const dim = this.dim * (this.nLayers + 1);
    return {
      dim,
      users: all.subarray(0, this.nUsers * dim),
      items: all.subarray(this.nUsers * dim),
    };
  }

  ranker(threads: number): TopKRanker {
    return dotRanker(this.embeddings(), threads);
  }

  state(): Record<string, Float32Array> {
    return Object.fromEntries(
      Object.entries(this.params).map(([k, v]) => [k, (v.dataSync() as Float32Array).slice()]),
    );
  }

  load(state: Record<string, Float32Array>): void {
    for (const [k, v] of Object.entries(this.params)) {
      const s = state[k];
      if (!s || s.length !== v.size)
        throw new Error(`ngcf state: ${k} needs ${v.size} values, got ${s?.length ?? 'none'}`);
      tf.tidy(() => v.assign(tf.tensor(s, v.shape)));
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer.dispose();
    for (const v of Object.values(this.params)) v.dispose();
    if (defaultPool() === this.pool) setDefaultPool(undefined);
    await this.pool.dispose();
  }
}

/**
 * Rows `rows` of x, as tf.gather, with the gradient (a scatter-add of dy into the rows) written
 * here: tf.gather's own needs UnsortedSegmentSum, which the wasm backend does not have.
 */
function gatherRows(x: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  const [n, d] = x.shape;
  const f = tf.customGrad((...inputs) => {
    const value = tf.gather(inputs[0] as tf.Tensor2D, tf.tensor1d(rows, 'int32'));
    return {
      value,
      // scatterND sums the updates of repeated rows
      gradFunc: (dy: tf.Tensor) =>
        tf.scatterND(tf.tensor2d(rows, [rows.length, 1], 'int32'), dy, [n, d]),
    };
  });
  return f(x) as tf.Tensor2D;
}

/**
 * x w + b, with a gradient that transposes explicitly: dx = dy (w^T), dw = (x^T) dy, db = sum dy.
 * tfjs's own gradient multiplies with transposeA/transposeB, which the wasm backend does about
 * ten times slower than a transpose followed by a plain product (300 ms against 30 ms for
 * Gowalla's 70k x 64 by 64 x 64).
 */
function linear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((...inputs) => {
    const [xi, wi, bi, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xi, wi]);
    return {
      value: tf.fused.matMul({ a: xi, b: wi, bias: bi }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as tf.Tensor2D[];
        return [
          tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
          tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
          tf.sum(dy, 0),
        ];
      },
    };
  });
  return f(x, w, b) as tf.Tensor2D;
}

/** x / sqrt(max(|x|^2, eps)) per row, as tf.math.l2_normalize(x, axis=1). */
function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), 1, true), L2_EPSILON)));
}

/** Fills `out` ([rows x cols]) with Xavier-uniform values: U(+-sqrt(6 / (rows + cols))). */
export function xavierInto(out: Float32Array, rows: number, cols: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  for (let k = 0; k < out.length; k++) out[k] = (rng.next() * 2 - 1) * limit;
  return out;
}

/**
 * Each entry of `m` kept with probability 1 - rate and scaled by 1 / (1 - rate), else dropped
 * (the authors' node dropout: tf.sparse_retain over the non-zeros of the Laplacian). The result
 * is no longer symmetric, so its backward product uses its transpose.
 */
export function dropEntries(m: WeightedCsr, rate: number, rng: Rng): WeightedCsr {
  const keep = 1 - rate;
  const below = Math.floor(keep * 4294967296);
  const nnz = m.indptr[m.nRows];
  const indptr = new Int32Array(m.nRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let n = 0;
  for (let r = 0; r < m.nRows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      if (rng.nextU32() < below) {
        indices[n] = m.indices[p];
        values[n++] = m.values[p] / keep;
      }
    }
    indptr[r + 1] = n;
  }
  return {
    nRows: m.nRows,
    nCols: m.nCols,
    indptr,
    indices: indices.subarray(0, n),
    values: values.subarray(0, n),
  };
}
