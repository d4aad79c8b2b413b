/**
 * The top-k right singular vectors of a sparse matrix A (m x n) by randomized subspace
 * iteration: Halko, Martinsson & Tropp, "Finding Structure with Randomness", SIAM Review 2011,
 * Algorithm 4.4 (q power iterations, re-orthonormalised after each) run on A^T A, followed by
 * the Rayleigh-Ritz step of their Algorithm 5.1 / 5.3 in the item space:
 *
 *   X0 = G, an n x l Gaussian block, l = k + oversampling
 *   X_j = A^T (A X_{j-1}), orthonormalised after every second j and after the last   (j = 1 .. q)
 *   B = (A X_q)^T (A X_q) = X_q^T A^T A X_q = W diag(s^2) W^T       (l x l, dense, float64)
 *   V = X_q W[:, :k],  sigma = s[:k]
 *
 * Every large product is the engine pool's: A X and A^T Y are sparse-times-dense (SpMM), the
 * Gram matrices X^T X and the rotations X W its dense matmulTN / matmul (float32). Only l x l
 * matrices are dense in float64 (their eigendecomposition by ml-matrix's symmetric solver);
 * no n x n matrix is ever formed. Orthonormalisation is Cholesky QR, X <- X L^-T with
 * X^T X = L L^T (done twice after the last iteration, "CholeskyQR2", so the float32 block is
 * orthonormal to float32 accuracy).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Pool } from './pool.js';
import type { Rng } from '../util/rng.js';
import type { WeightedCsr } from '../graph/types.js';

export interface TruncatedSvdOptions {
  /** singular triplets wanted, k */
  readonly rank: number;
  /** extra columns in the block, l = k + oversample (default: max(16, k / 4)) */
  readonly oversample?: number;
  /** power iterations q (default 6) */
  readonly iterations?: number;
  readonly rng: Rng;
  readonly pool: Pool;
}

export interface TruncatedSvd {
  readonly rank: number;
  /** sigma_1 >= ... >= sigma_k */
  readonly values: Float64Array;
  /** V, n x k row-major: column c is the right singular vector of values[c] */
  readonly vectors: Float32Array;
}

export const SVD_ITERATIONS = 6;

export function truncatedSvd(a: WeightedCsr, o: TruncatedSvdOptions): TruncatedSvd {
  const { pool, rng } = o;
  const m = a.nRows;
  const n = a.nCols;
  const k = o.rank;
  if (!(Number.isInteger(k) && k >= 1 && k <= Math.min(m, n)))
    throw new RangeError(`rank must be an integer in [1, ${Math.min(m, n)}], got ${k}`);
  const l = Math.min(k + (o.oversample ?? Math.max(16, Math.ceil(k / 4))), m, n);
  const q = o.iterations ?? SVD_ITERATIONS;
  const devA = pool.upload(a);
  const devAt = pool.upload(pool.transposeOf(a));
  let x = pool.allocF32(n * l, false);
  let spare = pool.allocF32(n * l, false);
  const y = pool.allocF32(m * l, false);
  const small = pool.allocF32(l * l, false);
  try {
    for (let p = 0; p < x.length; p++) x[p] = rng.normal();
    const orth = () => {
      orthonormalize(pool, x, spare, small, l);
      [x, spare] = [spare, x];
    };
    // A Gaussian block is well conditioned, and two products with A^T A (singular values of A
    // at most 1 on R~, a spread of sigma_l^4 in the block's columns) still are: orthonormalise
    // after every second iteration, then twice at the end.
    for (let j = 0; j < q; j++) {
      pool.spmm(devA, x, y, l);
      pool.spmm(devAt, y, x, l);
      if (j % 2 === 1 && j < q - 1) orth();
    }
    orth();
    orth();
    // Rayleigh-Ritz: B = (A X)^T (A X)
    pool.spmm(devA, x, y, l);
    pool.matmulTN(y, y, small, l, l);
    const { vectors: w, values: lambda } = symmetricEigen(small, l);
    const order = descending(lambda);
    const values = new Float64Array(k);
    const rot = pool.allocF32(l * k, false);
    try {
      for (let c = 0; c < k; c++) {
        const e = order[c];
        values[c] = Math.sqrt(Math.max(0, lambda[e]));
        for (let r = 0; r < l; r++) rot[r * k + c] = w.get(r, e);
      }
      const v = pool.allocF32(n * k, false);
      try {
        pool.matmul(x, rot, v, l, k);
        return { rank: k, values, vectors: v.slice() };
      } finally {
        pool.free(v);
      }
    } finally {
      pool.free(rot);
    }
  } finally {
    for (const arr of [x, spare, y, small]) pool.free(arr);
  }
}

