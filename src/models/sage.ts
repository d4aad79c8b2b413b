/**
 * GraphSAGE. Hamilton, Ying & Leskovec, "Inductive Representation Learning on Large Graphs",
 * NeurIPS 2017, on the user-item graph (users 0..nUsers-1, then items), with learnable id
 * embeddings as the input features x_v (the graph has no other features here).
 *   Algorithm 1, line 4:  h_N(v)(k) = AGG_k({h_u(k-1), u in N(v)})
 *   line 5:               h_v(k)    = sigma(W(k) . CONCAT(h_v(k-1), h_N(v)(k)))
 *   line 7:               h_v(k)    = h_v(k) / ||h_v(k)||_2
 *   aggregators:          mean (section 3.3): the elementwise mean of the h_u(k-1);
 *                         pool (eq. 3): max({sigma(W_pool(k) h_u(k-1) + b(k))}), elementwise
 *   sigma:                ReLU on hidden layers, the last layer linear (as the authors' code:
 *                         act=lambda x: x on the last aggregator; its output is the embedding)
 *   score:                y_ui = z_u . z_i, z = h(K)
 *   loss:                 BPR + lambda/2 (|e_u|^2 + |e_i|^2 + |e_j|^2) / batch on the ids' rows
 *                         (as GCN and LightGCN here), Adam (src/models/tapeModel.ts)
 * Training runs Algorithm 2: each batch's users and items draw S_K neighbours, those draw
 * S_(K-1), ..., so a step costs the sampled neighbourhood (src/graph/neighbourSampler.ts).
 * Ranking uses every neighbour (no sampling): the mean over all neighbours is what the sampled
 * mean estimates, it is deterministic, and it is what the DGL and PyG GraphSAGE examples
 * evaluate with; here it costs one pass over the graph's edges per layer.
 *
 * Defaults from the paper: K = 2, S_1 = 25, S_2 = 10 (section 4), normalisation on (line 7).
 * Aggregator mean, not the paper's best: its Table 1 puts pooling (and LSTM) ahead of mean on
 * node classification with text and graph features; on ml-100k here (5 epochs, the defaults
 * otherwise) mean reached Recall@20 0.190 and pool 0.150 at 1.5x the step time, and mean is
 * what the DGL and PyG GraphSAGE examples default to. Pool's hidden size is d (the authors'
 * code uses 512 over 50-dimensional-and-up features). The rest as the LightGCN code so the
 * graph models compare on one footing: d = 64, lr 1e-3, batch 2048, normal(0, 0.1) ids,
 * weights by Glorot's uniform initialisation (the authors' code's glorot), no bias in line 5
 * (the code's default bias=False), zero pool bias.
 */
import type { Csr } from '../data/types.js';
import type { Pool } from '../engine/pool.js';
import { Rng } from '../util/rng.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  concatCols,
  gather,
  matmul,
  neighbourMax,
  neighbourMean,
  normalizeRows,
  relu,
} from '../engine/tape/ops/index.js';
import { bipartiteGraph } from '../graph/bipartite.js';
import { sampleBlocks } from '../graph/neighbourSampler.js';
import { InputError } from '../util/errors.js';
import { pairTargets, targetVectors } from './batchTargets.js';
import type { HyperDeclarations } from './hyperparameters.js';
import {
  TapeModel,
  TAPE_MODEL_DEFAULTS,
  TAPE_MODEL_HYPER,
  type BatchVectors,
  type PairBatch,
} from './tapeModel.js';
import type { ModelContext } from './types.js';

export const SAGE_TITLE = 'GraphSAGE (sample and aggregate)';
export const SAGE_PAPER =
  'Hamilton, Ying & Leskovec, Inductive Representation Learning on Large Graphs, NeurIPS 2017';

export const SAGE_AGGREGATORS = ['mean', 'pool'] as const;

export const SAGE_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  layers: 2,
  fanouts: '25,10',
  aggregator: 'mean' as string,
  normalizeLayers: true as boolean,
};

export type SageHyper = typeof SAGE_DEFAULTS;

export const SAGE_HYPER = {
  ...TAPE_MODEL_HYPER,
  layers: {
    type: 'integer',
    min: 0,
    description: 'aggregation layers K (0: the id embeddings alone, i.e. MF)',
    source: 'paper, section 4: K = 2',
  },
  fanouts: {
    type: 'string',
    description:
      'neighbours sampled per node in training, S_1,...,S_K (layer K draws S_K for the batch)',
    source: 'paper, section 4: S_1 = 25, S_2 = 10',
  },
  aggregator: {
    type: 'enum',
    choices: SAGE_AGGREGATORS,
    description: 'mean: the neighbours mean; pool: max of a ReLU layer over them (eq. 3)',
    source:
      'mean: DGL and PyG examples; better than pool on ml-100k here (the paper, Table 1: pool)',
  },
  normalizeLayers: {
    type: 'boolean',
    description: 'divide every layer output by its L2 norm (Algorithm 1, line 7)',
    source: 'paper, Algorithm 1 line 7',
  },
} as const satisfies HyperDeclarations<SageHyper>;

