/**
 * TwHIN. El-Kishky et al., "TwHIN: Embedding the Twitter Heterogeneous Information Network for
 * Personalized Recommendation", KDD 2022: one embedding per node and per relation type of a
 * heterogeneous graph (src/graph/heteroGraph.ts: users, items, KG entities; interactions, KG
 * relations, friendships), learned as a translating embedding scored by dot product.
 *   score (eq. 1):     f(s, r, t) = (theta_s + theta_r)^T theta_t
 *   objective (eq. 2): max sum_{e in E} [ log sigma(f(e)) + sum_{e' in N(e)} log sigma(-f(e')) ]
 *                      N(e): e with its tail replaced (t' of r's tail type) and with its head
 *                      replaced (s' of r's head type)
 * Batches hold edges of one relation type, and a batch's corruptions are shared by all its
 * edges (section 3.2, after PyTorch-BigGraph): K candidate tails and K candidate heads per
 * batch, so the negative scores are two [B x K] products rather than B x K gathers. K nodes are
 * drawn uniformly from the type (sampler uniform), or from the batch's own tails and heads
 * (sampler popularity: in proportion to their degree in the relation, PBG's batch negatives).
 * As in PBG, a corruption that happens to be a true edge is not filtered out.
 * The loss is minimised as its negation, summed over the batch's edges and divided by
 * batchSize (so an edge weighs the same in a relation's short last batch), plus optionally
 * reg/2 |.|^2 over the rows the batch read, /batchSize. The gradients are row-sparse (gathers
 * only) and the default optimizer is sparse (lazy) Adam, updating just the rows a batch used,
 * as TwHIN trains its tables (the paper: sparse Adagrad in PBG; Adam with sparse updates here).
 *
 * Recommendation: y_ui = f(u, interacts, i) = (theta_u + theta_interacts)^T theta_i, so the
 * user vector is theta_u + theta_interacts and the dot-product ranker serves it. Link
 * prediction per relation type on held-out edges (hyperparameter holdout): linkPrediction().
 */
import type { Pool } from '../engine/pool.js';
import { Param } from '../engine/tape/param.js';
import { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  add,
  gather,
  logSigmoid,
  matmulNT,
  rowDot,
  scale,
  sum,
  sumSquares,
} from '../engine/tape/ops/index.js';
import type { Rng } from '../util/rng.js';
import { shuffleInPlace } from '../util/rng.js';
import { filteredRank, summarizeRanks, type RankSummary } from '../eval/linkPrediction.js';
import type { TopKRanker } from '../eval/ranking.js';
import {
  buildHeteroGraph,
  holdOutRelationEdges,
  type HeteroGraph,
  type NodeRange,
  type Relation,
} from '../graph/heteroGraph.js';
import { TapeAdam, TAPE_OPTIMIZERS } from '../train/tapeAdam.js';
import { NEGATIVE_SAMPLERS, type HyperDeclarations } from './hyperparameters.js';
import { dotRanker } from './rankers.js';
import { TapeModel } from './tapeModel.js';
import type { Embeddings, ModelContext, TrainableModel } from './types.js';

export const TWHIN_TITLE = 'TwHIN (heterogeneous graph embedding)';
export const TWHIN_PAPER =
  'El-Kishky et al., TwHIN: Embedding the Twitter Heterogeneous Information Network for Personalized Recommendation, KDD 2022';

export const TWHIN_DEFAULTS = {
  dim: 64,
  lr: 0.02,
  reg: 0.01,
  batchSize: 256,
  initStd: 0.1,
  negatives: 64,
  sampler: 'uniform' as string,
  optimizer: 'sparseAdam' as string,
  holdout: 0,
};

export type TwhinHyper = typeof TWHIN_DEFAULTS;

