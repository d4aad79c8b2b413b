/**
 * The hand-written NGCF (forward and backward spelled out on the pool's kernels), as it was
 * before NGCF moved onto the autodiff tape (src/models/ngcf.ts): kept only as the baseline of
 * `npm run bench -- tape-step --model ngcf`, which times both on one batch and compares their gradients.
 *
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
 * Where the paper and that code differ, the paper is followed by default: the code applies
 * LeakyReLU to each of the two terms separately and, with its default adj_type 'norm', uses
 * D^-1 (A + I) for both (L + I) and L; here one LeakyReLU of the sum, with L and L + I as in
 * eq. 7, or the code's D^-1 (A + I) with the hyperparameter `propagation: 'authors'`, and its
 * per-term LeakyReLU with `activation: 'per-term'`:
 *       E(l) = LeakyReLU(Â E(l-1) W1(l) + b1(l)) + LeakyReLU((Â E(l-1) ⊙ E(l-1)) W2(l) + b2(l)).
 * Training triples come from train/samplers.ts (the LightGCN code's scheme, one per training
 * interaction per epoch), not from the NGCF code's per-batch sample of distinct users.
 *
 * Forward and backward are written out by hand, as LightGCN's are, and run on the engine's
 * kernels on the pool's threads: the sparse products (L E, its transpose, and their
 * row-restricted forms), the dense products [L E + E | L E ⊙ E] · [W1; W2] and their gradients
 * (matmul, matmulTN), and the elementwise work (building [L E + E | L E ⊙ E], LeakyReLU, the
 * dropout mask, the row normalisation of eq. 9, and their gradients); eq. 10 and 11 on the
 * batch's pairs are plain loops. No tfjs: through tfjs the dense products and the copies to and
 * from its memory took two thirds of a step (XNNPACK runs on one thread in Node). The
 * gradients (derived at backward()) are checked against finite differences, the forward pass
 * against eq. 7/9 computed densely in float64 (test/unit/models/ngcf.test.ts). Every batch
 * propagates from E(0) again, as the authors' code does. The last layer, which only enters the
 * loss through the batch's rows, is computed for those rows alone; each layer below it for the
 * rows the layers above read (the batch's nodes and their neighbours, hop by hop) while those
 * are fewer than 90% of all nodes, else for all.
 * Adam runs as the engine's kernel on E(0) and as plain loops on the small W and b.
 */
import { sortRows } from '../../src/data/csr.js';
import type { Csr } from '../../src/data/types.js';
import { Pool, type DeviceCsr } from '../../src/engine/pool.js';
import type { Rng } from '../../src/util/rng.js';
import type { TopKRanker } from '../../src/eval/ranking.js';
import { meanAdjacencyWithSelfLoops, normalizedAdjacency } from '../../src/graph/adjacency.js';
import type { WeightedCsr } from '../../src/graph/types.js';
import { Adam } from '../../src/train/adam.js';
import { PAIR_LOSSES, type PairLoss } from '../../src/train/losses.js';
import { learningRateSchedule, type LearningRateAt } from '../../src/train/lrSchedule.js';
import { PoolAdam } from '../../src/train/poolAdam.js';
import { sampleTriples, type NegativeSampler, type Triples } from '../../src/train/samplers.js';
import { InputError } from '../../src/util/errors.js';
import { dropEntries } from '../../src/graph/dropEntries.js';
import { NGCF_DEFAULTS, type NgcfHyper, type NgcfOptions } from '../../src/models/ngcf.js';
import { batchNodes } from '../../src/models/lightgcn.js';
import { dotRanker } from '../../src/models/rankers.js';
import type { Embeddings, ModelContext, TrainableModel } from '../../src/models/types.js';

/**
 * At the paper's batch of 1024 on Gowalla, layer L-1 is read at 58% of the nodes (layer L-2
 * at 99.9%): computing it there alone saves about a sixth of a step; at batch 8192, 97%.
 */
const RESTRICT_BELOW = 0.9;

const LEAKY_SLOPE = 0.2;
/** tf.math.l2_normalize's epsilon: x / sqrt(max(|x|^2, 1e-12)) */
const L2_EPSILON = 1e-12;
/** TF 1.x AdamOptimizer's default epsilon */
const ADAM_EPSILON = 1e-8;