/**
 * out = x L^-T with X^T X = L L^T (Cholesky QR): orthonormal columns spanning the same space as
 * x (n x l). Where the float32 Gram matrix is not numerically positive definite, the
 * eigendecomposition X^T X = W diag(lambda) W^T gives out = x W diag(lambda)^-1/2 instead, with
 * directions below 1e-12 of the largest lambda dropped (a zero column) rather than amplified.
 */
function orthonormalize(
  pool: Pool,
  x: Float32Array,
  out: Float32Array,
  gram: Float32Array,
  l: number,
): void {
  pool.matmulTN(x, x, gram, l, l);
  if (!inverseCholeskyTransposed(gram, l)) {
    const { vectors: w, values: lambda } = symmetricEigen(gram, l);
    const top = Math.max(...lambda);
    for (let c = 0; c < l; c++) {
      const s = lambda[c] > 1e-12 * top ? 1 / Math.sqrt(lambda[c]) : 0;
      for (let r = 0; r < l; r++) gram[r * l + c] = w.get(r, c) * s;
    }
  }
  pool.matmul(x, gram, out, l, l);
}

/**
 * Replaces g (symmetric, l x l) by L^-T where g = L L^T, in float64 arithmetic; false (g
 * untouched) when a pivot is below 1e-10 of the largest diagonal entry.
 */
function inverseCholeskyTransposed(g: Float32Array, l: number): boolean {
  const a = new Float64Array(l * l);
  let top = 0;
  for (let r = 0; r < l; r++) top = Math.max(top, g[r * l + r]);
  // L, row-major lower triangle
  for (let j = 0; j < l; j++) {
    let d = g[j * l + j];
    for (let p = 0; p < j; p++) d -= a[j * l + p] * a[j * l + p];
    if (!(d > 1e-10 * top)) return false;
    const ljj = Math.sqrt(d);
    a[j * l + j] = ljj;
    for (let i = j + 1; i < l; i++) {
      let s = 0.5 * (g[i * l + j] + g[j * l + i]);
      for (let p = 0; p < j; p++) s -= a[i * l + p] * a[j * l + p];
      a[i * l + j] = s / ljj;
    }
  }
  // M = L^-1 (lower), column by column by forward substitution; g = M^T
  const m = new Float64Array(l * l);
  for (let c = 0; c < l; c++) {
    for (let i = c; i < l; i++) {
      let s = i === c ? 1 : 0;
      for (let p = c; p < i; p++) s -= a[i * l + p] * m[p * l + c];
      m[i * l + c] = s / a[i * l + i];
    }
  }
  for (let r = 0; r < l; r++) for (let c = 0; c < l; c++) g[r * l + c] = m[c * l + r];
  return true;
}

function symmetricEigen(g: Float32Array, l: number): { vectors: Matrix; values: number[] } {
  const mat = new Matrix(l, l);
  for (let r = 0; r < l; r++)
    for (let c = 0; c < l; c++) mat.set(r, c, 0.5 * (g[r * l + c] + g[c * l + r]));
  const e = new EigenvalueDecomposition(mat, { assumeSymmetric: true });
  return { vectors: e.eigenvectorMatrix, values: e.realEigenvalues };
}

function descending(values: readonly number[]): number[] {
  return values.map((_, i) => i).sort((p, q) => values[q] - values[p] || p - q);
}
