/**
 * NGCF. Wang et al., "Neural Graph Collaborative Filtering", SIGIR 2019, written as its forward
 * pass on the autodiff tape (src/engine/tape; training, loss, Adam and ranking: ./tapeModel.ts).
 *   message (eq. 3):      m(u<-i) = p_ui (W1 e_i + W2 (e_i ⊙ e_u)),  p_ui = 1/sqrt(|N_u||N_i|)
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
 * initialisation of every parameter; Adam (eps 1e-8, as TF's).
 * Where the paper and that code differ, the paper is followed by default; the code's D^-1 (A + I)
 * for both L + I and L (adj_type 'norm') is `propagation: 'authors'`, its LeakyReLU per term
 * `activation: 'per-term'`:
 *       E(l) = LeakyReLU(Â E(l-1) W1(l) + b1(l)) + LeakyReLU((Â E(l-1) ⊙ E(l-1)) W2(l) + b2(l)).
 * Training triples come from train/samplers.ts (the LightGCN code's scheme, one per training
 * interaction per epoch), not from the NGCF code's per-batch sample of distinct users.
 *
 * Cost: every batch propagates from E(0) again, as the authors' code does. The last layer only
 * enters the loss through the batch's rows, so it is computed for those rows alone; each layer
 * below it for the rows the layers above read (the batch's nodes and their neighbours, hop by
 * hop) while those are fewer than 90% of all nodes, else for all. [sum | product] of eq. 7 is one
 * fused op (sumProdMessages) and the two weight products one matmul by [W1; W2].
 */
import type { Pool } from '../engine/pool.js';
import type { Rng } from '../util/rng.js';
import { xavierUniform } from '../engine/tape/init.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import * as op from '../engine/tape/ops/index.js';
import { meanAdjacencyWithSelfLoops, normalizedAdjacency } from '../graph/adjacency.js';
import { dropEntries } from '../graph/dropEntries.js';
import { rowsWithinHops } from '../graph/hops.js';
import type { WeightedCsr } from '../graph/types.js';
import { InputError } from '../util/errors.js';
import {
  acceptedValue,
  describeRange,
  LR_SCHEDULE_HYPER,
  PAIRWISE_HYPER,
  type HyperDeclaration,
  type HyperDeclarations,
} from './hyperparameters.js';
import {
  TapeModel,
  TAPE_MODEL_DEFAULTS,
  type BatchVectors,
  type PairBatch,
  type TapeModelHyper,
} from './tapeModel.js';
import { LR_SCHEDULE_DEFAULTS } from '../train/lrSchedule.js';
import type { Hyperparameters, ModelContext } from './types.js';

/** The paper's Gowalla setting (Section 4.2.3 and the authors' README). */
export const NGCF_DEFAULTS = {
  /** embedding size of E(0), and of every layer ([64, 64, 64]) */
  dim: 64,
  /** propagation layers L */
  layers: 3,
  lr: 1e-4,
  ...LR_SCHEDULE_DEFAULTS,
  /** lambda of eq. 11 (the authors' `regs[0]`, `decay`) */
  reg: 1e-5,
  batchSize: 1024,
  /** dropout on each layer's output while training (the paper's 0.1) */
  messageDropout: 0.1,
  /**
   * dropout of the entries of L while training (off in the authors' TensorFlow runs,
   * node_dropout_flag=0; the PyTorch port's README run has it on, at 0.1)
   */
  nodeDropout: 0,
  negatives: 1,
  sampler: 'uniform',
  loss: 'bpr',
  /**
   * 'paper': eq. 7's L and L + I. 'authors': Â = D^-1 (A + I) for both, as the authors' code and
   * its PyTorch port (huangtinglin/NGCF-PyTorch: Recall@20 0.1557 on Gowalla, paper 0.1569)
   */
  propagation: 'paper',
  /** 'of-sum': eq. 7 (and the PyTorch port); 'per-term': NGCF.py's _create_ngcf_embed */
  activation: 'of-sum',
} satisfies Hyperparameters;

