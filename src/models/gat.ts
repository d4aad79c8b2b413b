/**
 * GAT. Velickovic et al., "Graph Attention Networks", ICLR 2018, on the user-item graph (users
 * 0..nUsers-1, then items) with a self-loop on every node, so each node attends over its
 * neighbours and itself (section 2.1: j in N_i, "including i"); learnable id embeddings are
 * the input features h (the graph has no other features here).
 *   logits (eq. 1, 3): e_vu = LeakyReLU_0.2( a^T [W h_v || W h_u] )
 *                           = LeakyReLU_0.2( a_dst . W h_v + a_src . W h_u )  (a = [a_dst || a_src],
 *                      each half computed once per node, then added per edge: sddmmAdd)
 *   attention (eq. 2): alpha_vu = softmax over u in N(v) + {v} of e_vu (edgeSoftmax)
 *   hidden layer (eq. 5): h'_v = ||_{k=1..K} ELU( sum_u alpha^k_vu W^k h_u ), K heads of
 *                      dim / K features concatenated (spmmEdge, then elu)
 *   last layer (eq. 6): h'_v = (1/K) sum_k sum_u alpha^k_vu W^k h_u, K heads of dim averaged;
 *                      linear (eq. 6's sigma is the classifier's softmax: here the output is
 *                      the embedding, as GCN's last layer in ./gcn.ts)
 *   score:            y_ui = h_u(L) . h_i(L)
 *   loss:             BPR + lambda/2 (|e_u|^2 + |e_i|^2 + |e_j|^2) / batch on the batch's id
 *                     embeddings (as GCN and LightGCN), Adam (src/models/tapeModel.ts)
 * Defaults from the paper's transductive setup (section 3.3): two layers, 8 hidden heads of 8
 * features (dim 64 = 8 x 8), one output head, Glorot initialisation, LeakyReLU slope 0.2. The
 * training setup as the LightGCN code, as GCN's, so the models compare on one footing: d = 64,
 * lr 1e-3, batch 2048, normal(0, 0.1) ids. The paper's dropout (0.6 on inputs and attention) is
 * not applied: the models here train on ids without dropout.
 */
import { meanAdjacencyWithSelfLoops } from '../graph/adjacency.js';
import type { Pool } from '../engine/pool.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  edgeSoftmax,
  elu,
  leakyRelu,
  matmul,
  mul,
  sddmmAdd,
  spmmEdge,
  type MessageGraph,
} from '../engine/tape/ops/index.js';
import { InputError } from '../util/errors.js';
import type { HyperDeclarations } from './hyperparameters.js';
import { GraphTapeModel } from './graphTapeModel.js';
import { TapeModel, TAPE_MODEL_DEFAULTS, TAPE_MODEL_HYPER } from './tapeModel.js';
import type { ModelContext } from './types.js';

export const GAT_TITLE = 'GAT (graph attention network)';
export const GAT_PAPER = 'Velickovic et al., Graph Attention Networks, ICLR 2018';

export const GAT_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  layers: 2,
  heads: 8,
  outHeads: 1,
};

export const GAT_HYPER = {
  ...TAPE_MODEL_HYPER,
  layers: {
    type: 'integer',
    min: 0,
    description: 'attention layers L (0: the id embeddings alone, i.e. MF)',
    source: 'paper, section 3.3: a two-layer GAT',
  },
  heads: {
    type: 'integer',
    min: 1,
    description: 'attention heads K of each hidden layer, dim / K features each, concatenated',
    source: "paper, section 3.3: K = 8 heads of F' = 8 features (Cora, Citeseer)",
  },
  outHeads: {
    type: 'integer',
    min: 1,
    description: 'attention heads of the last layer, dim features each, averaged (eq. 6)',
    source: 'paper, section 3.3: a single output head (Cora, Citeseer)',
  },
} as const satisfies HyperDeclarations<typeof GAT_DEFAULTS>;

export type GatHyper = typeof GAT_DEFAULTS;

/** Hidden heads split dim between them: dim must be a multiple of heads when a hidden layer exists. */
export function checkGatHyper(hyper: { dim: number; heads: number; layers: number }): void {
  const { dim, heads, layers } = hyper;
  if (layers >= 2 && dim % heads !== 0)
    throw new InputError(
      { file: 'gat hyperparameters', text: `dim=${dim}, heads=${heads}` },
      'dim to be a multiple of heads (each hidden head has dim / heads features)',
    );
}