export const TWHIN_HYPER = {
  dim: {
    type: 'integer',
    min: 1,
    description: 'embedding size of nodes and relation types',
    source: 'd = 64 as the other models here (the paper: 200)',
  },
  lr: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'Adam learning rate',
    source: 'tuned on a validation split of lastfm-kg train.txt',
  },
  reg: {
    type: 'number',
    min: 0,
    description: 'L2 weight on the rows a batch reads',
    source: 'tuned on a validation split of lastfm-kg train.txt (the paper: none)',
  },
  batchSize: {
    type: 'integer',
    min: 1,
    description: 'edges of one relation type per mini-batch',
    source: 'tuned on a validation split of lastfm-kg train.txt (PyTorch-BigGraph: 1000)',
  },
  initStd: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'standard deviation of the normal initialisation',
    source: 'as the LightGCN code, nn.init.normal_(std=0.1)',
  },
  negatives: {
    type: 'integer',
    min: 1,
    description: 'corruptions per side (tails and heads) shared by a batch',
    source: 'PyTorch-BigGraph: 50 batch + 50 uniform negatives',
  },
  sampler: {
    type: 'enum',
    choices: NEGATIVE_SAMPLERS,
    description: "shared corruptions drawn uniformly from the type, or from the batch's own nodes",
    source: 'uniform: PBG uniform negatives; popularity: PBG batch negatives',
  },
  optimizer: {
    type: 'enum',
    choices: TAPE_OPTIMIZERS,
    description: 'sparseAdam: only the rows a batch used are updated; adam: dense',
    source: 'paper: sparse updates of the embedding tables',
  },
  holdout: {
    type: 'number',
    min: 0,
    max: 1,
    exclusiveMax: true,
    description:
      'share of each KG / friendship relation held out for link prediction (not trained on)',
    source: '0: train on every edge',
  },
} as const satisfies HyperDeclarations<TwhinHyper>;

/** A mini-batch: edges (heads[k], relation, tails[k]) and their shared corruptions. */
export interface TwhinBatch {
  readonly relation: number;
  readonly heads: Int32Array;
  readonly tails: Int32Array;
  /** K candidate heads and K candidate tails, shared by every edge of the batch */
  readonly negatives: { readonly heads: Int32Array; readonly tails: Int32Array };
}

/** Per relation type: its name and the filtered ranking of its held-out edges' tails. */
export interface RelationLinkMetrics extends RankSummary {
  readonly relation: string;
}

export class Twhin implements TrainableModel {
  readonly name = 'twhin';
  readonly backend: string;
  readonly graph: HeteroGraph;
  /** held-out edges per relation (same indices as graph.relations) */
  readonly heldOut: readonly Relation[];
  private readonly hp: TwhinHyper;
  private readonly nodes: Param;
  private readonly relations: Param;
  private readonly adam: TapeAdam;
  private readonly tape: Tape;
  /** this epoch: each relation's edge order, and the batches as (relation, first edge) */
  private orders: Int32Array[] = [];
  private plan = new Int32Array(0);
  private rng: Rng | undefined;

  private constructor(
    ctx: ModelContext,
    hyper: TwhinHyper,
    private readonly pool: Pool,
  ) {
    this.hp = hyper;
    const full = buildHeteroGraph(ctx);
    const split = holdOutRelationEdges(full, hyper.holdout, ctx.rng.fork());
    this.graph = split.train;
    this.heldOut = split.heldOut;
    const { dim, initStd } = hyper;
    const init = (p: Param): Param => {
      for (let k = 0; k < p.size; k++) p.data[k] = ctx.rng.normal() * initStd;
      return p;
    };
    this.nodes = init(new Param(pool, 'nodes', this.graph.nNodes, dim));
    this.relations = init(new Param(pool, 'relations', this.graph.relations.length, dim));
    this.adam = new TapeAdam(pool, [this.nodes, this.relations], {
      lr: hyper.lr,
      sparse: hyper.optimizer === 'sparseAdam',
    });
    this.tape = new Tape(pool);
    this.backend = `${pool.kernelKind} kernels (autodiff tape, ${hyper.optimizer}), ${pool.threads} thread(s)`;
  }

  static create(ctx: ModelContext, hyper: Partial<TwhinHyper>): Promise<Twhin> {
    return TapeModel.onPool(ctx, (pool) => new Twhin(ctx, { ...TWHIN_DEFAULTS, ...hyper }, pool));
  }

