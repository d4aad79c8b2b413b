/**
 * CKE. Zhang et al., "Collaborative Knowledge Base Embedding for Recommender Systems", KDD
 * 2016: matrix factorisation whose item vectors add the item's entity embedding, the entities
 * learned by TransR on the knowledge graph at the same time (the structural component; the
 * paper's textual and visual components are left out, as in the KGAT code's CKE baseline that
 * the KG papers compare with).
 *   item vector (eq. 6): e_i = eta_i + v_{e(i)}
 *   score:               y_ui = u_u^T e_i
 *   TransR (eq. 1-2):    v_h^r = v_h M_r, v_t^r = v_t M_r,
 *                        f_r(h, t) = || v_h^r + r - v_t^r ||^2, each vector L2-normalised
 *                        first (TransR's norm constraints, as the KGAT code's CKE)
 *   KG loss (eq. 3):     -ln sigma(f_r(h, t') - f_r(h, t)) per triple, t' a random entity with
 *                        (h, r, t') not in the KG, mean over the KG batch
 *   CF loss:             BPR over (u, i, j), + reg/2 (|u_u|^2 + |e_i|^2 + |e_j|^2) / batch
 *   objective:           CF loss + kgWeight (KG loss + reg/2 (|v_h|^2 + |r|^2 + |v_t|^2 +
 *                        |v_t'|^2) / KG batch), one Adam step on both (KGAT's CKE sums them)
 * Each CF batch b is paired with KG batch b (mod the KG's batches) of the same size, so an
 * epoch passes over the triples at least once when they are fewer than the interactions.
 */
import type { Pool } from '../engine/pool.js';
import type { Rng } from '../util/rng.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  add,
  bpr,
  gather,
  mul,
  normalizeRows,
  relationProject,
  rowSum,
  scale,
  sub,
  sumSquares,
} from '../engine/tape/ops/index.js';
import type { KnowledgeGraph } from '../data/types.js';
import { InputError } from '../util/errors.js';
import { shuffleInPlace } from '../util/rng.js';
import type { HyperDeclarations } from './hyperparameters.js';
import {
  TapeModel,
  TAPE_MODEL_DEFAULTS,
  TAPE_MODEL_HYPER,
  type BatchVectors,
  type PairBatch,
} from './tapeModel.js';
import type { ModelContext } from './types.js';

export const CKE_TITLE = 'CKE (MF + TransR on the knowledge graph)';
export const CKE_PAPER =
  'Zhang et al., Collaborative Knowledge Base Embedding for Recommender Systems, KDD 2016';

/** sparse Adam at lr 0.01: tuned on a validation split of lastfm-kg's train.txt (30 epochs) */
export const CKE_DEFAULTS = {
  ...TAPE_MODEL_DEFAULTS,
  lr: 0.01,
  optimizer: 'sparseAdam' as string,
  kgWeight: 1,
};

export type CkeHyper = typeof CKE_DEFAULTS;

export const CKE_HYPER = {
  ...TAPE_MODEL_HYPER,
  kgWeight: {
    type: 'number',
    min: 0,
    description: 'weight of the TransR loss on KG triples beside the CF loss (0: MF alone)',
    source: 'KGAT code, CKE: base_loss + kge_loss',
  },
} as const satisfies HyperDeclarations<CkeHyper>;

/** The TransR energy of a batch of triples: || h M_r + r - t M_r ||^2 per row, [n x 1]. */
export function transREnergy(
  t: Tape,
  h: Tensor,
  r: Tensor,
  tail: Tensor,
  M: Tensor,
  rel: ArrayLike<number>,
): Tensor {
  const hr = normalizeRows(t, relationProject(t, h, M, rel));
  const tr = normalizeRows(t, relationProject(t, tail, M, rel));
  const diff = sub(t, add(t, hr, normalizeRows(t, r)), tr);
  return rowSum(t, mul(t, diff, diff));
}

export class Cke extends TapeModel<CkeHyper> {
  readonly name = 'cke';
  private readonly users: Param;
  private readonly items: Param;
  /** entity embeddings v; the last row stands in for items without an entity */
  private readonly entities: Param;
  private readonly relations: Param;
  /** the TransR projections M_r stacked, [nRel * d x d] */
  private readonly projections: Param;
  /** item -> its entity row */
  private readonly itemEntity: Int32Array;
  private readonly kg: KnowledgeGraph;
  private readonly known: Set<number>;
  private readonly order: Int32Array;
  private kgRng: Rng | undefined;
  private kgBatch = 0;

