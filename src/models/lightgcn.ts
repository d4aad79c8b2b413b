/**
 * LightGCN. He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
 * Recommendation", SIGIR 2020, written as its forward pass on the autodiff tape.
 *   propagation (eq. 7, matrix form):  E(k+1) = Ã E(k),  Ã = D^-1/2 A D^-1/2, no self-loops
 *   layer combination (eq. 4/8):        E = sum_{k=0..K} alpha_k E(k),  alpha_k = 1/(K+1)
 *   prediction (eq. 5):                 y_ui = e_u . e_i
 *   loss (eq. 15):                      BPR + lambda ||E(0)||^2 on the batch's ego embeddings
 * as the reference code computes it: reg = lambda/2 (|e0_u|^2+|e0_i|^2+|e0_j|^2) / batch,
 * Adam, normal(0, 0.1) initialisation, one (u, i, j) per training interaction per epoch.
 * With two of LightGCN++'s remedies as options (Lee, Kim & Shin, "Revisiting LightGCN:
 * Unexpected Inflexibility, Inconsistency, and A Remedy Towards Improved Recommendation",
 * RecSys 2024; their code geon0325/LightGCNpp):
 *   neighbour weights:  Ã = D^-normAlpha A D^-normBeta, the edge i -> u weighing
 *                       1 / (|N_u|^normAlpha |N_i|^normBeta)  (LightGCN: 1/2, 1/2)
 *   pooling:            E = gamma E(0) + (1 - gamma) / K sum_{k=1..K} E(k)  (LightGCN: 1/(K+1))
 *   embedding norms:    E(k+1) = Ã N(E(k)), N dividing each row by its L2 norm (their code:
 *                       all_emb / (||all_emb|| + 1e-12) before each propagation), when
 *                       normEmbeddings; the pooling adds the E(k) themselves
 * LightGCN++ is all three: normAlpha 0.6, normBeta -0.1, gamma 0.2, normEmbeddings on Gowalla.
 *
 * A batch needs eq. 8 only at its own nodes: E(1..K-1) are propagated in full, E(K) at those
 * nodes only (spmmRows, whose backward is a scatter from them), and the pooling reads the
 * lower layers at the same nodes (layerSumRows). K = 3 costs 4 full SpMMs per batch, forward
 * and backward; the tape's backward does what the hand-fused one it replaced did, to float32
 * rounding (npm run bench -- tape-step --model lightgcn). Loss, sampling, Adam (dense, as the
 * reference code; sparseAdam as an option) and checkpoints: src/models/tapeModel.ts.
 */
import type { Pool } from '../engine/pool.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  gather,
  layerSumRows,
  normalizeRows,
  spmm,
  spmmRows,
  weightedSum,
} from '../engine/tape/ops/index.js';
import { normalizedAdjacency } from '../graph/adjacency.js';
import type { NormalizedAdjacency } from '../graph/types.js';
import { InputError } from '../util/errors.js';
import type { HyperDeclarations } from './hyperparameters.js';
import {
  TapeModel,
  TAPE_MODEL_DEFAULTS,
  TAPE_MODEL_HYPER,
  type BatchVectors,
  type PairBatch,
} from './tapeModel.js';
import type { ModelContext } from './types.js';

export const LIGHTGCN_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  layers: 3,
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
};

export const LIGHTGCN_HYPER = {
  ...TAPE_MODEL_HYPER,
  layers: {
    type: 'integer',
    min: 0,
    description: 'propagation layers K',
    source: "LightGCN code: --layer 3, the paper's K = 3",
  },
  reg: { ...TAPE_MODEL_HYPER.reg, description: "lambda of eq. 15 on the batch's E(0) rows" },
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
} as const satisfies HyperDeclarations<typeof LIGHTGCN_DEFAULTS>;

export type LightGcnHyper = typeof LIGHTGCN_DEFAULTS;

