/**
 * GCN. Kipf & Welling, "Semi-Supervised Classification with Graph Convolutional Networks",
 * ICLR 2017, on the user-item graph (users 0..nUsers-1, then items), with learnable id
 * embeddings as the input features H(0) (the graph has no other features here).
 *   layer (eq. 2):    H(l+1) = sigma( D̃^-1/2 Ã D̃^-1/2 H(l) W(l) ),  Ã = A + I, D̃ its degrees
 *   form selfNeighbour (the per-node form of the CS224W notes):
 *                     h_v(l+1) = sigma( W(l) sum_{u in N(v)} h_u / |N(v)| + B(l) h_v )
 *   sigma:            ReLU on hidden layers; the last layer is linear (eq. 9 puts the softmax
 *                     there; here its output is the embedding)
 *   score:            y_ui = h_u(L) . h_i(L)
 *   loss:             BPR + lambda/2 (|e_u|^2 + |e_i|^2 + |e_j|^2) / batch on H(0) rows (as
 *                     LightGCN), trained with Adam (src/models/tapeModel.ts)
 * Two layers as the paper (section 3.3). The rest as the LightGCN code, so the models compare
 * on one footing: d = 64, lr 1e-3, batch 2048, normal(0, 0.1) ids; W by Glorot's uniform
 * initialisation (the paper's choice), no bias (eq. 2 has none).
 */
import { gcnAdjacency, normalizedAdjacency } from '../graph/adjacency.js';
import type { WeightedCsr } from '../graph/types.js';
import type { Pool } from '../engine/pool.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import { add, matmul, relu, spmm } from '../engine/tape/ops/index.js';
import type { HyperDeclarations } from './hyperparameters.js';
import { GraphTapeModel } from './graphTapeModel.js';
import { TapeModel, TAPE_MODEL_DEFAULTS, TAPE_MODEL_HYPER } from './tapeModel.js';
import type { ModelContext } from './types.js';

export const GCN_TITLE = 'GCN (graph convolutional network)';
export const GCN_PAPER =
  'Kipf & Welling, Semi-Supervised Classification with Graph Convolutional Networks, ICLR 2017';

export const GCN_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  layers: 2,
  form: 'renormalized' as string,
};

export const GCN_HYPER = {
  ...TAPE_MODEL_HYPER,
  layers: {
    type: 'integer',
    min: 0,
    description: 'graph convolution layers L (0: the id embeddings alone, i.e. MF)',
    source: 'paper, section 3.3: a two-layer GCN',
  },
  form: {
    type: 'enum',
    choices: ['renormalized', 'selfNeighbour'],
    description:
      'renormalized: D^-1/2 (A+I) D^-1/2 H W (eq. 2); selfNeighbour: W mean(neighbours) + B self',
    source: 'paper eq. 2 (renormalization trick, section 2.1)',
  },
} as const satisfies HyperDeclarations<typeof GCN_DEFAULTS>;

export type GcnHyper = typeof GCN_DEFAULTS;

export class Gcn extends GraphTapeModel<GcnHyper> {
  readonly name = 'gcn';
  /** H(0): users then items, [nNodes x d] */
  protected readonly ego: Param;
  private readonly W: Param[];
  /** B(l), the self weights of the selfNeighbour form */
  private readonly B: Param[];
  private readonly adj: WeightedCsr & { readonly symmetric?: boolean };

  private constructor(ctx: ModelContext, hyper: GcnHyper, pool: Pool) {
    super('gcn', ctx, hyper, pool);
    const { dim, layers } = hyper;
    const n = this.nUsers + this.nItems;
    this.adj =
      hyper.form === 'selfNeighbour'
        ? // D^-1 A: row r averages its neighbours (exponents 1 and 0)
          normalizedAdjacency(ctx.trainCsr, { exponents: { alpha: 1, beta: 0 } })
        : gcnAdjacency(ctx.trainCsr);
    this.ego = this.param('ego', n, dim, { normal: hyper.initStd });
    this.W = Array.from({ length: layers }, (_, l) =>
      this.param(`W${l}`, dim, dim, { xavier: true }),
    );
    this.B =
      hyper.form === 'selfNeighbour'
        ? Array.from({ length: layers }, (_, l) => this.param(`B${l}`, dim, dim, { xavier: true }))
        : [];
  }

  static create(ctx: ModelContext, hyper: Partial<GcnHyper>): Promise<Gcn> {
    return TapeModel.onPool(ctx, (pool) => new Gcn(ctx, { ...GCN_DEFAULTS, ...hyper }, pool));
  }

  /** H(L) for every node. */
  protected propagate(t: Tape, h0: Tensor): Tensor {
    const L = this.W.length;
    let h = h0;
    for (let l = 0; l < L; l++) {
      const W = this.read(t, this.W[l]);
      // eq. 2: Â (H W), the product with W first (the same cost here, d x d)
      let next =
        this.B.length > 0
          ? add(t, matmul(t, spmm(t, this.adj, h), W), matmul(t, h, this.read(t, this.B[l])))
          : spmm(t, this.adj, matmul(t, h, W));
      if (l < L - 1) next = relu(t, next);
      h = next;
    }
    return h;
  }
}