/** One layer's W1 [dim x dim], b1 [dim], W2 [dim x dim], b2 [dim] (row-major, x W convention). */
interface LayerParams {
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

/** What a layer's forward pass keeps for its backward pass, at the r rows it computed. */
interface LayerTrace {
  readonly r: number;
  /** E(l-1) at the rows, and L E(l-1) there */
  readonly input: Float32Array;
  readonly side: Float32Array;
  /** X = [L E + E | L E ⊙ E] at the rows, [r x 2 dim], for dW = X^T dPre */
  readonly x: Float32Array;
  /**
   * eq. 7 before the LeakyReLU [r x dim]; per term, the two terms after theirs, one [r x dim]
   * after the other (a LeakyReLU keeps the sign, and the sign is all the backward pass needs);
   * and the dropout mask applied after it
   */
  readonly pre: Float32Array;
  readonly mask: Float32Array | undefined;
  /** E(l) at the rows */
  readonly out: Float32Array;
}

/** Pool arrays a layer's forward pass fills for r rows: X [r x 2 dim], pre and mask [r x dim]. */
interface LayerWork {
  readonly x: Float32Array;
  readonly pre: Float32Array;
  readonly mask: Float32Array | undefined;
}

/**
 * A layer of a batch's forward pass, with E(l) at the batch's nodes (gathered once); a layer
 * computed at some rows only (the nodes whose E(l) a later layer reads) names them, in the
 * pool's memory, and its trace's arrays hold those rows in that order.
 */
interface BatchLayerTrace extends LayerTrace {
  readonly atBatch: Float32Array;
  readonly rows?: Int32Array;
}

/** A batch's forward pass: the final embeddings of its nodes and what backward needs. */
interface BatchForward {
  readonly rows: Int32Array;
  /** the same rows in the pool's memory, for the row-restricted kernels */
  readonly deviceRows: Int32Array;
  /** pool arrays of this batch alone (deviceRows, the last layer's arrays): release() frees them */
  readonly owned: (Float32Array | Int32Array)[];
  /** eq. 9 at the rows: [S x dim (L+1)] */
  readonly fin: Float32Array;
  readonly traces: BatchLayerTrace[];
  /** each triple's rows among them: u, i, and its negatives' */
  readonly slotU: Int32Array;
  readonly slotI: Int32Array;
  readonly slotJ: Int32Array;
}

export class NgcfHand implements TrainableModel {
  readonly name = 'ngcf';
  readonly backend: string;
  /** size of E(0) and of each layer */
  readonly dim: number;
  readonly nLayers: number;
  readonly nUsers: number;
  readonly nItems: number;
  /**
   * The propagation matrix: L of eq. 7 (Ã of LightGCN: symmetric, no self-loops), or with the
   * authors' propagation Â = D^-1 (A + I)
   */
  readonly adj: WeightedCsr;
  /** eq. 7's self term: (L + I) E in the sum (paper), or none beside Â's diagonal (authors) */
  readonly selfTerm: boolean;
  /** one LeakyReLU per term of eq. 7 (the TensorFlow original), not one of their sum */
  readonly perTerm: boolean;
  /** columns of a layer's pre-activation: dim, or 2 dim per term */
  private readonly preWidth: number;
  /** E(0): users then items, [nNodes x dim], in the pool's memory */
  readonly ego: Float32Array;
  readonly layerParams: readonly LayerParams[];
  private readonly hp: NgcfHyper;
  private readonly loss: PairLoss;
  private readonly pool: Pool;
  private readonly dev: DeviceCsr;
  private readonly egoAdam: PoolAdam;
  private readonly paramAdam: Map<string, Adam>;
  private readonly lrAt: LearningRateAt;
  /** E(1..L-1) and L E(0..L-2) of the full layers, and dL/dE ping-pong buffers (pool memory) */
  private readonly outs: Float32Array[];
  private readonly sides: Float32Array[];
  private readonly dE: [Float32Array, Float32Array];
  private readonly dSide: Float32Array;
  /** 0 .. nNodes-1, for the transposed product of a node-dropped (asymmetric) L */
  private readonly allRows: Int32Array;
  /**
   * A layer below the last is computed at the rows the layers above read (the batch's nodes and
   * their neighbours, hop by hop) when they are fewer than this fraction of all nodes
   */
  private readonly restrictBelow: number;
  /** per layer below the last, its input at those rows (room for all nodes) */
  private readonly restrictedInputs: Float32Array[];
  /** the rows each layer below the last was computed at in the last batch (all nodes: in full) */
  readonly layerRowCounts: number[];
  /** marks of nodes while listing a neighbourhood */
  private readonly marks: Uint8Array;
  /**
   * Full-size work arrays in the pool, reused from batch to batch (a fresh 18-36 MB array costs
   * about as much as the pass that fills it): each full layer's own X, pre-activation and
   * dropout mask of eq. 7, kept for its backward pass, and the backward's dL/dpre and dL/dX
   * for one layer at a time.
   */
  private readonly works: LayerWork[];
  private readonly dPre: Float32Array;
  private readonly dX: Float32Array;
  /**
   * One layer's dense operands in the pool, refilled from its parameters at each use: [W1; W2]
   * and b1 + b2 of eq. 7, W^T for the backward, and the gradients dW and db; and 1 (per node),
   * for db = 1^T dPre.
   */
  private readonly dense: Record<'w' | 'bias' | 'wT' | 'dW' | 'db', Float32Array>;
  private readonly ones: Float32Array;
  /**
   * eq. 9 at a batch's rows and its gradient, pool arrays reused from batch to batch (about
   * 20 MB each at batch 8192)
   */
  private readonly scratches: Float32Array[] = [];
  private readonly userItems: Csr;
  private readonly itemUsers: Csr;
  private triples: Triples | undefined;
  /** draws the dropout masks; reseeded from the trainer's rng at every epoch */
  private dropRng: Rng;