export class LightGcn extends TapeModel<LightGcnHyper> {
  readonly name = 'lightgcn';
  /** alpha_0..alpha_K of eq. 8 */
  readonly alpha: number[];
  readonly adj: NormalizedAdjacency;
  /** E(0): users then items, [nNodes x dim] */
  private readonly table: Param;
  private readonly nodes: BatchNodes;

  private constructor(ctx: ModelContext, hyper: LightGcnHyper, pool: Pool) {
    super('lightgcn', ctx, hyper, pool);
    const K = hyper.layers;
    if (!Number.isInteger(K) || K < 0)
      throw new InputError(
        { file: 'lightgcn hyperparameters', text: String(K) },
        'layers to be an integer >= 0',
      );
    this.alpha = layerWeightsOf(hyper);
    if (hyper.socialEdges && !ctx.social)
      throw new InputError(
        { file: 'lightgcn hyperparameters', text: 'socialEdges true' },
        'a dataset with a user-user relation for socialEdges (e.g. lastfm-social:<dir>)',
      );
    this.adj = normalizedAdjacency(ctx.trainCsr, {
      exponents: { alpha: hyper.normAlpha, beta: hyper.normBeta },
      ...(hyper.socialEdges && ctx.social ? { social: ctx.social } : {}),
    });
    const n = this.nUsers + this.nItems;
    this.table = this.param('ego', n, hyper.dim, { normal: hyper.initStd });
    this.nodes = new BatchNodes(n);
    ctx.log(
      `lightgcn: ${pool.kernelKind} kernels on ${pool.threads} thread(s), ${this.adj.indices.length} non-zeros in Ã`,
    );
  }

  static create(ctx: ModelContext, hyper: Partial<LightGcnHyper>): Promise<LightGcn> {
    return TapeModel.onPool(
      ctx,
      (pool) => new LightGcn(ctx, { ...LIGHTGCN_DEFAULTS, ...hyper }, pool),
    );
  }

  /** E(0), in the pool's memory (what training updates and checkpoints hold). */
  get ego(): Float32Array {
    return this.table.data;
  }

  /** dLoss/dE(0) of the last lossAndGradient (before the optimizer's step clears it). */
  get egoGrad(): Float32Array {
    return this.table.grad;
  }

  /**
   * Checkpoints under the names the hand-fused LightGCN saved (ego, adam.m, adam.v, adam.t),
   * so that runs saved before it moved onto the tape restore and resume.
   */
  override state(): Record<string, Float32Array> {
    return renameKeys(super.state(), TAPE_ADAM, SAVED_ADAM);
  }

  override load(state: Record<string, Float32Array>): void {
    super.load(renameKeys(state, SAVED_ADAM, TAPE_ADAM));
  }

  /** What propagates from a layer: E(k), or N(E(k)) with normEmbeddings (LightGCN++). */
  private propagated(t: Tape, e: Tensor): Tensor {
    return this.hp.normEmbeddings ? normalizeRows(t, e) : e;
  }

  protected batchVectors(t: Tape, b: PairBatch): BatchVectors {
    const K = this.alpha.length - 1;
    const idx = this.nodes.index(b, this.nUsers);
    const e0 = this.read(t, this.table);
    // eq. 7: E(1..K-1) in full, E(K) at the batch's nodes only
    const layers = [e0];
    for (let k = 1; k < K; k++) layers.push(spmm(t, this.adj, this.propagated(t, layers[k - 1])));
    const top =
      K > 0 ? spmmRows(t, this.adj, this.propagated(t, layers[K - 1]), idx.rows) : undefined;
    // eq. 8 at the batch's nodes
    const fin = layerSumRows(t, layers, idx.rows, this.alpha, top);
    return {
      // eq. 5's vectors, pair by pair
      users: gather(t, fin, idx.slotU),
      pos: gather(t, fin, idx.slotI),
      neg: gather(t, fin, idx.slotJ),
      ...(idx.slotS && { shared: gather(t, fin, idx.slotS) }),
      // eq. 15's L2 on E(0): once per triple for its user and positive, per negative for those
      regularized: [gather(t, e0, idx.regNodes)],
      l2Divisor: idx.triples,
    };
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    let e = this.read(t, this.table);
    const layers = [e];
    for (let k = 1; k < this.alpha.length; k++) {
      e = spmm(t, this.adj, this.propagated(t, e));
      layers.push(e);
    }
    const fin = weightedSum(t, layers, this.alpha);
    const d = fin.cols;
    const nu = this.nUsers;
    return {
      users: t.input(fin.data.subarray(0, nu * d), nu, d),
      items: t.input(fin.data.subarray(nu * d), this.nItems, d),
    };
  }
}

