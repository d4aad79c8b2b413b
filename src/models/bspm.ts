/**
 * BSPM: blur a user's history with the graph filters, then sharpen it by running the heat
 * equation backwards, with no training.
 * Choi, Hong, Park & Cho, "Blurring-Sharpening Process Models for Collaborative Filtering",
 * SIGIR 2023; defaults as the authors' Gowalla command (README: --solver_shr rk4 --K_s 1
 * --T_s 2.5 --final_sharpening True --idl_beta 0.2 --factor_dim 448; the blurring and ideal
 * ODEs at their defaults, one Euler step of T = 1 each).
 *
 *   P = R~^T R~,  M = D_I^-1/2 V V^T D_I^1/2   (as GF-CF, V the top-k right singular vectors)
 *   blurring  dr/dt = r P - r,  one Euler step of T_b = 1 from r_u:   r_u P
 *   ideal     dr/dt = r M - r,  one Euler step of T_idl = 1:          r_u M
 *   y0 = beta_idl r_u M + r_u P     ("early merge": the authors' final_sharpening = True)
 *   sharpening  dr/dt = -r P  from y0 to T_s;  s_u = r(T_s)
 *
 * What the authors' code computes for Gowalla, followed here: the sharpening starts from the
 * merged blurred-plus-ideal signal, and its end point is the score (no t-point combination and
 * no ideal term added afterwards). Solvers: RK4 (the default) or Euler, `sharpenSteps` equal
 * steps of T_s / sharpenSteps (their K_s). The ODE is linear, so one step of any 4-stage
 * 4th-order Runge-Kutta method (torchdiffeq's "rk4" is the 3/8 rule) is the same map,
 * r (I - hP + (hP)^2/2 - (hP)^3/6 + (hP)^4/24), evaluated here by Horner's rule (rk4Step).
 */
import type { TopKRanker } from '../eval/ranking.js';
import { FACTORS_HYPER, IDEAL_WEIGHT_HYPER, SVD_ITERATIONS_HYPER } from './gfcf.js';
import { GraphFilter } from './graphFilter.js';
import { SVD_ITERATIONS } from '../engine/truncatedSvd.js';
import type { HyperDeclarations } from './hyperparameters.js';
import type { Hyperparameters, ModelContext, Recommender } from './types.js';

export const BSPM_TITLE = 'BSPM (blurring-sharpening process, no training)';
export const BSPM_PAPER =
  'Choi et al., Blurring-Sharpening Process Models for Collaborative Filtering, SIGIR 2023';

export const BSPM_SOLVERS = ['rk4', 'euler'] as const;

export const BSPM_DEFAULTS = {
  factors: 448,
  idealWeight: 0.2,
  /** ODE solver of the sharpening process */
  solver: 'rk4' as string,
  /** T_s: terminal time of the sharpening process */
  sharpenTime: 2.5,
  /** K_s: solver steps from 0 to T_s */
  sharpenSteps: 1,
  svdIterations: SVD_ITERATIONS,
} satisfies Hyperparameters;

const README = "the authors' Gowalla command (README)";

export const BSPM_HYPER = {
  factors: FACTORS_HYPER(`${README}: --factor_dim 448`),
  idealWeight: IDEAL_WEIGHT_HYPER(`${README}: --idl_beta 0.2`),
  solver: {
    type: 'enum',
    choices: BSPM_SOLVERS,
    description: 'ODE solver of the sharpening process',
    source: `${README}: --solver_shr rk4`,
  },
  sharpenTime: {
    type: 'number',
    min: 0,
    description: 'terminal time T_s of the sharpening process',
    source: `${README}: --T_s 2.5`,
  },
  sharpenSteps: {
    type: 'integer',
    min: 1,
    description: 'solver steps K_s from 0 to T_s',
    source: `${README}: --K_s 1`,
  },
  svdIterations: SVD_ITERATIONS_HYPER,
} as const satisfies HyperDeclarations<typeof BSPM_DEFAULTS>;

export class Bspm implements Recommender {
  readonly name = 'bspm';
  readonly backend: string;
  /** the signal r (items x users), a stage's input and a stage's product with P */
  private readonly r: Float32Array;
  private readonly stage: Float32Array;
  private readonly slope: Float32Array;

  private constructor(
    private readonly filter: GraphFilter,
    private readonly hp: typeof BSPM_DEFAULTS,
  ) {
    this.backend = filter.backend;
    this.r = filter.signal();
    this.stage = filter.signal();
    this.slope = filter.signal();
  }

  static async create(ctx: ModelContext, hyper: Partial<typeof BSPM_DEFAULTS>): Promise<Bspm> {
    const hp = { ...BSPM_DEFAULTS, ...hyper };
    const filter = await GraphFilter.build('bspm', ctx, hp.factors, {
      iterations: hp.svdIterations,
    });
    return new Bspm(filter, hp);
  }

  /** Fills out[r * nItems + i] with s_u[i] of users[r], at most FILTER_BLOCK users. */
  score(users: Int32Array, out: Float32Array): void {
    const b = users.length;
    const { filter, hp } = this;
    const len = filter.nItems * b;
    const r = this.r.subarray(0, len);
    const ideal = this.slope.subarray(0, len);
    // blur: y0 = beta_idl r_u M + r_u P
    filter.linearOfHistories(users, r);
    filter.idealInto(users, hp.idealWeight, ideal);
    for (let p = 0; p < len; p++) r[p] += ideal[p];
    // sharpen: dr/dt = -r P
    const h = hp.sharpenTime / hp.sharpenSteps;
    for (let step = 0; step < hp.sharpenSteps; step++)
      if (hp.solver === 'euler') this.eulerStep(r, h, b);
      else this.rk4Step(r, h, b);
    filter.toRows(r, out, b);
  }

  /** r <- r + h f(r), f(r) = -r P. */
  private eulerStep(r: Float32Array, h: number, b: number): void {
    const k = this.slope.subarray(0, r.length);
    this.filter.linear(r, k, b);
    for (let p = 0; p < r.length; p++) r[p] -= h * k[p];
  }

  /**
   * One RK4 step of dr/dt = -r P. For this linear ODE the classical stages
   * (k1 = f(r), k2 = f(r + h/2 k1), k3 = f(r + h/2 k2), k4 = f(r + h k3), r + h/6 (k1 + 2 k2 +
   * 2 k3 + k4)) sum to r T(-hP) with T(x) = 1 + x + x^2/2 + x^3/6 + x^4/24, computed here by
   * Horner's rule, z <- r + (-h/j) z P for j = 4, 3, 2, 1: the same four products with P and
   * one pass over the block after each instead of two or three.
   */
  private rk4Step(r: Float32Array, h: number, b: number): void {
    const n = r.length;
    const z = this.stage.subarray(0, n);
    const k = this.slope.subarray(0, n);
    z.set(r);
    for (let j = 4; j >= 1; j--) {
      this.filter.linear(z, k, b);
      const c = h / j;
      const to = j > 1 ? z : r;
      for (let p = 0; p < n; p++) to[p] = r[p] - c * k[p];
    }
  }

  ranker(): TopKRanker {
    return this.filter.ranker((users, out) => this.score(users, out));
  }

  dispose(): Promise<void> {
    return this.filter.dispose();
  }
}
