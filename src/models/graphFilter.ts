/**
 * The products the graph-filter recommenders (GF-CF, BSPM) score with, for a block of users at
 * once. Signals are kept transposed, items x users ([n x b], column r is user r's row vector),
 * so that r P = (P r^T)^T is two SpMMs of the pool with dim b (P = R~^T R~ is symmetric) and
 * the ideal filter one dense matmul [n x k] x [k x b]:
 *
 *   linear:  r_u P                         = ((r_u R~^T) R~)
 *   ideal:   r_u D_I^-1/2 V V^T D_I^1/2      = (r_u D_I^-1/2 V) (D_I^1/2 V)^T
 *
 * No items x items matrix is formed: P is applied as R~^T (R~ x).
 */
import type { Csr } from '../data/types.js';
import { Pool, type DeviceCsr } from '../engine/pool.js';
import { truncatedSvd, type TruncatedSvd } from '../engine/truncatedSvd.js';
import { ScoreFnRanker, type ScoreFn, type TopKRanker } from '../eval/ranking.js';
import { normalizedRatings, type NormalizedRatings } from '../graph/normalizedRatings.js';
import type { WeightedCsr } from '../graph/types.js';
import { InputError } from '../util/errors.js';
import type { ModelContext } from './types.js';

/** Users scored per block: the pool's SpMMs and matmuls run with dim = block. */
export const FILTER_BLOCK = 128;

export class GraphFilter {
  readonly nUsers: number;
  readonly nItems: number;
  private readonly history: Csr;
  private readonly devR: DeviceCsr;
  private readonly devRt: DeviceCsr;
  /** R~^T in plain memory: the first product of a history is a scatter of its items' columns */
  private readonly rt: WeightedCsr;
  /** [m x block]: R~ x, the users' side of P x */
  private readonly userSide: Float32Array;
  private readonly ideal?: {
    readonly k: number;
    /** D_I^-1/2 V, [n x k] (plain memory: read row by row in JS) */
    readonly inBasis: Float32Array;
    /** D_I^1/2 V, [n x k], pool memory */
    readonly outBasis: Float32Array;
    /** [k x block] */
    readonly coeffs: Float32Array;
  };
  private readonly owned: Float32Array[] = [];

  readonly backend: string;

  /**
   * R~ and, when `factors` is given, its top right singular vectors V, on a pool of
   * ctx.threads threads that the filter owns. Refuses factors above min(users, items).
   */
  static async build(
    model: string,
    ctx: ModelContext,
    factors: number | undefined,
    svdOptions: { readonly iterations: number },
  ): Promise<GraphFilter> {
    const ratings = normalizedRatings(ctx.trainCsr);
    const most = Math.min(ratings.matrix.nRows, ratings.matrix.nCols);
    if (factors !== undefined && !(Number.isInteger(factors) && factors >= 1 && factors <= most))
      throw new InputError(
        { file: `${model} hyperparameters`, text: `factors=${factors}` },
        `factors to be an integer in [1, ${most}] (the smaller of users and items)`,
      );
    const pool = await Pool.create({ threads: ctx.threads });
    try {
      let svd: TruncatedSvd | undefined;
      if (factors !== undefined) {
        const t = performance.now();
        svd = truncatedSvd(ratings.matrix, {
          rank: factors,
          iterations: svdOptions.iterations,
          rng: ctx.rng,
          pool,
        });
        ctx.log(
          `${model}: top ${factors} singular vectors of R~ in ${((performance.now() - t) / 1000).toFixed(1)} s (sigma_1 ${svd.values[0].toFixed(4)}, sigma_${factors} ${svd.values[factors - 1].toFixed(4)})`,
        );
      }
      return new GraphFilter(pool, ratings, svd);
    } catch (e) {
      await pool.dispose();
      throw e;
    }
  }

  private constructor(
    private readonly pool: Pool,
    ratings: NormalizedRatings,
    svd?: TruncatedSvd,
  ) {
    const r = ratings.matrix;
    this.backend = `${pool.kernelKind} kernels, ${pool.threads} thread(s)`;
    this.nUsers = r.nRows;
    this.nItems = r.nCols;
    this.history = ratings.binary;
    this.devR = pool.upload(r);
    this.rt = pool.transposeOf(r);
    this.devRt = pool.upload(this.rt);
    this.userSide = this.alloc(this.nUsers * FILTER_BLOCK);
    if (svd) {
      const k = svd.rank;
      const v = svd.vectors;
      const inBasis = new Float32Array(v.length);
      const outBasis = this.alloc(v.length);
      for (let i = 0; i < this.nItems; i++)
        for (let c = 0; c < k; c++) {
          inBasis[i * k + c] = v[i * k + c] * ratings.itemInvSqrt[i];
          outBasis[i * k + c] = v[i * k + c] * ratings.itemSqrt[i];
        }
      this.ideal = { k, inBasis, outBasis, coeffs: this.alloc(k * FILTER_BLOCK) };
    }
  }

