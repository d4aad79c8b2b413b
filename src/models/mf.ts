/**
 * Matrix factorisation trained with a pairwise or pointwise loss.
 * BPR-MF: Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009.
 *   score (eq. 7 with x_ui = <w_u, h_i>):  x_ui = p_u . q_i
 *   objective (eq. 4):  sum -ln sigma(x_ui - x_uj) + lambda ||Theta||^2
 * Regularisation follows the LightGCN reference code: lambda/2 (|p_u|^2+|q_i|^2+|q_j|^2) / batch.
 * Written on the tape (src/models/tapeModel.ts does the loss, the L2 term and Adam): the
 * forward pass is the two gathers below.
 */
import type { Pool } from '../engine/pool.js';
import type { Param } from '../engine/tape/param.js';
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import { gather } from '../engine/tape/ops/index.js';
import type { HyperDeclarations } from './hyperparameters.js';
import {
  TapeModel,
  TAPE_MODEL_DEFAULTS,
  TAPE_MODEL_HYPER,
  type BatchVectors,
  type PairBatch,
} from './tapeModel.js';
import type { ModelContext } from './types.js';

export const MF_DEFAULTS = { ...TAPE_MODEL_DEFAULTS };

export const MF_HYPER = { ...TAPE_MODEL_HYPER } satisfies HyperDeclarations<typeof MF_DEFAULTS>;

export type MfHyper = typeof MF_DEFAULTS;

export class MatrixFactorization extends TapeModel<MfHyper> {
  readonly name: string = 'mf';
  /** P: one row per user */
  readonly users: Param;
  /** Q: one row per item */
  readonly items: Param;

  private constructor(ctx: ModelContext, hyper: MfHyper, pool: Pool) {
    super('mf', ctx, hyper, pool);
    this.users = this.param('users', this.nUsers, hyper.dim, { normal: hyper.initStd });
    this.items = this.param('items', this.nItems, hyper.dim, { normal: hyper.initStd });
  }

  static create(ctx: ModelContext, hyper: Partial<MfHyper>): Promise<MatrixFactorization> {
    return TapeModel.onPool(
      ctx,
      (pool) => new MatrixFactorization(ctx, { ...MF_DEFAULTS, ...hyper }, pool),
    );
  }

  protected batchVectors(t: Tape, b: PairBatch): BatchVectors {
    const P = this.read(t, this.users);
    const Q = this.read(t, this.items);
    const u = gather(t, P, b.users);
    const i = gather(t, Q, b.pos);
    const j = gather(t, Q, b.neg);
    if (!b.shared) return { users: u, pos: i, neg: j, regularized: [u, i, j] };
    const s = gather(t, Q, b.shared);
    return { users: u, pos: i, neg: j, shared: s, regularized: [u, i, j, s] };
  }

  protected allVectors(t: Tape): { users: Tensor; items: Tensor } {
    return { users: this.read(t, this.users), items: this.read(t, this.items) };
  }
}