export const NGCF_HYPER = {
  dim: {
    type: 'integer',
    min: 1,
    description: 'embedding size of E(0) and of every layer',
    source: 'paper Sec. 4.2.3 and NGCF code: --embed_size 64, --layer_size [64,64,64]',
  },
  layers: {
    type: 'integer',
    min: 0,
    description: 'propagation layers L',
    source: 'paper Sec. 4.2.3 and NGCF code: three layers',
  },
  lr: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'Adam learning rate',
    source: 'paper Sec. 4.2.3 and NGCF code: --lr 0.0001',
  },
  ...LR_SCHEDULE_HYPER,
  reg: {
    type: 'number',
    min: 0,
    description: "lambda of eq. 11 on the batch's final embeddings",
    source: 'NGCF code: --regs [1e-5]',
  },
  batchSize: {
    type: 'integer',
    min: 1,
    description: 'training triples per mini-batch',
    source: 'paper Sec. 4.2.3 and NGCF code: --batch_size 1024',
  },
  messageDropout: {
    type: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    description: "dropout on each layer's output while training",
    source: 'paper Sec. 4.2.3 and NGCF code: --mess_dropout [0.1,0.1,0.1]',
  },
  nodeDropout: {
    type: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    description: 'dropout of the entries of L while training',
    source: 'NGCF code: --node_dropout_flag 0 (off)',
  },
  ...PAIRWISE_HYPER,
  propagation: {
    type: 'enum',
    choices: ['paper', 'authors'],
    description: "eq. 7's L and L + I, or the code's D^-1 (A + I) for both",
    source: 'paper eq. 7; authors: NGCF code, adj_type norm',
  },
  activation: {
    type: 'enum',
    choices: ['of-sum', 'per-term'],
    description: 'one LeakyReLU of the sum of the two terms, or one per term',
    source: "paper eq. 7; per-term: NGCF code's _create_ngcf_embed",
  },
} as const satisfies HyperDeclarations<typeof NGCF_DEFAULTS>;

export type NgcfHyper = typeof NGCF_DEFAULTS;

/** How the model computes, not what: results are the same to rounding for any choice. */
export interface NgcfOptions {
  /**
   * compute a layer below the last at the rows the layers above read when they are fewer than
   * this fraction of all nodes (default RESTRICT_BELOW; 0 never, above 1 always)
   */
  readonly restrictBelow?: number;
}

/**
 * At the paper's batch of 1024 on Gowalla, layer L-1 is read at 58% of the nodes (layer L-2
 * at 99.9%): computing it there alone saves about a sixth of a step; at batch 8192, 97%.
 */
const RESTRICT_BELOW = 0.9;
const LEAKY_SLOPE = 0.2;

type Hyper = TapeModelHyper & NgcfHyper;

export class Ngcf extends TapeModel<Hyper> {
  readonly name = 'ngcf';
  readonly nLayers: number;
  /** L of eq. 7 (symmetric, no self-loops), or with the authors' propagation Â = D^-1 (A + I) */
  readonly adj: WeightedCsr & { readonly symmetric?: boolean };
  /** eq. 7's self term: (L + I) E in the sum (paper), or none beside Â's diagonal (authors) */
  readonly selfTerm: boolean;
  /** one LeakyReLU per term of eq. 7 (the TensorFlow original), not one of their sum */
  readonly perTerm: boolean;
  /** the rows each layer below the last was computed at in the last batch (all nodes: in full) */
  readonly layerRowCounts: number[];
  private readonly ego: Param;
  /** per layer: W1, b1, W2, b2 ([dim x dim], [1 x dim]; x W convention) */
  private readonly layerParams: readonly Param[][];
  private readonly restrictBelow: number;
  /** 0 .. nNodes-1: a node-dropped L is multiplied at every row (its backward is a scatter) */
  private readonly allRows: Int32Array;
  /** draws the dropout masks; reseeded from the trainer's rng at every epoch */
  private dropRng: Rng;
  /** dropout on: inside trainStep, or asked for by lossAndGradients */
  private dropping = false;
  /** this step's node-dropped L, uploaded to the pool until the step's backward is done */
  private dropped: WeightedCsr | undefined;