/** One attention layer's parameters: W [in x K F], a_dst and a_src [1 x K F] (K heads of F). */
export interface AttentionWeights {
  readonly W: Tensor;
  readonly aDst: Tensor;
  readonly aSrc: Tensor;
}

/**
 * [K F x K] with ones where row r belongs to head floor(r / F): (Wh ⊙ a) times it sums each
 * head's block, giving a . W h per node and head.
 */
function headSums(heads: number, F: number): Float32Array {
  const m = new Float32Array(heads * F * heads);
  for (let r = 0; r < heads * F; r++) m[r * heads + Math.floor(r / F)] = 1;
  return m;
}

/**
 * Eq. 1-4 for K heads on graph g (row v: the nodes v attends over): the attention
 * coefficients alpha [nnz x K] (edges in g's CSR order) and sum_u alpha^k_vu W^k h_u
 * [n x K F], the heads side by side, before eq. 5's ELU or eq. 6's average.
 */
export function attentionLayer(
  t: Tape,
  g: MessageGraph,
  h: Tensor,
  p: AttentionWeights,
  heads: number,
): { alpha: Tensor; out: Tensor } {
  const Wh = matmul(t, h, p.W);
  const sum = t.constant(headSums(heads, Wh.cols / heads), Wh.cols, heads);
  // eq. 3: a^T [W h_v || W h_u] = a_dst . W h_v + a_src . W h_u, per head
  const sDst = matmul(t, mul(t, Wh, p.aDst), sum);
  const sSrc = matmul(t, mul(t, Wh, p.aSrc), sum);
  const alpha = edgeSoftmax(t, g, leakyRelu(t, sddmmAdd(t, g, sDst, sSrc)));
  // eq. 4: sum over u in N(v) of alpha_vu W h_u
  return { alpha, out: spmmEdge(t, g, alpha, Wh) };
}

/** [K d x d] of K stacked identities / K: times it, K heads of d features averaged (eq. 6). */
function headMean(heads: number, d: number): Float32Array {
  const m = new Float32Array(heads * d * d);
  for (let k = 0; k < heads; k++) for (let j = 0; j < d; j++) m[(k * d + j) * d + j] = 1 / heads;
  return m;
}

interface LayerParams {
  readonly W: Param;
  readonly aDst: Param;
  readonly aSrc: Param;
  readonly heads: number;
}

export class Gat extends GraphTapeModel<GatHyper> {
  readonly name = 'gat';
  /** h(0): users then items, [nNodes x d] */
  protected readonly ego: Param;
  private readonly layers: LayerParams[];
  /** the bipartite graph with self-loops; symmetric, so rows serve as destinations */
  readonly graph: MessageGraph;

  private constructor(ctx: ModelContext, hyper: GatHyper, pool: Pool) {
    super('gat', ctx, hyper, pool);
    checkGatHyper(hyper);
    const { dim, layers, heads, outHeads } = hyper;
    const { nRows, nCols, indptr, indices } = meanAdjacencyWithSelfLoops(ctx.trainCsr);
    this.graph = { nRows, nCols, indptr, indices };
    this.ego = this.param('ego', nRows, dim, { normal: hyper.initStd });
    this.layers = Array.from({ length: layers }, (_, l) => {
      const K = l < layers - 1 ? heads : outHeads;
      const width = l < layers - 1 ? dim : outHeads * dim;
      return {
        W: this.param(`W${l}`, dim, width, { xavier: true }),
        aDst: this.param(`aDst${l}`, 1, width, { xavier: true }),
        aSrc: this.param(`aSrc${l}`, 1, width, { xavier: true }),
        heads: K,
      };
    });
  }

  static create(ctx: ModelContext, hyper: Partial<GatHyper>): Promise<Gat> {
    return TapeModel.onPool(ctx, (pool) => new Gat(ctx, { ...GAT_DEFAULTS, ...hyper }, pool));
  }

  /** h(L) for every node. */
  protected propagate(t: Tape, h0: Tensor): Tensor {
    let h = h0;
    this.layers.forEach((p, l) => {
      const weights = {
        W: this.read(t, p.W),
        aDst: this.read(t, p.aDst),
        aSrc: this.read(t, p.aSrc),
      };
      const { out } = attentionLayer(t, this.graph, h, weights, p.heads);
      if (l < this.layers.length - 1) {
        // eq. 5: the heads' blocks are already side by side (concatenated); ELU
        h = elu(t, out);
      } else {
        // eq. 6: the heads averaged, linear
        const d = this.dim;
        h = p.heads === 1 ? out : matmul(t, out, t.constant(headMean(p.heads, d), p.heads * d, d));
      }
    });
    return h;
  }
}