  private constructor(
    ctx: ModelContext,
    hyper: Partial<NgcfHyper>,
    pool: Pool,
    options: NgcfOptions,
  ) {
    this.hp = { ...NGCF_DEFAULTS, ...hyper };
    this.restrictBelow = options.restrictBelow ?? RESTRICT_BELOW;
    const { dim, layers: K, messageDropout, nodeDropout, batchSize } = this.hp;
    const bad = (text: string, want: string) =>
      new InputError({ file: 'ngcf hyperparameters', text }, want);
    const loss = PAIR_LOSSES[this.hp.loss];
    if (!loss) throw bad(this.hp.loss, `loss one of ${Object.keys(PAIR_LOSSES).join(', ')}`);
    if (!['uniform', 'popularity'].includes(this.hp.sampler))
      throw bad(this.hp.sampler, 'sampler one of uniform, popularity');
    if (!['paper', 'authors'].includes(this.hp.propagation))
      throw bad(this.hp.propagation, 'propagation one of paper, authors');
    if (!['of-sum', 'per-term'].includes(this.hp.activation))
      throw bad(this.hp.activation, 'activation one of of-sum, per-term');
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
    const n = this.nUsers + this.nItems;
    this.selfTerm = this.hp.propagation === 'paper';
    this.perTerm = this.hp.activation === 'per-term';
    this.preWidth = this.perTerm ? 2 * dim : dim;
    const pw = this.preWidth;
    this.adj = this.selfTerm
      ? normalizedAdjacency(ctx.trainCsr)
      : meanAdjacencyWithSelfLoops(ctx.trainCsr);
    this.dev = pool.upload(this.adj);
    this.userItems = sortRows({ ...ctx.trainCsr, indices: ctx.trainCsr.indices.slice() });
    this.itemUsers = ctx.trainCsrT;
    this.dropRng = ctx.rng.fork();
    this.backend = `fused: ${pool.kernelKind} kernels on ${pool.threads} thread(s)`;

    // Xavier-uniform for every parameter, as tf.contrib.layers.xavier_initializer() in the
    // authors' _init_weights: U(+-sqrt(6 / (fan_in + fan_out))) with the [rows, cols] of each
    // (users and items separately, biases as [1, dim]), in their order.
    const rng = ctx.rng;
    this.ego = pool.allocF32(n * dim);
    xavierInto(this.ego.subarray(0, this.nUsers * dim), this.nUsers, dim, rng);
    xavierInto(this.ego.subarray(this.nUsers * dim), this.nItems, dim, rng);
    const param = (rows: number) => xavierInto(new Float32Array(rows * dim), rows, dim, rng);
    this.layerParams = Array.from({ length: K }, () => ({
      w1: param(dim),
      b1: param(1),
      w2: param(dim),
      b2: param(1),
    }));
    this.lrAt = learningRateSchedule(this.hp, 'ngcf');
    const adam = { lr: this.hp.lr, eps: ADAM_EPSILON };
    this.egoAdam = new PoolAdam(pool, this.ego.length, adam);
    this.paramAdam = new Map(
      Object.entries(this.smallParams()).map(([k, v]) => [k, new Adam(v.length, adam)]),
    );
    const full = Math.max(0, K - 1);
    this.outs = Array.from({ length: full }, () => pool.allocF32(n * dim));
    this.sides = Array.from({ length: full }, () => pool.allocF32(n * dim));
    this.dE = [pool.allocF32(n * dim), pool.allocF32(n * dim)];
    this.dSide = pool.allocF32(n * dim);
    this.allRows = pool.allocI32(n);
    for (let r = 0; r < n; r++) this.allRows[r] = r;
    this.marks = new Uint8Array(n);
    this.restrictedInputs =
      this.restrictBelow > 0 ? this.outs.map(() => pool.allocF32(n * dim, false)) : [];
    this.layerRowCounts = this.outs.map(() => n);
    this.works = Array.from({ length: full }, () => this.allocWork(n, messageDropout > 0));
    this.dPre = pool.allocF32(K > 0 ? n * pw : 0, false);
    this.dX = pool.allocF32(K > 0 ? n * 2 * dim : 0, false);
    this.dense = {
      w: pool.allocF32(2 * dim * dim, false),
      bias: pool.allocF32(pw, false),
      wT: pool.allocF32(2 * dim * dim, false),
      dW: pool.allocF32(2 * dim * dim, false),
      db: pool.allocF32(pw, false),
    };
    this.ones = pool.allocF32(n, false).fill(1);
  }

  /** Starts the engine's pool, then builds the model. */
  static async create(
    ctx: ModelContext,
    hyper: Partial<NgcfHyper>,
    options: NgcfOptions = {},
  ): Promise<NgcfHand> {
    const pool = await Pool.create({ threads: ctx.threads });
    try {
      const m = new NgcfHand(ctx, hyper, pool, options);
      ctx.log(`ngcf: ${m.backend}, ${m.adj.indices.length} non-zeros in L`);
      return m;
    } catch (e) {
      await pool.dispose();
      throw e;
    }
  }

  /** Bytes of the engine's memory the model holds (its arrays, and the work arrays it reuses). */
  get engineBytes(): number {
    return this.pool.heap.usedBytes;
  }

