/**
 * The sparse products on plain typed arrays, for hand-fused model code: arrays that live in the
 * pool's memory (pool.allocF32) are used in place, any other array is copied in and out. The
 * matrix is uploaded to the pool once and cached while it lives.
 */
import { defaultPool } from './defaultPool.js';
import type { SparseOperand } from './ops/sparseRegistry.js';
import type { Pool } from './pool.js';

export interface RawOptions {
  /** default: the default pool (see initPool) */
  readonly pool?: Pool;
}

/** out = A x, or A^T x with `transpose` (the transpose is built once unless A is symmetric). */
export function spmmInto(
  out: Float32Array,
  a: SparseOperand,
  x: Float32Array,
  dim: number,
  opts: RawOptions & { readonly transpose?: boolean } = {},
): Float32Array {
  const pool = opts.pool ?? defaultPool();
  const m = opts.transpose && !a.symmetric ? pool.transposeOf(a) : a;
  const xs = pool.shared(x);
  const ys = pool.heap.owns(out) ? out : pool.allocF32(out.length, false);
  try {
    pool.spmm(pool.upload(m), xs, ys, dim);
    if (ys !== out) out.set(ys);
  } finally {
    pool.release(xs, x);
    pool.release(ys, out);
  }
  return out;
}

/** out[k] = (A x)[rows[k]]: the product for a list of rows only (e.g. a batch's nodes). */
export function spmmRowsInto(
  out: Float32Array,
  a: SparseOperand,
  x: Float32Array,
  rows: Int32Array,
  dim: number,
  opts: RawOptions = {},
): Float32Array {
  const pool = opts.pool ?? defaultPool();
  const xs = pool.shared(x);
  const rs = pool.shared(rows);
  const ys = pool.heap.owns(out) ? out : pool.allocF32(out.length, false);
  try {
    pool.spmmRows(pool.upload(a), xs, rs, ys, dim);
    if (ys !== out) out.set(ys);
  } finally {
    pool.release(xs, x);
    pool.release(rs, rows);
    pool.release(ys, out);
  }
  return out;
}

/**
 * out += A[rows]^T dy: the transpose of spmmRowsInto, a scatter (dy has one row per listed
 * row). For a symmetric A it is also A dy' where dy' is dy scattered into rows[k], done without
 * a full product. Runs on the calling thread, in list order.
 */
export function scatterRowsInto(
  out: Float32Array,
  a: SparseOperand,
  dy: Float32Array,
  rows: Int32Array,
  dim: number,
  opts: RawOptions = {},
): Float32Array {
  const pool = opts.pool ?? defaultPool();
  const ds = pool.shared(dy);
  const rs = pool.shared(rows);
  const os = pool.shared(out);
  try {
    pool.scatterRows(pool.upload(a), ds, rs, os, dim);
    if (os !== out) out.set(os);
  } finally {
    pool.release(ds, dy);
    pool.release(rs, rows);
    pool.release(os, out);
  }
  return out;
}

/**
 * The three products returning a new array (for the tfjs kernels): the result is computed in
 * pool memory and copied out once, which saves zeroing and copying a caller's buffer.
 */
export function spmmNew(
  a: SparseOperand,
  x: Float32Array,
  dim: number,
  transpose: boolean,
): Float32Array {
  const pool = defaultPool();
  const m = transpose && !a.symmetric ? pool.transposeOf(a) : a;
  return produce(pool, m.nRows * dim, false, [x], ([xs], ys) =>
    pool.spmm(pool.upload(m), xs, ys, dim),
  );
}

export function spmmRowsNew(
  a: SparseOperand,
  x: Float32Array,
  rows: Int32Array,
  dim: number,
): Float32Array {
  const pool = defaultPool();
  const rs = pool.shared(rows);
  try {
    return produce(pool, rows.length * dim, false, [x], ([xs], ys) =>
      pool.spmmRows(pool.upload(a), xs, rs, ys, dim),
    );
  } finally {
    pool.release(rs, rows);
  }
}

export function scatterRowsNew(
  a: SparseOperand,
  dy: Float32Array,
  rows: Int32Array,
  dim: number,
): Float32Array {
  const pool = defaultPool();
  const rs = pool.shared(rows);
  try {
    return produce(pool, a.nCols * dim, true, [dy], ([ds], os) =>
      pool.scatterRows(pool.upload(a), ds, rs, os, dim),
    );
  } finally {
    pool.release(rs, rows);
  }
}

function produce(
  pool: Pool,
  n: number,
  zero: boolean,
  inputs: Float32Array[],
  f: (shared: Float32Array[], out: Float32Array) => void,
): Float32Array {
  const shared = inputs.map((x) => pool.shared(x));
  const out = pool.allocF32(n, zero);
  try {
    f(shared, out);
    return out.slice();
  } finally {
    pool.free(out);
    shared.forEach((s, i) => pool.release(s, inputs[i]));
  }
}
