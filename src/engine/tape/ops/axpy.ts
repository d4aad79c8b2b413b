/**
 * The scaled copies and additions several ops' backwards share (no op of its own): g = w x
 * into a fresh gradient or g += w x into one that holds some already, and w dy added into
 * listed rows (a gather's backward, and a weighted one's).
 */

import type { Pool } from '../../pool.js';

/** A gradient an op writes (fresh) or adds into. */
export interface GradTarget {
  readonly g: Float32Array;
  readonly fresh: boolean;
}

/** from this many floats up, scaled copies run on the pool's scaleRows kernel (the same bits) */
const SCALE_KERNEL_MIN = 2048;

/**
 * at.g = w x when at.fresh, else at.g += w x; nothing when no gradient is wanted. Large
 * arrays in the pool's memory go to its scaleRows kernel, which rounds as these loops do.
 */
export function scaledInto(
  pool: Pool,
  at: GradTarget | undefined,
  x: Float32Array,
  w: number,
): void {
  if (!at) return;
  const g = at.g;
  // as rows of 16 floats: any split of the elements gives the same bits
  if (g.length >= SCALE_KERNEL_MIN && g.length % 16 === 0 && allOnPool(pool, g, x))
    pool.scaleRows(x, w, g, 16, !at.fresh);
  else if (at.fresh) for (let e = 0; e < g.length; e++) g[e] = w * x[e];
  else for (let e = 0; e < g.length; e++) g[e] += w * x[e];
}

/**
 * at.g[r] (+)= ds[r] x[r] for each row of d floats (rowDot's gradient), on the pool's
 * scaleRows kernel for large arrays in its memory.
 */
export function rowsScaledInto(
  pool: Pool,
  at: GradTarget | undefined,
  ds: Float32Array,
  x: Float32Array,
  d: number,
): void {
  if (!at) return;
  const { g, fresh } = at;
  if (g.length >= SCALE_KERNEL_MIN && allOnPool(pool, g, x, ds)) {
    pool.scaleRows(x, ds, g, d, !fresh);
    return;
  }
  for (let r = 0; r < ds.length; r++) {
    const w = ds[r];
    const o = r * d;
    if (fresh) for (let c = 0; c < d; c++) g[o + c] = w * x[o + c];
    else for (let c = 0; c < d; c++) g[o + c] += w * x[o + c];
  }
}

function allOnPool(pool: Pool, ...arrays: Float32Array[]): boolean {
  return arrays.every((a) => pool.heap.owns(a));
}

/** dx[rows[k]] += w dy[k] for each k in list order (repeated rows add up); rows of d floats. */
export function addRows(
  dx: Float32Array,
  rows: Int32Array,
  dy: Float32Array,
  d: number,
  w = 1,
): void {
  for (let k = 0; k < rows.length; k++) {
    const o = rows[k] * d;
    const g = k * d;
    if (w === 1) for (let c = 0; c < d; c++) dx[o + c] += dy[g + c];
    else for (let c = 0; c < d; c++) dx[o + c] += w * dy[g + c];
  }
}

/** Below this many floats addRowsOnPool adds in JS: a pool job costs more than the loop. */
const POOL_ADD_MIN = 4096;

/**
 * Per pool: 0, 1, 2, ... and ones, grown as needed (the scatter kernel's identity operand, and
 * unit weights for a sum); valid until the next call for more than they hold.
 */
const identities = new WeakMap<Pool, { iota: Int32Array; ones: Float32Array }>();

export function identity(pool: Pool, n: number): { iota: Int32Array; ones: Float32Array } {
  let id = identities.get(pool);
  if (!id || id.iota.length <= n) {
    if (id) {
      pool.free(id.iota);
      pool.free(id.ones);
    }
    const size = Math.max(1024, 2 * n + 1);
    const iota = pool.allocI32(size, false);
    const ones = pool.allocF32(size, false);
    for (let k = 0; k < size; k++) iota[k] = k;
    ones.fill(1);
    id = { iota, ones };
    identities.set(pool, id);
  }
  return id;
}

/**
 * addRows (w = 1) on the pool's scatter kernel, the same bits: the list as a CSR of one entry
 * per row (entry k in column rows[k], value 1), so OUT[rows[k]] += 1 x dy[k] in list order,
 * SIMD on the WASM pool, only the listed rows touched. In JS when the arrays are not the
 * pool's or the work is small.
 */
export function addRowsOnPool(
  pool: Pool,
  dx: Float32Array,
  rows: Int32Array,
  dy: Float32Array,
  d: number,
): void {
  const n = rows.length;
  const { heap } = pool;
  if (n * d < POOL_ADD_MIN || !heap.owns(dx) || !heap.owns(dy) || !heap.owns(rows)) {
    addRows(dx, rows, dy, d);
    return;
  }
  const { iota, ones } = identity(pool, n);
  const nCols = dx.length / d;
  const T = pool.threads;
  // threads split the output rows evenly: any split gives the same bits
  const colBounds = Int32Array.from({ length: T + 1 }, (_, t) => Math.round((t * nCols) / T));
  const csr = {
    nRows: n,
    nCols,
    nnz: n,
    rowPtr: iota.byteOffset,
    col: rows.byteOffset,
    val: ones.byteOffset,
    bounds: colBounds,
    colBounds,
  };
  pool.scatterRows(csr, dy, iota.subarray(0, n), dx, d);
}