  /** W1_l, b1_l, W2_l, b2_l by their names in state(). */
  private smallParams(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
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

  beginEpoch(epoch: number, rng: Rng): void {
    const lr = this.lrAt(epoch);
    this.egoAdam.lr = lr;
    for (const a of this.paramAdam.values()) a.lr = lr;
    this.triples = sampleTriples(
      this.userItems,
      rng,
      { negatives: this.hp.negatives, sampler: this.hp.sampler as NegativeSampler },
      this.itemUsers,
    );
    this.dropRng = rng.fork();
  }

  learningRate(): number {
    return this.egoAdam.lr;
  }

  batchesPerEpoch(): number {
    return this.triples ? Math.ceil(this.triples.users.length / this.hp.batchSize) : 0;
  }

  trainStep(b: number): number {
    const t = this.triples;
    if (!t) throw new Error('beginEpoch must run before trainStep');
    const s = b * this.hp.batchSize;
    const e = Math.min(s + this.hp.batchSize, t.users.length);
    const { loss, grads } = this.lossAndGradients(
      t.users.subarray(s, e),
      t.pos.subarray(s, e),
      t.neg.subarray(s * t.negatives, e * t.negatives),
      t.negatives,
      true,
    );
    this.egoAdam.step(this.ego, grads.ego);
    for (const [k, p] of Object.entries(this.smallParams()))
      this.paramAdam.get(k)?.step(p, grads[k]);
    return loss;
  }

  /**
   * The loss of one batch (eq. 11) and its gradient with respect to every parameter (keyed as
   * in state(); grads.ego lives in the pool and is overwritten by the next call of this or of
   * batchLoss); dropout only when `training`. Changes no parameter.
   */
  lossAndGradients(
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
    training = false,
  ): { loss: number; grads: Record<string, Float32Array> } {
    return this.withAdjacency(training, (dev, symmetric) => {
      const f = this.forwardBatch(dev, users, pos, neg, negatives, training);
      try {
        const dFin = this.scratch(1, f.fin.length);
        dFin.fill(0);
        const loss = this.pairLossAndGradient(f, users.length, negatives, dFin);
        const grads = this.backward(dev, symmetric, f, dFin);
        return { loss, grads };
      } finally {
        this.release(f);
      }
    });
  }

  /** The loss of one batch alone (eq. 11), with dropout only when `training`. */
  batchLoss(
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
    training = false,
  ): number {
    return this.withAdjacency(training, (dev) => {
      const f = this.forwardBatch(dev, users, pos, neg, negatives, training);
      try {
        return this.pairLossAndGradient(f, users.length, negatives);
      } finally {
        this.release(f);
      }
    });
  }

  /**
   * Runs `f` on L, or while training with node dropout on, on a node-dropped copy of it;
   * `symmetric` tells whether the matrix is its own transpose (L is; Â and dropped copies not).
   */
  private withAdjacency<T>(training: boolean, f: (dev: DeviceCsr, symmetric: boolean) => T): T {
    if (!training || this.hp.nodeDropout <= 0) return f(this.dev, this.selfTerm);
    const dropped = dropEntries(this.adj, this.hp.nodeDropout, this.dropRng);
    const dev = this.pool.upload(dropped);
    try {
      return f(dev, false);
    } finally {
      this.pool.forget(dropped);
    }
  }

  /**
   * Eq. 7 for l = 1..L-1 at every node, the last layer at the batch's nodes, and eq. 9 there.
   */
  private forwardBatch(
    dev: DeviceCsr,
    users: Int32Array,
    pos: Int32Array,
    neg: Int32Array,
    negatives: number,
    training: boolean,
  ): BatchForward {
    const { dim, nLayers: K, pool } = this;
    const { nodes, slotU, slotI, slotJ } = batchNodes(users, pos, neg, negatives, this.nUsers);
    const S = nodes.length;
    const D = dim * (K + 1);
    // every entry is written below
    const fin = this.scratch(0, S * D);
    const traces: BatchLayerTrace[] = [];
    const rows = pool.allocI32(S, false);
    rows.set(nodes);
    const owned: (Float32Array | Int32Array)[] = [rows];
    try {
      const own = (length: number) => {
        const a = pool.allocF32(length, false);
        owned.push(a);
        return a;
      };
      // the rows each layer below the last is needed at, where they are few enough
      const needed = this.neededRows(nodes);
      needed.forEach((r, l) => (this.layerRowCounts[l] = r?.length ?? this.nUsers + this.nItems));
      const layerRows = needed.map((r) => {
        if (!r) return undefined;
        const dr = pool.allocI32(r.length, false);
        owned.push(dr);
        dr.set(r);
        return dr;
      });
      // E(l) (in full, or valid at the rows the next layer reads) and at the batch's nodes
      let E = this.ego;
      let atBatch = own(S * dim);
      pool.gatherRows(E, rows, atBatch, dim);
      // eq. 9's first block is E(0) itself (the authors concatenate the raw ego embeddings)
      pool.gatherRows(E, rows, fin, dim, { ld: D, col: 0 });
      for (let l = 0; l < K; l++) {
        if (l < K - 1) {
          const from = E;
          const at = layerRows[l];
          let t: LayerTrace;
          if (at) {
            // at the listed rows alone, into the start of the layer's arrays; E(l+1) is then
            // valid at those rows of outs[l] only, which are all the next layer reads
            const r = at.length;
            const input = this.restrictedInputs[l];
            // the output at the rows is copied into outs[l] and not kept: dE's array is free
            // until the backward pass
            const out = this.dE[0];
            const work = this.works[l];
            pool.gatherRows(from, at, input.subarray(0, r * dim), dim);
            t = this.layer(
              l,
              input.subarray(0, r * dim),
              this.sides[l].subarray(0, r * dim),
              out.subarray(0, r * dim),
              {
                x: work.x.subarray(0, r * 2 * dim),
                pre: work.pre.subarray(0, r * this.preWidth),
                mask: work.mask?.subarray(0, r * dim),
              },
              training,
              (side) => pool.spmmRows(dev, from, at, side, dim),
            );
            scatterCopyRows(t.out, at, this.outs[l], dim);
          } else
            t = this.layer(l, from, this.sides[l], this.outs[l], this.works[l], training, (side) =>
              pool.spmm(dev, from, side, dim),
            );
          E = this.outs[l];
          atBatch = own(S * dim);
          pool.gatherRows(E, rows, atBatch, dim);
          traces.push({ ...t, atBatch, rows: at });
        } else {
          // the last layer is needed at the batch's nodes only
          const from = E;
          const work = {
            x: own(S * 2 * dim),
            pre: own(S * this.preWidth),
            mask: training && this.hp.messageDropout > 0 ? own(S * dim) : undefined,
          };
          const out = own(S * dim);
          const t = this.layer(l, atBatch, own(S * dim), out, work, training, (s) =>
            pool.spmmRows(dev, from, rows, s, dim),
          );
          traces.push({ ...t, atBatch: out });
        }
        // the authors' code L2-normalises each layer's output (rows) before concatenating it;
        // the next layer takes the unnormalised E(l)
        pool.normalizeRows(traces[l].atBatch, fin, dim, L2_EPSILON, { ld: D, col: (l + 1) * dim });
      }
      return { rows: nodes, deviceRows: rows, owned, fin, traces, slotU, slotI, slotJ };
    } catch (e) {
      this.release({ owned });
      throw e;
    }
  }

  /**
   * For each layer below the last, the rows it must be computed at (ascending), or undefined for
   * all of them: the last layer reads E(L-1) at the batch's nodes and their neighbours, layer
   * L-2 reads E(L-2) at those and theirs, and so on down, until a set reaches restrictBelow of
   * all nodes (from there down every layer is computed in full). Listed from the unchanged L,
   * a superset of the rows of a node-dropped copy.
   */
  private neededRows(nodes: Int32Array): (Int32Array | undefined)[] {
    const K = this.nLayers;
    const out: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(Math.max(0, K - 1));
    const n = this.nUsers + this.nItems;
    const { indptr, indices } = this.adj;
    const marks = this.marks;
    let from = nodes;
    for (let l = K - 2; l >= 0; l--) {
      marks.fill(0);
      let count = 0;
      for (const r of from) {
        if (!marks[r]) {
          marks[r] = 1;
          count++;
        }
        for (let p = indptr[r]; p < indptr[r + 1]; p++) {
          const c = indices[p];
          if (!marks[c]) {
            marks[c] = 1;
            count++;
          }
        }
      }
      if (count >= this.restrictBelow * n) break;
      const rows = new Int32Array(count);
      for (let r = 0, k = 0; r < n; r++) if (marks[r]) rows[k++] = r;
      out[l] = rows;
      from = rows;
    }
    return out;
  }

  /** The first `length` floats of scratch array k, grown when too short (contents undefined). */
  private scratch(k: 0 | 1, length: number): Float32Array {
    const have = this.scratches[k];
    if (!have || have.length < length) {
      if (have) this.pool.free(have);
      // room for the largest batch of the settings at once: 2 + negatives rows per triple
      const { batchSize, negatives, dim, layers } = this.hp;
      const rows = Math.min(this.nUsers + this.nItems, batchSize * (2 + negatives));
      this.scratches[k] = this.pool.allocF32(Math.max(length, rows * dim * (layers + 1)), false);
    }
    return this.scratches[k].subarray(0, length);
  }

  /** Frees the pool arrays a batch's forward pass holds. */
  private release(f: Pick<BatchForward, 'owned'>): void {
    for (const a of f.owned) this.pool.free(a);
  }

  /** Pool arrays for a layer of r rows (a dropout mask when `dropout`). */
  private allocWork(r: number, dropout: boolean): LayerWork {
    const { pool, dim: d } = this;
    return {
      x: pool.allocF32(r * 2 * d, false),
      pre: pool.allocF32(r * this.preWidth, false),
      mask: dropout ? pool.allocF32(r * d, false) : undefined,
    };
  }

  /**
   * Eq. 7 for layer l at r rows: side = L E(l-1) there (computed by `propagate` into `side`),
   * out = dropout(LeakyReLU([side + input | side ⊙ input] [W1; W2] + b1 + b2)), with X, the
   * pre-activation and the mask in `work`; the arrays are all the pool's.
   */
  private layer(
    l: number,
    input: Float32Array,
    side: Float32Array,
    out: Float32Array,
    work: LayerWork,
    training: boolean,
    propagate: (side: Float32Array) => void,
  ): LayerTrace {
    const { dim: d, pool } = this;
    const r = input.length / d;
    const { w1, b1, w2, b2 } = this.layerParams[l];
    // L E(l-1): the p_ui-weighted sums of eq. 3 over each node's neighbours
    propagate(side);
    // X = [(L + I) E | L E ⊙ E], or with the authors' propagation [Â E | Â E ⊙ E]
    pool.sumProd(side, input, work.x, d, this.selfTerm);
    const { w, bias } = this.dense;
    w.set(w1);
    w.set(w2, d * d);
    if (this.perTerm) {
      // (L + I) E W1 + b1 and (L E ⊙ E) W2 + b2 apart: X's two column blocks, the two halves of
      // pre (each [r x dim])
      bias.set(b1);
      bias.set(b2, d);
      const [w1d, w2d, b1d, b2d] = [w.subarray(0, d * d), w.subarray(d * d), ...halves(bias, d)];
      const [pre1, pre2] = halves(work.pre, r * d);
      pool.matmul(work.x, w1d, pre1, d, d, b1d, { a: { ld: 2 * d, col: 0 } });
      pool.matmul(work.x, w2d, pre2, d, d, b2d, { a: { ld: 2 * d, col: d } });
    } else {
      for (let c = 0; c < d; c++) bias[c] = b1[c] + b2[c];
      // eq. 7: (L + I) E W1 + b1 + (L E ⊙ E) W2 + b2, eq. 3's messages and eq. 4's self-message
      pool.matmul(work.x, w, work.pre, 2 * d, d, bias);
    }
    // message dropout on the layer's output, which also feeds the next layer (as the authors' code)
    let mask: Float32Array | undefined;
    if (training && this.hp.messageDropout > 0) {
      if (!work.mask) throw new Error(`ngcf: layer ${l} has no array for its dropout mask`);
      mask = this.dropoutMask(work.mask);
    }
    if (this.perTerm) {
      // NGCF.py: LeakyReLU(sum W1 + b1) + LeakyReLU(bi W2 + b2), then dropout
      pool.leakyRelu(work.pre, work.pre, LEAKY_SLOPE);
      addHalves(work.pre, out, mask);
    } else pool.leakyRelu(work.pre, out, LEAKY_SLOPE, mask);
    return { r, input, side, x: work.x, pre: work.pre, mask, out };
  }

  /**
   * Eq. 10 and eq. 11 on the batch's final embeddings; with `dFin`, also dLoss/dfin into it.
   * The authors' regulariser is decay * (l2_loss(u) + l2_loss(i) + l2_loss(j)) / batch on the
   * final embeddings, per (u, i, j) pair. Since each E(l>0) block of e* has unit norm, its
   * gradient is that of the same term on E(0) alone (the loss is higher by lambda/2 * 3L).
   */
  private pairLossAndGradient(
    f: BatchForward,
    triples: number,
    negatives: number,
    dFin?: Float32Array,
  ): number {
    const { fin, slotU, slotI, slotJ } = f;
    const D = this.dim * (this.nLayers + 1);
    const pairs = triples * negatives;
    const sPos = new Float32Array(pairs);
    const sNeg = new Float32Array(pairs);
    let l2 = 0;
    for (let p = 0; p < pairs; p++) {
      const q = Math.floor(p / negatives);
      const u = slotU[q] * D;
      const i = slotI[q] * D;
      const j = slotJ[p] * D;
      // eq. 10
      let sp = 0;
      let sn = 0;
      for (let c = 0; c < D; c++) {
        const eu = fin[u + c];
        sp += eu * fin[i + c];
        sn += eu * fin[j + c];
        l2 += eu * eu + fin[i + c] * fin[i + c] + fin[j + c] * fin[j + c];
      }
      sPos[p] = sp;
      sNeg[p] = sn;
    }
    const gPos = new Float32Array(pairs);
    const gNeg = new Float32Array(pairs);
    const reg = this.hp.reg;
    // eq. 11
    const loss = this.loss(sPos, sNeg, gPos, gNeg) + (reg * 0.5 * l2) / pairs;
    if (dFin) {
      const r = reg / pairs;
      for (let p = 0; p < pairs; p++) {
        const q = Math.floor(p / negatives);
        const u = slotU[q] * D;
        const i = slotI[q] * D;
        const j = slotJ[p] * D;
        const gp = gPos[p];
        const gn = gNeg[p];
        for (let c = 0; c < D; c++) {
          const eu = fin[u + c];
          const ei = fin[i + c];
          const ej = fin[j + c];
          dFin[u + c] += gp * ei + gn * ej + r * eu;
          dFin[i + c] += gp * eu + r * ei;
          dFin[j + c] += gn * eu + r * ej;
        }
      }
    }
    return loss;
  }

  /**
   * dLoss/dparameters from dLoss/dfin, layer by layer from the last. With y = x / |x| the
   * normalised block, dx = (dy - y (y . dy)) / |x|; with pre = X W + b, out = m ⊙ LeakyReLU(pre):
   *   dPre = dOut ⊙ m ⊙ (pre > 0 ? 1 : 0.2),  dW = X^T dPre,  db1 = db2 = sum over rows of dPre,
   *   dX = dPre W^T = [dSum | dProd],  d(side) = dSum + dProd ⊙ E,  dE += dSum + dProd ⊙ side,
   *   dE += L^T d(side)  (L^T = L unless node dropout dropped entries).
   */
  private backward(
    dev: DeviceCsr,
    symmetric: boolean,
    f: BatchForward,
    dFin: Float32Array,
  ): Record<string, Float32Array> {
    const { dim: d, nLayers: K, pool } = this;
    const D = d * (K + 1);
    const { rows: nodes, traces } = f;
    const S = nodes.length;
    const grads: Record<string, Float32Array> = {};
    let dE = this.dE[0];
    pool.zero(dE);
    if (K > 0) {
      // the last layer, at the batch's nodes: dE(L-1) = L^T dSide scattered from them, + dSelf
      const top = traces[K - 1];
      const dTop = pool.allocF32(S * d, false);
      const dSide = pool.allocF32(S * d, false);
      try {
        pool.normalizeRowsBack(top.out, dFin, dTop, d, L2_EPSILON, { ld: D, col: K * d });
        const dX = this.layerBackward(K - 1, top, dTop, grads, dSide);
        this.addFromRows(dev, f.deviceRows, dX, top.side, dSide, dE);
      } finally {
        pool.free(dSide);
        pool.free(dTop);
      }
      // the full layers, from L-1 down to 1
      for (let l = K - 2; l >= 0; l--) {
        const t = traces[l];
        // dE is dL/dE(l+1) through layer l+2; add its own block of eq. 9
        pool.normalizeRowsBack(t.atBatch, dFin, dE, d, L2_EPSILON, {
          ld: D,
          col: (l + 1) * d,
          rows: f.deviceRows,
          accumulate: true,
        });
        const next = dE === this.dE[0] ? this.dE[1] : this.dE[0];
        if (t.rows) {
          // a layer computed at listed rows: dE(l+1) is zero elsewhere (only they reached the
          // layers above); its rows go through `next` before next is zeroed and filled
          const dOut = next.subarray(0, t.r * d);
          pool.gatherRows(dE, t.rows, dOut, d);
          const dSide = this.dSide.subarray(0, t.r * d);
          const dX = this.layerBackward(l, t, dOut, grads, dSide);
          pool.zero(next);
          this.addFromRows(dev, t.rows, dX, t.side, dSide, next);
        } else {
          const dX = this.layerBackward(l, t, dE, grads, this.dSide);
          if (symmetric) pool.spmm(dev, this.dSide, next, d);
          else {
            pool.zero(next);
            pool.scatterRows(dev, this.dSide, this.allRows, next, d);
          }
          // the self terms of eq. 7: dE(l) += dSum + dProd ⊙ L E(l)
          pool.sumProdBack(dX, t.side, next, d, { accumulate: true, productOnly: !this.selfTerm });
        }
        dE = next;
      }
    }
    addBlockToRows(dE, nodes, dFin, D, 0, d);
    grads.ego = dE;
    return grads;
  }

  /**
   * dL/dE(l-1) from a layer computed at listed rows (the pool's): L^T d(side) from those rows,
   * and there the self terms of eq. 7, dSum + dProd ⊙ L E(l-1); added to dE.
   */
  private addFromRows(
    dev: DeviceCsr,
    rows: Int32Array,
    dX: Float32Array,
    side: Float32Array,
    dSide: Float32Array,
    dE: Float32Array,
  ): void {
    const { pool, dim: d } = this;
    pool.scatterRows(dev, dSide, rows, dE, d);
    pool.sumProdBack(dX, side, dE, d, { rows, accumulate: true, productOnly: !this.selfTerm });
  }

  /**
   * From dL/dE(l) at layer l's rows: the gradients of its W and b (into grads), dL/d(side)
   * into dSide, and dX = [dSum | dProd] (the model's work array, valid until the next call) for
   * the self terms. dOut, dSide and the trace's arrays are the pool's.
   */
  private layerBackward(
    l: number,
    t: LayerTrace,
    dOut: Float32Array,
    grads: Record<string, Float32Array>,
    dSide: Float32Array,
  ): Float32Array {
    const { dim: d, pool } = this;
    const { r, pre, mask, input } = t;
    const dPre = this.dPre.subarray(0, r * this.preWidth);
    const { w1, w2 } = this.layerParams[l];
    const { wT, dW, db } = this.dense;
    const dX = this.dX.subarray(0, r * 2 * d);
    const ones = this.ones.subarray(0, r);
    if (this.perTerm) {
      // each term's own LeakyReLU: dPre = [dPre1; dPre2], the halves of pre's layout
      const [pre1, pre2] = halves(pre, r * d);
      const [dPre1, dPre2] = halves(dPre, r * d);
      pool.leakyReluBack(dOut, pre1, dPre1, LEAKY_SLOPE, mask);
      pool.leakyReluBack(dOut, pre2, dPre2, LEAKY_SLOPE, mask);
      // W1^T and W2^T, one after the other
      for (let a = 0; a < d; a++)
        for (let c = 0; c < d; c++) {
          wT[c * d + a] = w1[a * d + c];
          wT[d * d + c * d + a] = w2[a * d + c];
        }
      const [dW1, dW2] = halves(dW, d * d);
      const [db1, db2] = halves(db, d);
      // dW1 = Sum^T dPre1, dW2 = Prod^T dPre2 (X's column blocks), db = 1^T dPre,
      // dX = [dPre1 W1^T | dPre2 W2^T]
      const left = { ld: 2 * d, col: 0 };
      const right = { ld: 2 * d, col: d };
      pool.matmulTN(t.x, dPre1, dW1, d, d, { a: left });
      pool.matmulTN(t.x, dPre2, dW2, d, d, { a: right });
      pool.matmulTN(ones, dPre1, db1, 1, d);
      pool.matmulTN(ones, dPre2, db2, 1, d);
      pool.matmul(dPre1, wT.subarray(0, d * d), dX, d, d, undefined, { c: left });
      pool.matmul(dPre2, wT.subarray(d * d), dX, d, d, undefined, { c: right });
      grads[`W1_${l}`] = dW1.slice();
      grads[`W2_${l}`] = dW2.slice();
      grads[`b1_${l}`] = db1.slice();
      grads[`b2_${l}`] = db2.slice();
    } else {
      pool.leakyReluBack(dOut, pre, dPre, LEAKY_SLOPE, mask);
      // W^T for dX = dPre W^T: [d x 2d]
      for (let a = 0; a < d; a++)
        for (let c = 0; c < d; c++) {
          wT[c * 2 * d + a] = w1[a * d + c];
          wT[c * 2 * d + d + a] = w2[a * d + c];
        }
      // dW = X^T dPre, db = 1^T dPre (the same for b1 and b2), dX = dPre W^T
      pool.matmulTN(t.x, dPre, dW, 2 * d, d);
      pool.matmulTN(ones, dPre, db, 1, d);
      pool.matmul(dPre, wT, dX, d, 2 * d);
      grads[`W1_${l}`] = dW.slice(0, d * d);
      grads[`W2_${l}`] = dW.slice(d * d);
      grads[`b1_${l}`] = db.slice();
      grads[`b2_${l}`] = db.slice();
    }
    // d(side) = dSum + dProd ⊙ E(l-1)
    pool.sumProdBack(dX, input, dSide, d);
    return dX;
  }

  /**
   * Fills m (a pool array) with 0 or 1/(1 - rate) per entry: the pool's hashed mask, on two
   * seeds drawn from our seeded generator, so a new mask per batch and layer, the same for any
   * thread count.
   */
  private dropoutMask(m: Float32Array): Float32Array {
    this.pool.dropoutMask(m, this.hp.messageDropout, [
      this.dropRng.nextU32(),
      this.dropRng.nextU32(),
    ]);
    return m;
  }

  /** The final embeddings of eq. 9 for all users and items, dropout off: dim (L+1) columns. */
  embeddings(): Embeddings {
    const { dim: d, nLayers: K, pool } = this;
    const n = this.nUsers + this.nItems;
    const D = d * (K + 1);
    const all = pool.allocF32(n * D, false);
    pool.gatherRows(this.ego, this.allRows, all, d, { ld: D, col: 0 });
    const bufs = [pool.allocF32(n * d, false), pool.allocF32(n * d, false)];
    const side = pool.allocF32(n * d, false);
    const work = this.allocWork(n, false);
    try {
      let E = this.ego;
      for (let l = 0; l < K; l++) {
        const out = bufs[l % 2];
        const from = E;
        this.layer(l, from, side, out, work, false, (s) => pool.spmm(this.dev, from, s, d));
        pool.normalizeRows(out, all, d, L2_EPSILON, { ld: D, col: (l + 1) * d });
        E = out;
      }
      // the caller keeps the embeddings: out of the pool's memory
      const copy = all.slice();
      return {
        dim: D,
        users: copy.subarray(0, this.nUsers * D),
        items: copy.subarray(this.nUsers * D),
      };
    } finally {
      for (const b of [...bufs, side, work.x, work.pre, all]) pool.free(b);
    }
  }

  ranker(threads: number): TopKRanker {
    return dotRanker(this.embeddings(), threads, this.pool);
  }

  state(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = { ego: this.ego, ...this.egoAdam.state('adam') };
    for (const [k, v] of Object.entries(this.smallParams())) {
      out[k] = v;
      Object.assign(out, this.paramAdam.get(k)?.state(`adam_${k}`));
    }
    return out;
  }

  load(state: Record<string, Float32Array>): void {
    const params: Record<string, Float32Array> = { ego: this.ego, ...this.smallParams() };
    for (const [k, v] of Object.entries(params)) {
      const s = state[k];
      if (!s || s.length !== v.length)
        throw new Error(`ngcf state: ${k} needs ${v.length} values, got ${s?.length ?? 'none'}`);
    }
    for (const [k, v] of Object.entries(params)) v.set(state[k]);
    this.egoAdam.load('adam', state);
    for (const [k, a] of this.paramAdam) a.load(`adam_${k}`, state);
  }

  async dispose(): Promise<void> {
    await this.pool.dispose();
  }
}

/** out[rows[i]] = x[i] for each row i of x ([r x d]); out [n x d]. */
function scatterCopyRows(x: Float32Array, rows: Int32Array, out: Float32Array, d: number): void {
  for (let i = 0; i < rows.length; i++) {
    const o = rows[i] * d;
    const y = i * d;
    for (let c = 0; c < d; c++) out[o + c] = x[y + c];
  }
}

/** The two equal halves of an array, as views. */
function halves(a: Float32Array, half: number): [Float32Array, Float32Array] {
  return [a.subarray(0, half), a.subarray(half, 2 * half)];
}

/**
 * The per-term layer's output: out = (a1 + a2) ⊙ mask, a = [a1; a2] the two activated terms
 * one after the other, each [r x d] as out and mask.
 */
function addHalves(a: Float32Array, out: Float32Array, mask?: Float32Array): void {
  const n = out.length;
  if (mask) for (let k = 0; k < n; k++) out[k] = (a[k] + a[n + k]) * mask[k];
  else for (let k = 0; k < n; k++) out[k] = a[k] + a[n + k];
}

/** Adds block b of `fin` ([r x D]) to the rows rows[i] of `out` ([n x d]). */
function addBlockToRows(
  out: Float32Array,
  rows: Int32Array,
  fin: Float32Array,
  D: number,
  b: number,
  d: number,
): void {
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i] * d;
    const y = i * D + b * d;
    for (let c = 0; c < d; c++) out[t + c] += fin[y + c];
  }
}

/** Fills `out` ([rows x cols]) with Xavier-uniform values: U(+-sqrt(6 / (rows + cols))). */
function xavierInto(out: Float32Array, rows: number, cols: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  for (let k = 0; k < out.length; k++) out[k] = (rng.next() * 2 - 1) * limit;
  return out;
}