  /** Each relation's edges shuffled, cut into batches, and the batches of all shuffled. */
  beginEpoch(_epoch: number, rng: Rng): void {
    this.rng = rng;
    const bs = this.hp.batchSize;
    const plan: number[] = [];
    this.orders = this.graph.relations.map((rel, r) => {
      const n = rel.heads.length;
      const order = Int32Array.from({ length: n }, (_, k) => k);
      shuffleInPlace(order, rng);
      for (let s = 0; s < n; s += bs) plan.push(r, s);
      return order;
    });
    const batches = plan.length / 2;
    const pick = Int32Array.from({ length: batches }, (_, k) => k);
    shuffleInPlace(pick, rng);
    this.plan = new Int32Array(plan.length);
    for (let k = 0; k < batches; k++) {
      this.plan[2 * k] = plan[2 * pick[k]];
      this.plan[2 * k + 1] = plan[2 * pick[k] + 1];
    }
  }

  batchesPerEpoch(): number {
    return this.plan.length / 2;
  }

  learningRate(): number {
    return this.adam.lr;
  }

  /**
   * Mini-batch b of the epoch begun last: edges of one relation type, and the corruptions
   * all of them share (drawn from the epoch's stream, so call it once per batch, in order).
   */
  batch(b: number): TwhinBatch {
    const rng = this.rng;
    if (!rng) throw new Error('beginEpoch must run before trainStep');
    const r = this.plan[2 * b];
    const s = this.plan[2 * b + 1];
    const rel = this.graph.relations[r];
    const idx = this.orders[r].subarray(s, Math.min(s + this.hp.batchSize, rel.heads.length));
    const heads = Int32Array.from(idx, (k) => rel.heads[k]);
    const tails = Int32Array.from(idx, (k) => rel.tails[k]);
    return {
      relation: r,
      heads,
      tails,
      negatives: {
        heads: this.corruptions(rel.headType, heads, rng),
        tails: this.corruptions(rel.tailType, tails, rng),
      },
    };
  }

  trainStep(b: number): number {
    const loss = this.lossAndGradient(this.batch(b));
    this.adam.step();
    return loss;
  }

  /** The batch's shared corruptions: K nodes of the type, or of the batch's own `side`. */
  private corruptions(type: NodeRange, side: Int32Array, rng: Rng): Int32Array {
    const k = this.hp.negatives;
    const out = new Int32Array(k);
    const span = type.hi - type.lo;
    for (let j = 0; j < k; j++)
      out[j] =
        this.hp.sampler === 'popularity' ? side[rng.int(side.length)] : type.lo + rng.int(span);
    return out;
  }

  /**
   * The loss of a batch of relation r's edges (heads[k], r, tails[k]) with shared corruptions,
   * as the mean over its edges; leaves the gradient in the tables (for tests: no update).
   */
  lossAndGradient(batch: TwhinBatch): number {
    const { relation: r, heads, tails, negatives } = batch;
    const t = this.tape;
    t.reset();
    const nodes = t.param(this.nodes);
    const theta_r = gather(t, t.param(this.relations), [r]); // [1 x d]
    const theta_s = gather(t, nodes, heads); // [B x d]
    const theta_t = gather(t, nodes, tails);
    // f(s, r, t) = (theta_s + theta_r)^T theta_t
    const q = add(t, theta_s, theta_r);
    const fPos = rowDot(t, q, theta_t); // [B x 1]
    // tail corruption f(s, r, t') = q_s^T theta_t': every edge against the K shared t'
    const theta_tNeg = gather(t, nodes, negatives.tails);
    const fTail = matmulNT(t, q, theta_tNeg); // [B x K]
    // head corruption f(s', r, t) = (theta_s' + theta_r)^T theta_t
    const qNeg = add(t, gather(t, nodes, negatives.heads), theta_r);
    const fHead = matmulNT(t, theta_t, qNeg); // [B x K]
    // log sigma(f(e)) + sum_e' log sigma(-f(e')), summed over the batch
    // (each side's K corruptions weighted 1/K, as PyTorch-BigGraph's logistic loss, which
    // TwHIN trains with: one positive against the mean of its negatives)
    const k = negatives.tails.length;
    const logLik = add(
      t,
      sum(t, logSigmoid(t, fPos)),
      scale(
        t,
        add(
          t,
          sum(t, logSigmoid(t, scale(t, fTail, -1))),
          sum(t, logSigmoid(t, scale(t, fHead, -1))),
        ),
        1 / k,
      ),
    );
    const bs = this.hp.batchSize;
    let loss = scale(t, logLik, -1 / bs);
    if (this.hp.reg > 0) {
      const read: Tensor[] = [theta_s, theta_t, theta_tNeg, theta_r];
      let l2 = sumSquares(t, read[0]);
      for (const x of read.slice(1)) l2 = add(t, l2, sumSquares(t, x));
      loss = add(t, loss, scale(t, l2, (this.hp.reg * 0.5) / bs));
    }
    t.backward(loss);
    return (loss.item() * bs) / Math.max(1, heads.length);
  }

