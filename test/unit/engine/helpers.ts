/** Small random graphs and float64 reference products for the engine tests. */
import assert from 'node:assert/strict';
import { Pool } from '../../../src/engine/pool.js';
import { Rng } from '../../../src/util/rng.js';
import type { WeightedCsr } from '../../../src/graph/types.js';

/** A random nRows x nCols CSR, about `density` full, columns ascending, weights in (-1, 1). */
export function randomCsr(
  nRows: number,
  nCols: number,
  density: number,
  seed: number,
): WeightedCsr {
  const rng = new Rng(seed);
  const indptr = new Int32Array(nRows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      if (rng.next() < density) {
        idx.push(c);
        val.push(rng.next() * 2 - 1);
      }
    }
    indptr[r + 1] = idx.length;
  }
  return { nRows, nCols, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

export function randomDense(n: number, seed: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng.next() * 2 - 1) * scale;
  return out;
}

/** y = A x in float64 (x [nCols x dim]); with transpose, y = A^T x (x [nRows x dim]). */
export function refSpmm(
  a: WeightedCsr,
  x: ArrayLike<number>,
  dim: number,
  transpose = false,
): Float64Array {
  const y = new Float64Array((transpose ? a.nCols : a.nRows) * dim);
  for (let r = 0; r < a.nRows; r++) {
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const c = a.indices[p];
      const w = a.values[p];
      const [to, from] = transpose ? [c, r] : [r, c];
      for (let d = 0; d < dim; d++) y[to * dim + d] += w * x[from * dim + d];
    }
  }
  return y;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A pool copy of `src` starting `skip` floats into its block (so not 16-byte aligned). */
export function put(pool: Pool, src: Float32Array, skip: number): Float32Array {
  const a = pool.allocF32(src.length + skip).subarray(skip);
  a.set(src);
  return a;
}

/** Runs f on a fresh pool and disposes of it, whatever f does. */
export async function withPool<T>(
  opts: ConstructorParameters<typeof Pool>[0],
  f: (p: Pool) => T | Promise<T>,
): Promise<T> {
  const pool = await Pool.create(opts);
  try {
    return await f(pool);
  } finally {
    await pool.dispose();
  }
}

/**
 * Runs `run` on JS and WASM pools of 1-3 threads (every job split): each output the same bits
 * as on JS with one thread, and within `tol` of `want` where it names the output.
 */
export async function assertKernelsAgree(
  label: string,
  run: (p: Pool) => Record<string, Float32Array>,
  want: Record<string, ArrayLike<number>>,
  tol: number,
): Promise<void> {
  let first: Record<string, Float32Array> | undefined;
  for (const kernels of ['js', 'wasm'] as const)
    for (const threads of [1, 2, 3]) {
      const got = await withPool({ threads, kernels, minParallelWork: 0 }, run);
      first ??= got;
      for (const k of Object.keys(got)) {
        const where = `${k}: ${kernels}, ${threads} thread(s), ${label}`;
        assert.ok(sameBits(got[k], first[k]), `${where}: bits differ from js on 1 thread`);
        if (want[k])
          assert.ok(maxAbsDiff(got[k], want[k]) < tol, `${where}: off the float64 reference`);
      }
    }
}