  private constructor(ctx: ModelContext, hyper: Hyper, pool: Pool, options: NgcfOptions) {
    super('ngcf', ctx, hyper, pool);
    const { dim, layers: K, propagation, activation } = hyper;
    for (const [k, d] of Object.entries(NGCF_HYPER) as [keyof NgcfHyper, HyperDeclaration][])
      if (acceptedValue(d, hyper[k]) === undefined)
        throw new InputError(
          { file: 'ngcf hyperparameters', text: `${k}=${hyper[k]}` },
          `${k} ${describeRange(d)}`,
        );
    this.nLayers = K;
    this.restrictBelow = options.restrictBelow ?? RESTRICT_BELOW;
    this.selfTerm = propagation === 'paper';
    this.perTerm = activation === 'per-term';
    this.adj = this.selfTerm
      ? normalizedAdjacency(ctx.trainCsr)
      : meanAdjacencyWithSelfLoops(ctx.trainCsr);
    // in the pool's memory from the start (training with node dropout multiplies by copies)
    pool.upload(this.adj);
    const n = this.nUsers + this.nItems;
    this.allRows = Int32Array.from({ length: n }, (_, r) => r);
    this.layerRowCounts = new Array<number>(Math.max(0, K - 1)).fill(n);
    this.dropRng = ctx.rng.fork();
    // Xavier-uniform, as tf.contrib.layers.xavier_initializer() in the authors' _init_weights,
    // with the [rows, cols] of each (users and items apart, biases as [1, dim]), in their order
    this.ego = this.param('ego', n, dim, { zeros: true });
    xavierUniform(this.ego.data.subarray(0, this.nUsers * dim), this.nUsers, dim, ctx.rng);
    xavierUniform(this.ego.data.subarray(this.nUsers * dim), this.nItems, dim, ctx.rng);
    this.layerParams = Array.from({ length: K }, (_, l) =>
      ['W1', 'b1', 'W2', 'b2'].map((p) =>
        this.param(`${p}_${l}`, p[0] === 'W' ? dim : 1, dim, { xavier: true }),
      ),
    );
  }

  static async create(
    ctx: ModelContext,
    hyper: Partial<NgcfHyper>,
    options: NgcfOptions = {},
  ): Promise<Ngcf> {
    const full = { ...TAPE_MODEL_DEFAULTS, ...NGCF_DEFAULTS, ...hyper };
    const m = await TapeModel.onPool(ctx, (pool) => new Ngcf(ctx, full, pool, options));
    ctx.log(`ngcf: ${m.backend}, ${m.adj.indices.length} non-zeros in L`);
    return m;
  }

  /** Bytes of the engine's memory the model holds (parameters, Adam, the tape's arena). */
  get engineBytes(): number {
    return this.pool.heap.usedBytes;
  }

  override beginEpoch(epoch: number, rng: Rng): void {
    super.beginEpoch(epoch, rng);
    this.dropRng = rng.fork();
  }

  override trainStep(b: number): number {
    this.dropping = true;
    try {
      return super.trainStep(b);
    } finally {
      this.dropping = false;
    }
  }

  override lossAndGradient(batch: PairBatch): number {
    try {
      return super.lossAndGradient(batch);
    } finally {
      if (this.dropped) this.pool.forget(this.dropped);
      this.dropped = undefined;
    }
  }

  /**
   * The loss of one batch (eq. 11) and its gradient for every parameter (keyed as in state()),
   * with dropout as in training when `dropout`; changes no parameter.
   */
  lossAndGradients(
    batch: PairBatch,
    dropout = false,
  ): { loss: number; grads: Record<string, Float32Array> } {
    const params = [this.ego, ...this.layerParams.flat()];
    for (const p of params) p.clearGrad();
    this.dropping = dropout;
    try {
      const loss = this.lossAndGradient(batch);
      return { loss, grads: Object.fromEntries(params.map((p) => [p.name, p.grad.slice()])) };
    } finally {
      this.dropping = false;
      for (const p of params) p.clearGrad();
    }
  }

  protected batchVectors(t: Tape, b: PairBatch): BatchVectors {
    const { nodes, slots } = batchNodes(b, this.nUsers);
    const fin = this.forward(t, nodes);
    const [users, pos, neg, shared] = slots.map((s) => op.gather(t, fin, s));
    if (!shared) return { users, pos, neg, regularized: [users, pos, neg] };
    return { users, pos, neg, shared, regularized: [users, pos, neg, shared] };
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    const fin = this.forward(t);
    const D = fin.cols;
    const nu = this.nUsers;
    return {
      users: t.input(fin.data.subarray(0, nu * D), nu, D),
      items: t.input(fin.data.subarray(nu * D), this.nItems, D),
    };
  }