/** TapeModel's name for E(0)'s Adam moments, and the name LightGCN checkpoints keep. */
const TAPE_ADAM = 'adam.ego.';
const SAVED_ADAM = 'adam.';

/** The state with keys `from`+x renamed `to`+x (others as they are). */
function renameKeys(
  state: Record<string, Float32Array>,
  from: string,
  to: string,
): Record<string, Float32Array> {
  return Object.fromEntries(
    Object.entries(state).map(([k, v]) => [k.startsWith(from) ? to + k.slice(from.length) : k, v]),
  );
}

/** A batch's distinct nodes and where each pair's user, positive and negative sit among them. */
interface BatchIndex {
  /** distinct node ids (users, then items offset by nUsers), in order of first appearance */
  readonly rows: Int32Array;
  /** pair k's user, positive and negative as rows of `rows` */
  readonly slotU: Int32Array;
  readonly slotI: Int32Array;
  readonly slotJ: Int32Array;
  /** the batch's shared negatives as rows of `rows` (when it has them) */
  readonly slotS?: Int32Array;
  /** each triple's user, then each triple's positive, then every negative, as node ids */
  readonly regNodes: Int32Array;
  readonly triples: number;
}

/**
 * Numbers a batch's distinct nodes, with a node -> row map kept between batches (all -1 between
 * calls) so that indexing costs the batch, not the graph.
 */
class BatchNodes {
  private readonly slotOf: Int32Array;

  constructor(private readonly n: number) {
    this.slotOf = new Int32Array(n).fill(-1);
  }

  index(b: PairBatch, nUsers: number): BatchIndex {
    const pairs = b.users.length;
    const k = b.negatives ?? 1;
    // pairs per triple (one, with no per-positive negatives: all of them shared)
    const per = Math.max(1, k);
    const triples = Math.ceil(pairs / per);
    const nNeg = k > 0 ? pairs : 0;
    const shared = b.shared ?? new Int32Array(0);
    const { slotOf, n } = this;
    const seen: number[] = [];
    const at = (node: number): number => {
      if (!(node >= 0 && node < n)) throw new RangeError(`batch node ${node} outside [0, ${n})`);
      let s = slotOf[node];
      if (s < 0) {
        s = seen.length;
        slotOf[node] = s;
        seen.push(node);
      }
      return s;
    };
    const slotU = new Int32Array(pairs);
    const slotI = new Int32Array(pairs);
    const slotJ = new Int32Array(nNeg);
    const slotS = new Int32Array(shared.length);
    const regNodes = new Int32Array(2 * triples + nNeg + shared.length);
    try {
      for (let p = 0; p < pairs; p++) {
        slotU[p] = at(b.users[p]);
        slotI[p] = at(nUsers + b.pos[p]);
        if (p % per === 0) {
          regNodes[p / per] = b.users[p];
          regNodes[triples + p / per] = nUsers + b.pos[p];
        }
        if (k === 0) continue;
        slotJ[p] = at(nUsers + b.neg[p]);
        regNodes[2 * triples + p] = nUsers + b.neg[p];
      }
      for (let s = 0; s < shared.length; s++) {
        slotS[s] = at(nUsers + shared[s]);
        regNodes[2 * triples + nNeg + s] = nUsers + shared[s];
      }
    } finally {
      for (const node of seen) slotOf[node] = -1;
    }
    const rows = Int32Array.from(seen);
    return { rows, slotU, slotI, slotJ, ...(b.shared && { slotS }), regNodes, triples };
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