  private constructor(ctx: ModelContext, hyper: CkeHyper, pool: Pool, kg: KnowledgeGraph) {
    super('cke', ctx, hyper, pool);
    const { dim, initStd } = hyper;
    this.kg = kg;
    this.itemEntity = Int32Array.from(kg.itemEntity, (e) => (e >= 0 ? e : kg.nEntities));
    this.users = this.param('users', this.nUsers, dim, { normal: initStd });
    this.items = this.param('items', this.nItems, dim, { normal: initStd });
    this.entities = this.param('entities', kg.nEntities + 1, dim, { normal: initStd });
    this.relations = this.param('relations', kg.nRelations, dim, { normal: initStd });
    this.projections = this.param('projections', kg.nRelations * dim, dim, { xavier: true });
    this.known = new Set();
    for (let k = 0; k < kg.heads.length; k++) this.known.add(this.tripleKey(k, kg.tails[k]));
    this.order = Int32Array.from({ length: kg.heads.length }, (_, k) => k);
  }

  static async create(ctx: ModelContext, hyper: Partial<CkeHyper>): Promise<Cke> {
    const kg = ctx.kg;
    if (!kg)
      throw new InputError(
        { file: 'dataset' },
        'a dataset with a knowledge graph for cke (lastfm-kg:<dir>, or recbole:<file.inter> with a .kg file)',
      );
    return TapeModel.onPool(ctx, (pool) => new Cke(ctx, { ...CKE_DEFAULTS, ...hyper }, pool, kg));
  }

  /** (h, r, t) of triple k with tail `tail`, as one number (exact below 2^53). */
  private tripleKey(k: number, tail: number): number {
    const { nEntities, nRelations } = this.kg;
    return (this.kg.heads[k] * nRelations + this.kg.relations[k]) * nEntities + tail;
  }

  override beginEpoch(epoch: number, rng: Rng): void {
    super.beginEpoch(epoch, rng);
    // from the identity each epoch: the order depends on this epoch's stream alone (resume)
    for (let k = 0; k < this.order.length; k++) this.order[k] = k;
    shuffleInPlace(this.order, rng);
    this.kgRng = rng;
  }

  override trainStep(b: number): number {
    this.kgBatch = b;
    return super.trainStep(b);
  }

  protected batchVectors(t: Tape, batch: PairBatch): BatchVectors {
    const users = gather(t, this.read(t, this.users), batch.users);
    const pos = this.itemVectors(t, batch.pos);
    const neg = this.itemVectors(t, batch.neg);
    if (!batch.shared) return { users, pos, neg, regularized: [users, pos, neg] };
    const shared = this.itemVectors(t, batch.shared);
    return { users, pos, neg, shared, regularized: [users, pos, neg, shared] };
  }

  /** e_i = eta_i + v_{e(i)} for the listed items. */
  private itemVectors(t: Tape, items: ArrayLike<number>): Tensor {
    const entityRows = Int32Array.from(items, (i) => this.itemEntity[i]);
    return add(
      t,
      gather(t, this.read(t, this.items), items),
      gather(t, this.read(t, this.entities), entityRows),
    );
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    const all = Int32Array.from({ length: this.nItems }, (_, i) => i);
    return { users: this.read(t, this.users), items: this.itemVectors(t, all) };
  }

  /** The TransR loss on this step's KG batch (see the top of the file). */
  protected override auxiliaryLoss(t: Tape): Tensor | undefined {
    const { kgWeight, batchSize, reg } = this.hp;
    const rng = this.kgRng;
    const n = this.order.length;
    if (kgWeight === 0 || !rng || n === 0) return undefined;
    const batches = Math.ceil(n / batchSize);
    const s = (this.kgBatch % batches) * batchSize;
    const idx = this.order.subarray(s, Math.min(s + batchSize, n));
    const kg = this.kg;
    const rel = Int32Array.from(idx, (k) => kg.relations[k]);
    const negTails = Int32Array.from(idx, (k) => this.corruptTail(k, rng));
    const E = this.read(t, this.entities);
    const M = this.read(t, this.projections);
    const h = gather(
      t,
      E,
      Int32Array.from(idx, (k) => kg.heads[k]),
    );
    const r = gather(t, this.read(t, this.relations), rel);
    const tPos = gather(
      t,
      E,
      Int32Array.from(idx, (k) => kg.tails[k]),
    );
    const tNeg = gather(t, E, negTails);
    const fPos = transREnergy(t, h, r, tPos, M, rel);
    const fNeg = transREnergy(t, h, r, tNeg, M, rel);
    // -ln sigma(f(h, t') - f(h, t)) = bpr with scores -f
    let loss = bpr(t, scale(t, fPos, -1), scale(t, fNeg, -1));
    if (reg > 0) {
      let l2 = sumSquares(t, h);
      for (const x of [r, tPos, tNeg]) l2 = add(t, l2, sumSquares(t, x));
      loss = add(t, loss, scale(t, l2, (reg * 0.5) / idx.length));
    }
    return kgWeight === 1 ? loss : scale(t, loss, kgWeight);
  }

  /** A random entity t' with (h, r, t') not in the KG (a few tries, as the KGAT code). */
  private corruptTail(k: number, rng: Rng): number {
    let e = rng.int(this.kg.nEntities);
    for (let tries = 0; tries < 20 && this.known.has(this.tripleKey(k, e)); tries++)
      e = rng.int(this.kg.nEntities);
    return e;
  }
}
