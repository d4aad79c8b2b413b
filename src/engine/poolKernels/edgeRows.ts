/**
 * A message graph's rows in the pool's memory, for the edge kernels (edgeSpmm, edgeDots,
 * edgeAdd, edgeSoftmax): output row r lists its entries p in [rowPtr[r], rowPtr[r+1]), each
 * the other end other[p] of edge edgeAt[p] (a transposed order, grouping a graph's edges by
 * source) or of edge p itself (the graph's own CSR order). Threads take ranges of rows balanced
 * by entries, each row computed whole by one thread: the bits do not depend on the split.
 */
import { partitionByNnz } from '../../graph/partition.js';
import type { PoolJob } from './job.js';

export interface EdgeRows {
  /** output rows */
  readonly nRows: number;
  /** rows of the features the entries point at */
  readonly nOther: number;
  /** edges (the length of per-edge arrays) */
  readonly nnz: number;
  readonly rowPtr: number;
  readonly other: number;
  /** byte offset of edgeAt, when entries are in a transposed order */
  readonly edgeAt: number | undefined;
  /** row bounds per thread for this pool's thread count */
  readonly bounds: Int32Array;
}

/**
 * Copies rows (indptr over nRows, other ends in [0, nOther), optionally the edge of each entry,
 * a permutation of the nnz edges) into the pool's memory, checked once: the kernels trust them.
 */
export function uploadEdgeRows(
  pool: PoolJob,
  indptr: Int32Array,
  other: Int32Array,
  nOther: number,
  edgeAt?: Int32Array,
): EdgeRows {
  const nRows = indptr.length - 1;
  const nnz = indptr[nRows];
  if (nRows < 0 || indptr[0] !== 0 || other.length < nnz || (edgeAt && edgeAt.length < nnz))
    throw new RangeError(`edge rows: indptr of ${indptr.length} for ${other.length} entries`);
  const falls = firstFall(indptr);
  if (falls >= 0) throw new RangeError(`edge rows: indptr falls at row ${falls}`);
  const bad = firstOutside(other, nnz, nOther);
  if (bad >= 0)
    throw new RangeError(`edge rows: entry ${bad} points at row ${other[bad]} of ${nOther}`);
  const badEdge = edgeAt ? firstOutside(edgeAt, nnz, nnz) : -1;
  if (edgeAt && badEdge >= 0)
    throw new RangeError(`edge rows: entry ${badEdge} is edge ${edgeAt[badEdge]} of ${nnz}`);
  return {
    nRows,
    nOther,
    nnz,
    rowPtr: copyToPool(pool, indptr),
    other: copyToPool(pool, other.subarray(0, nnz)),
    edgeAt: edgeAt ? copyToPool(pool, edgeAt.subarray(0, nnz)) : undefined,
    bounds: partitionByNnz(indptr, pool.threads),
  };
}

// The checks are loops of their own, called every training step on a new graph: kept out of
// uploadEdgeRows, V8 optimizes each once instead of deoptimizing the function around them.

/** The first row r where indptr falls (indptr[r + 1] < indptr[r]), or -1. */
function firstFall(indptr: Int32Array): number {
  for (let r = 0; r + 1 < indptr.length; r++) if (indptr[r + 1] < indptr[r]) return r;
  return -1;
}

/** The first p < n with a[p] outside [0, bound), or -1. */
function firstOutside(a: Int32Array, n: number, bound: number): number {
  for (let p = 0; p < n; p++) if (!(a[p] >= 0 && a[p] < bound)) return p;
  return -1;
}

/** A copy of a in the pool's memory: its byte offset. */
function copyToPool(pool: PoolJob, a: Int32Array): number {
  const d = pool.allocI32(a.length, false);
  d.set(a);
  return d.byteOffset;
}

/**
 * Runs a job over the rows: the cached ranges when `work` (multiply-adds) is worth waking the
 * workers, the caller alone otherwise.
 */
export function runEdgeRows(
  pool: PoolJob,
  rows: EdgeRows,
  work: number,
  args: (r0: number, r1: number) => number[],
): void {
  const parallel = work >= pool.minParallelWork;
  pool.run(parallel ? pool.threads : 1, (t, s) =>
    s.set(parallel ? args(rows.bounds[t], rows.bounds[t + 1]) : args(0, rows.nRows)),
  );
}

/** The columns of a [rows x C] pool array split in `heads` heads, checked. */
export function headColumns(a: Float32Array, rows: number, heads: number, name: string): number {
  const C = rows > 0 ? a.length / rows : 0;
  if (!(Number.isInteger(heads) && heads > 0 && Number.isInteger(C) && C > 0 && C % heads === 0))
    throw new RangeError(
      `${name} has ${a.length} values: not ${rows} rows of a multiple of ${heads} heads`,
    );
  return C;
}