  /** theta_n + theta_r for the listed nodes, into out (row-major). */
  private translated(nodes: ArrayLike<number>, r: number, out: Float32Array): void {
    const d = this.hp.dim;
    const N = this.nodes.data;
    const R = this.relations.data;
    for (let k = 0; k < nodes.length; k++)
      for (let c = 0; c < d; c++) out[k * d + c] = N[nodes[k] * d + c] + R[r * d + c];
  }

  /** Users as theta_u + theta_interacts, items as theta_i: y_ui = f(u, interacts, i). */
  embeddings(): Embeddings {
    const { users, items } = this.graph;
    const d = this.hp.dim;
    const u = new Float32Array((users.hi - users.lo) * d);
    this.translated(
      Int32Array.from({ length: users.hi - users.lo }, (_, k) => users.lo + k),
      0,
      u,
    );
    const i = this.nodes.data.slice(items.lo * d, items.hi * d);
    return { dim: d, users: u, items: i };
  }

  ranker(threads: number): TopKRanker {
    return dotRanker(this.embeddings(), threads, this.pool);
  }

  /**
   * MRR and Hits@k of every relation with held-out edges: each held-out (s, r, t) ranks t
   * among every node of r's tail type by f(s, r, .), filtered (the other true tails of (s, r),
   * trained on or held out, are left out of the ranking). Full ranking, no sampling.
   */
  linkPrediction(ks: readonly number[] = [1, 10]): RelationLinkMetrics[] {
    const d = this.hp.dim;
    const N = this.nodes.data;
    const out: RelationLinkMetrics[] = [];
    this.heldOut.forEach((held, r) => {
      if (held.heads.length === 0) return;
      const known = knownTails([this.graph.relations[r], held]);
      const { lo, hi } = held.tailType;
      const scores = new Float32Array(hi - lo);
      const q = new Float32Array(d);
      const ranks: number[] = [];
      for (let e = 0; e < held.heads.length; e++) {
        this.translated([held.heads[e]], r, q);
        for (let c = lo; c < hi; c++) {
          let acc = 0;
          for (let j = 0; j < d; j++) acc += q[j] * N[c * d + j];
          scores[c - lo] = acc;
        }
        const others = known.get(held.heads[e]);
        ranks.push(filteredRank(scores, held.tails[e] - lo, (k) => others?.has(lo + k) ?? false));
      }
      out.push({ relation: held.name, ...summarizeRanks(ranks, ks) });
    });
    return out;
  }

  state(): Record<string, Float32Array> {
    return {
      nodes: this.nodes.data,
      relations: this.relations.data,
      ...this.adam.state('adam'),
    };
  }

  load(state: Record<string, Float32Array>): void {
    for (const p of [this.nodes, this.relations]) {
      const s = state[p.name];
      if (!s || s.length !== p.size)
        throw new Error(`checkpoint: parameter ${p.name} missing or not ${p.rows} x ${p.cols}`);
      p.data.set(s);
    }
    this.adam.load('adam', state);
  }

  async dispose(): Promise<void> {
    this.tape.dispose();
    await this.pool.dispose();
  }
}

/** head -> its tails over the given edge sets of one relation. */
function knownTails(sets: readonly Relation[]): Map<number, Set<number>> {
  const m = new Map<number, Set<number>>();
  for (const rel of sets)
    for (let k = 0; k < rel.heads.length; k++) {
      let s = m.get(rel.heads[k]);
      if (!s) m.set(rel.heads[k], (s = new Set()));
      s.add(rel.tails[k]);
    }
  return m;
}