  /** Eq. 7 layer by layer and eq. 9 at `nodes` (default: every node), [rows x dim (L+1)]. */
  private forward(t: Tape, nodes?: Int32Array): Tensor {
    const e0 = this.read(t, this.ego);
    const K = this.nLayers;
    const n = this.nUsers + this.nItems;
    // each block of eq. 9 is taken as soon as its layer is done: its gather's backward then
    // runs after the next layer's, which writes the layer's gradient rather than adding to it
    const blocks = [nodes ? op.gather(t, e0, nodes) : e0];
    const restricted = nodes ? this.neededRows(nodes) : [];
    const adj = this.adjacency();
    let E = e0;
    for (let l = 0; l < K; l++) {
      const rows = l === K - 1 ? nodes : restricted[l];
      // (L + I) E | L E ⊙ E at the rows (a node-dropped L at every row: its backward scatters)
      const x = op.sumProdMessages(t, adj, E, {
        rows: rows ?? (adj === this.adj ? undefined : this.allRows),
        self: this.selfTerm,
      });
      const out = this.transform(t, l, x);
      // the authors' code L2-normalises each layer's output (rows) before concatenating it;
      // the next layer takes the unnormalised E(l)
      if (l === K - 1 && nodes) blocks.push(op.normalizeRows(t, out));
      else {
        E = rows ? op.expandRows(t, out, rows, n) : out;
        blocks.push(op.normalizeRows(t, nodes ? op.gather(t, E, nodes) : E));
      }
    }
    return blocks.length === 1 ? blocks[0] : op.concatCols(t, blocks);
  }

  /** Eq. 7 after the messages: the weights, the LeakyReLU, and message dropout when training. */
  private transform(t: Tape, l: number, x: Tensor): Tensor {
    const [W1, B1, W2, B2] = this.layerParams[l].map((p) => this.read(t, p));
    const d = W1.cols;
    const rate = this.hp.messageDropout;
    const mask =
      this.dropping && rate > 0
        ? op.dropoutMask(t, x.rows * d, rate, [this.dropRng.nextU32(), this.dropRng.nextU32()])
        : undefined;
    const leaky = (pre: Tensor) => op.maskedLeakyRelu(t, pre, mask, LEAKY_SLOPE);
    // (L + I) E W1 + b1 + (L E ⊙ E) W2 + b2: eq. 3's messages and eq. 4's self-message
    if (!this.perTerm) return leaky(op.matmul(t, x, op.concatRows(t, [W1, W2]), op.add(t, B1, B2)));
    // NGCF.py: LeakyReLU(sum W1 + b1) + LeakyReLU(bi W2 + b2), then dropout
    const sum = leaky(op.matmul(t, op.sliceCols(t, x, 0, d), W1, B1));
    return op.add(t, sum, leaky(op.matmul(t, op.sliceCols(t, x, d, d), W2, B2)));
  }

  /** L, or while training with node dropout, a copy with entries dropped (this step's). */
  private adjacency(): WeightedCsr {
    if (!this.dropping || this.hp.nodeDropout <= 0) return this.adj;
    this.dropped = dropEntries(this.adj, this.hp.nodeDropout, this.dropRng);
    return this.dropped;
  }

  /**
   * The rows each layer below the last is computed at (undefined: all): layer L-1 at the
   * batch's nodes and their neighbours, and so on down while fewer than restrictBelow of all
   * nodes (src/graph/hops.ts). Listed from the unchanged L: a superset for a node-dropped copy.
   */
  private neededRows(nodes: Int32Array): (Int32Array | undefined)[] {
    const n = this.nUsers + this.nItems;
    const K = Math.max(0, this.nLayers - 1);
    const out = rowsWithinHops(this.adj, nodes, K, this.restrictBelow * n).reverse();
    out.forEach((r, l) => (this.layerRowCounts[l] = r?.length ?? n));
    return out;
  }
}

/**
 * A batch's distinct nodes (users, then items offset by nUsers, in order of first appearance)
 * and each pair's user, positive and negative among them.
 */
function batchNodes(b: PairBatch, nUsers: number): { nodes: Int32Array; slots: Int32Array[] } {
  const slot = new Map<number, number>();
  const at = (node: number) => {
    let s = slot.get(node);
    if (s === undefined) slot.set(node, (s = slot.size));
    return s;
  };
  const slots = [b.users, b.pos, b.neg].map((ids) => new Int32Array(ids.length));
  for (let p = 0; p < b.users.length; p++) {
    slots[0][p] = at(b.users[p]);
    slots[1][p] = at(nUsers + b.pos[p]);
  }
  for (let p = 0; p < b.neg.length; p++) slots[2][p] = at(nUsers + b.neg[p]);
  // the shared negatives (PairBatch.shared), a fourth list of slots
  if (b.shared) slots.push(Int32Array.from(b.shared, (i) => at(nUsers + i)));
  return { nodes: Int32Array.from(slot.keys()), slots };
}
