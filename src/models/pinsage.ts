/**
 * PinSAGE. Ying, He, Chen, Eksombatchai, Hamilton & Leskovec, "Graph Convolutional Neural
 * Networks for Web-Scale Recommender Systems", KDD 2018, on the user-item graph (users
 * 0..nUsers-1, then items), with learnable id embeddings as the node features h_u(0) (the
 * datasets here carry no visual or text features).
 *
 * Neighbourhoods (section 3.2, importance-based): walks of `walkLength` nodes, `walksPerNode`
 * from every node, seeded and run on the pool's threads (../engine/parallelWalks.ts); N(u) is
 * the top T (`neighbours`) nodes by visit count, alpha_u their normalised counts
 * (../graph/importanceNeighbours.ts). Computed once, when the model is built, and used by
 * training and ranking alike: the producer/consumer overlap of section 3.5 is not needed, as a
 * batch's computation graph is then a few index lookups on fixed lists.
 *
 * CONVOLVE (Algorithm 1), layer k over the batch's computation graph (Algorithm 2):
 *   line 1:  n_u = gamma({ReLU(Q(k) h_v + q(k)) | v in N(u)}, alpha)
 *            gamma: importance pooling, sum_v alpha_uv x_v (a weighted mean: the alpha of a
 *            row sum to 1), or the plain mean with pooling "mean"
 *   line 2:  z_u = ReLU(W(k) . CONCAT(h_u, n_u) + w(k))
 *   line 3:  z_u = z_u / ||z_u||_2
 * Algorithm 2, lines 15-16, after the K layers:  z_u = G2 . ReLU(G1 h_u(K) + g)
 * Score z_u . z_i; loss (eq. 1) max(0, z_q . z_n - z_q . z_i + Delta), i.e. loss margin, over
 * the batch's shared negatives and, with hardNegatives, hard ones from the user's personalized
 * PageRank window, added on the curriculum (src/train/negativeSampler.ts).
 *
 * Defaults. The paper: K = 2 layers, T = 50 neighbours, 500 shared negatives per mini-batch,
 * hard negatives ranked 2000-5000 (of billions), curriculum; it gives no walk budget. Scaled
 * for graphs of thousands of nodes: T = 10 (an ml-100k user has ~85 items, so 50 would be
 * most of a user's reach), 50 walks of 3 nodes (two hops: a node's items or users, and their
 * co-interacting nodes) per node. Hidden size m = d = 64, lr 1e-3, batch 2048, ids normal(0,
 * 0.1), weights Glorot, biases 0, as the other graph models here; Delta = 0.1.
 */
import type { Pool } from '../engine/pool.js';
import { parallelWalks } from '../engine/parallelWalks.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  concatCols,
  gather,
  matmul,
  neighbourMean,
  neighbourWeighted,
  normalizeRows,
  relu,
} from '../engine/tape/ops/index.js';
import { bipartiteGraph } from '../graph/bipartite.js';
import { computationGraph, importanceNeighbourhoods } from '../graph/importanceNeighbours.js';
import type { WeightedCsr } from '../graph/types.js';
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

export const PINSAGE_TITLE = 'PinSAGE (importance-pooled graph convolutions)';
export const PINSAGE_PAPER =
  'Ying, He, Chen, Eksombatchai, Hamilton & Leskovec, Graph Convolutional Neural Networks for Web-Scale Recommender Systems, KDD 2018';

export const PINSAGE_POOLINGS = ['importance', 'mean'] as const;

export const PINSAGE_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  loss: 'margin' as string,
  sharedNegatives: 500,
  layers: 2,
  neighbours: 10,
  walkLength: 3,
  walksPerNode: 50,
  pooling: 'importance' as string,
};

export type PinSageHyper = typeof PINSAGE_DEFAULTS;

export const PINSAGE_HYPER = {
  ...TAPE_MODEL_HYPER,
  layers: {
    type: 'integer',
    min: 0,
    description: 'CONVOLVE layers K (0: the id embeddings through the final dense layers)',
    source: 'paper, section 4: K = 2',
  },
  neighbours: {
    type: 'integer',
    min: 1,
    description: 'T: the neighbourhood of a node is its top T nodes by random-walk visit count',
    source: 'paper: T = 50 on billions of nodes; 10 here for graphs of thousands',
  },
  walkLength: {
    type: 'integer',
    min: 1,
    description: 'nodes per walk, the start included',
    source: 'not given by the paper; 3 (two hops) here',
  },
  walksPerNode: {
    type: 'integer',
    min: 1,
    description: 'walks started from every user and item',
    source: 'not given by the paper; 50 here',
  },
  pooling: {
    type: 'enum',
    choices: PINSAGE_POOLINGS,
    description:
      "gamma of CONVOLVE: importance (weighted mean by the neighbours' visit counts) or mean",
    source: 'paper, section 3.2: importance pooling',
  },
} as const satisfies HyperDeclarations<PinSageHyper>;