  /** A pool array of [n x FILTER_BLOCK] floats; a block of b users uses its first n * b. */
  signal(): Float32Array {
    return this.alloc(this.nItems * FILTER_BLOCK);
  }

  /**
   * out = P x_u for the users' histories x_u (binary, transposed): R~ x_u is summed
   * from the few columns of R~ the history names (sum over i in I_u of d_i users, not a full
   * SpMM over every non-zero of R~), then R~^T (.) is the pool's SpMM.
   */
  linearOfHistories(users: Int32Array, out: Float32Array): void {
    const b = users.length;
    const y = this.userSide.subarray(0, this.nUsers * b);
    y.fill(0);
    const { indptr, indices } = this.history;
    const { indptr: tp, indices: ti, values: tv } = this.rt;
    for (let r = 0; r < b; r++)
      for (let p = indptr[users[r]]; p < indptr[users[r] + 1]; p++) {
        const i = indices[p];
        for (let q = tp[i]; q < tp[i + 1]; q++) y[ti[q] * b + r] += tv[q];
      }
    this.pool.spmm(this.devRt, y, out.subarray(0, this.nItems * b), b);
  }

  /** out = P x for b columns: R~^T (R~ x). */
  linear(x: Float32Array, out: Float32Array, b: number): void {
    const y = this.userSide.subarray(0, this.nUsers * b);
    this.pool.spmm(this.devR, x, y, b);
    this.pool.spmm(this.devRt, y, out.subarray(0, this.nItems * b), b);
  }

  /**
   * out = weight * (r_u D_I^-1/2 V V^T D_I^1/2)^T for the users' histories, into `out` (which
   * must be a pool array of [n x b]); needs the SVD.
   */
  idealInto(users: Int32Array, weight: number, out: Float32Array): void {
    const f = this.ideal;
    if (!f) throw new Error('graph filter built without its singular vectors');
    const b = users.length;
    const { k, inBasis } = f;
    const coeffs = f.coeffs.subarray(0, k * b);
    coeffs.fill(0);
    const { indptr, indices } = this.history;
    for (let r = 0; r < b; r++)
      for (let p = indptr[users[r]]; p < indptr[users[r] + 1]; p++) {
        const row = indices[p] * k;
        for (let c = 0; c < k; c++) coeffs[c * b + r] += weight * inBasis[row + c];
      }
    this.pool.matmul(f.outBasis, coeffs, out.subarray(0, this.nItems * b), k, b);
  }

  /**
   * out[r * n + i] = x[i * b + r] (+ plus[i * b + r]): the transposed signal(s) back to one row
   * per user, the sum fused into the transposition (one pass over each).
   */
  toRows(x: Float32Array, out: Float32Array, b: number, plus?: Float32Array): void {
    const n = this.nItems;
    const tile = 64;
    for (let i0 = 0; i0 < n; i0 += tile) {
      const i1 = Math.min(n, i0 + tile);
      for (let r = 0; r < b; r++) {
        const base = r * n;
        if (plus) for (let i = i0; i < i1; i++) out[base + i] = x[i * b + r] + plus[i * b + r];
        else for (let i = i0; i < i1; i++) out[base + i] = x[i * b + r];
      }
    }
  }

  /** A top-K ranker over `score`, which fills blocks of at most FILTER_BLOCK users. */
  ranker(score: ScoreFn): TopKRanker {
    return new ScoreFnRanker(score, this.nItems, { block: FILTER_BLOCK });
  }

  /** Frees the buffers and stops the pool (the filter owns it). */
  async dispose(): Promise<void> {
    for (const a of this.owned) this.pool.free(a);
    this.owned.length = 0;
    await this.pool.dispose();
  }

  private alloc(n: number): Float32Array {
    const a = this.pool.allocF32(n, true);
    this.owned.push(a);
    return a;
  }
}