/** S_1 .. S_K from `fanouts` (the first `layers` numbers), or an InputError naming the text. */
export function fanoutsOf(h: { fanouts: string; layers: number }): number[] {
  const parts = h.fanouts.trim() === '' ? [] : h.fanouts.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  if (values.length < h.layers || !values.every((s) => Number.isInteger(s) && s >= 1))
    throw new InputError(
      { file: 'graphsage hyperparameters', text: `fanouts=${h.fanouts}` },
      `fanouts to be at least layers (${h.layers}) comma-separated integers >= 1, S_1,...,S_K (e.g. "25,10")`,
    );
  return values.slice(0, h.layers);
}

export class GraphSage extends TapeModel<SageHyper> {
  readonly name = 'graphsage';
  /** x_v, the input features: users then items, [nNodes x d] */
  private readonly ego: Param;
  /** W(k), [2d x d] */
  private readonly W: Param[];
  /** W_pool(k) [d x d] and b(k) [1 x d] of the pooling aggregator */
  private readonly Wpool: Param[];
  private readonly bPool: Param[];
  private readonly fanouts: number[];
  /** the user-item graph, node ids as `ego`'s rows; the block of every node when ranking */
  private readonly graph: Csr;
  /** the sampling stream of the epoch begun last: batch b samples from (epochSeed, b) */
  private epochSeed = 0;
  private batchIndex = 0;

  private constructor(ctx: ModelContext, hyper: SageHyper, pool: Pool) {
    super('graphsage', ctx, hyper, pool);
    if (!(SAGE_AGGREGATORS as readonly string[]).includes(hyper.aggregator))
      throw new InputError(
        { file: 'graphsage hyperparameters', text: hyper.aggregator },
        `aggregator one of ${SAGE_AGGREGATORS.join(', ')}`,
      );
    const { dim, layers } = hyper;
    this.fanouts = fanoutsOf(hyper);
    this.graph = bipartiteGraph(ctx.trainCsr);
    this.ego = this.param('ego', this.nUsers + this.nItems, dim, { normal: hyper.initStd });
    this.W = Array.from({ length: layers }, (_, k) =>
      this.param(`W${k}`, 2 * dim, dim, { xavier: true }),
    );
    const pooling = hyper.aggregator === 'pool';
    this.Wpool = pooling
      ? Array.from({ length: layers }, (_, k) =>
          this.param(`Wpool${k}`, dim, dim, { xavier: true }),
        )
      : [];
    this.bPool = pooling
      ? Array.from({ length: layers }, (_, k) => this.param(`bPool${k}`, 1, dim, { zeros: true }))
      : [];
  }

  static create(ctx: ModelContext, hyper: Partial<SageHyper>): Promise<GraphSage> {
    return TapeModel.onPool(
      ctx,
      (pool) => new GraphSage(ctx, { ...SAGE_DEFAULTS, ...hyper }, pool),
    );
  }

  override beginEpoch(epoch: number, rng: Rng): void {
    super.beginEpoch(epoch, rng);
    // drawn after the triples from the epoch's own stream: a resumed epoch samples the same
    this.epochSeed = rng.nextU32();
  }

  override trainStep(b: number): number {
    this.batchIndex = b;
    return super.trainStep(b);
  }

  /** Layer k (1-based) for the rows of `block` from h(k-1) over the block's columns. */
  private layer(t: Tape, k: number, h: Tensor, block: Csr): Tensor {
    // B^k is the prefix of B^(k-1) (src/graph/neighbourSampler.ts): h_v(k-1) of v in B^k
    const self =
      block.nRows === h.rows
        ? h
        : gather(
            t,
            h,
            Int32Array.from({ length: block.nRows }, (_, r) => r),
          );
    // line 4 (mean), eq. 3 (pool)
    const hN =
      this.Wpool.length > 0
        ? neighbourMax(
            t,
            relu(t, matmul(t, h, this.read(t, this.Wpool[k - 1]), this.read(t, this.bPool[k - 1]))),
            block,
          )
        : neighbourMean(t, h, block);
    // line 5; the last layer linear
    let out = matmul(t, concatCols(t, [self, hN]), this.read(t, this.W[k - 1]));
    if (k < this.W.length) out = relu(t, out);
    // line 7
    return this.hp.normalizeLayers ? normalizeRows(t, out) : out;
  }

  protected batchVectors(t: Tape, b: PairBatch): BatchVectors {
    const targets = pairTargets(b, this.nUsers);
    const seed = (this.epochSeed ^ Math.imul(this.batchIndex + 1, 0x9e3779b1)) >>> 0;
    const s = sampleBlocks(this.graph, targets, this.fanouts, new Rng(seed));
    const e0 = this.read(t, this.ego);
    // Algorithm 2: h(0) over B^0, then layers 1..K, each over the next smaller set
    let h = gather(t, e0, s.nodes);
    for (let k = 1; k <= this.W.length; k++) h = this.layer(t, k, h, s.blocks[k - 1]);
    return targetVectors(t, h, e0, s.targetRows, targets, b);
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    // Algorithm 1 over the whole graph: every node aggregates all its neighbours
    let h = this.read(t, this.ego);
    for (let k = 1; k <= this.W.length; k++) h = this.layer(t, k, h, this.graph);
    const d = h.cols;
    const nu = this.nUsers;
    return {
      users: t.input(h.data.subarray(0, nu * d), nu, d),
      items: t.input(h.data.subarray(nu * d), this.nItems, d),
    };
  }
}