interface Layer {
  readonly Q: Param;
  readonly q: Param;
  readonly W: Param;
  readonly w: Param;
}

export class PinSage extends TapeModel<PinSageHyper> {
  readonly name = 'pinsage';
  /** h(0): users then items, [nNodes x d] */
  private readonly ego: Param;
  private readonly layers: Layer[];
  private readonly G1: Param;
  private readonly g: Param;
  private readonly G2: Param;

  private constructor(
    ctx: ModelContext,
    hyper: PinSageHyper,
    pool: Pool,
    /** N(u) and alpha of every node (rows and columns: node ids) */
    readonly neighbourhoods: WeightedCsr,
  ) {
    super('pinsage', ctx, hyper, pool);
    checkPooling(hyper.pooling);
    const d = hyper.dim;
    this.ego = this.param('ego', this.nUsers + this.nItems, d, { normal: hyper.initStd });
    this.layers = Array.from({ length: hyper.layers }, (_, k) => ({
      Q: this.param(`Q${k}`, d, d, { xavier: true }),
      q: this.param(`q${k}`, 1, d, { zeros: true }),
      W: this.param(`W${k}`, 2 * d, d, { xavier: true }),
      w: this.param(`w${k}`, 1, d, { zeros: true }),
    }));
    this.G1 = this.param('G1', d, d, { xavier: true });
    this.g = this.param('g', 1, d, { zeros: true });
    this.G2 = this.param('G2', d, d, { xavier: true });
  }

  static async create(ctx: ModelContext, hyper: Partial<PinSageHyper>): Promise<PinSage> {
    const h = { ...PINSAGE_DEFAULTS, ...hyper };
    checkPooling(h.pooling);
    const graph = bipartiteGraph(ctx.trainCsr);
    // the walks' seed comes first from the context's stream; the parameters' draws follow
    const walks = await parallelWalks(
      graph,
      { length: h.walkLength, walksPerNode: h.walksPerNode, seed: ctx.rng.nextU32() },
      ctx.threads,
    );
    const neighbourhoods = importanceNeighbourhoods(walks, graph.nRows, h.neighbours);
    return TapeModel.onPool(ctx, (pool) => new PinSage(ctx, h, pool, neighbourhoods));
  }

  /** CONVOLVE (Algorithm 1) of layer k for the rows of `block`, from h over its columns. */
  private convolve(t: Tape, layer: Layer, h: Tensor, block: WeightedCsr): Tensor {
    // the block's rows are the first rows of h (S^(k) is the prefix of S^(k-1))
    const self =
      block.nRows === h.rows
        ? h
        : gather(
            t,
            h,
            Int32Array.from({ length: block.nRows }, (_, r) => r),
          );
    // line 1
    const x = relu(t, matmul(t, h, this.read(t, layer.Q), this.read(t, layer.q)));
    const n =
      this.hp.pooling === 'mean' ? neighbourMean(t, x, block) : neighbourWeighted(t, x, block);
    // line 2
    const z = relu(
      t,
      matmul(t, concatCols(t, [self, n]), this.read(t, layer.W), this.read(t, layer.w)),
    );
    // line 3
    return normalizeRows(t, z);
  }

  /** Algorithm 2, lines 15-16: z = G2 . ReLU(G1 h(K) + g). */
  private dense(t: Tape, h: Tensor): Tensor {
    const hidden = relu(t, matmul(t, h, this.read(t, this.G1), this.read(t, this.g)));
    return matmul(t, hidden, this.read(t, this.G2));
  }

  protected batchVectors(t: Tape, b: PairBatch): BatchVectors {
    const targets = pairTargets(b, this.nUsers);
    // Algorithm 2, lines 1-7: S^(K) = the batch's nodes, S^(k-1) = S^(k) and their N(u)
    const cg = computationGraph(this.neighbourhoods, targets, this.layers.length);
    const e0 = this.read(t, this.ego);
    // lines 8-14: h(0) over S^(0), then CONVOLVE k = 1..K over the next smaller set
    let h = gather(t, e0, cg.nodes);
    for (let k = 0; k < this.layers.length; k++)
      h = this.convolve(t, this.layers[k], h, cg.blocks[k]);
    return targetVectors(t, this.dense(t, h), e0, cg.targetRows, targets, b);
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    // every node convolves over its whole neighbourhood list: the block of every node
    let h = this.read(t, this.ego);
    for (const layer of this.layers) h = this.convolve(t, layer, h, this.neighbourhoods);
    const z = this.dense(t, h);
    const d = z.cols;
    const nu = this.nUsers;
    return {
      users: t.input(z.data.subarray(0, nu * d), nu, d),
      items: t.input(z.data.subarray(nu * d), this.nItems, d),
    };
  }
}

function checkPooling(pooling: string): void {
  if (!(PINSAGE_POOLINGS as readonly string[]).includes(pooling))
    throw new InputError(
      { file: 'pinsage hyperparameters', text: pooling },
      `pooling one of ${PINSAGE_POOLINGS.join(', ')}`,
    );
}
