/**
 * The scaled copies and additions several ops' backwards share (no op of its own): g = w x
 * into a fresh gradient or g += w x into one that holds some already, and w dy added into
 * listed rows (a gather's backward, and a weighted one's).
 */

import type { Pool } from '../../pool.js';

/** at.g = w x when at.fresh, else at.g += w x; nothing when no gradient is wanted. */
export function scaledInto(
  at: { readonly g: Float32Array; readonly fresh: boolean } | undefined,
  x: Float32Array,
  w: number,
): void {
  if (!at) return;
  const g = at.g;
  if (at.fresh) for (let e = 0; e < g.length; e++) g[e] = w * x[e];
  else for (let e = 0; e < g.length; e++) g[e] += w * x[e];
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

/** Per pool: 0, 1, 2, ... and ones, grown as needed (the scatter kernel's identity operand). */
const identities = new WeakMap<Pool, { iota: Int32Array; ones: Float32Array }>();

function identity(pool: Pool, n: number): { iota: Int32Array; ones: Float32Array } {
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
