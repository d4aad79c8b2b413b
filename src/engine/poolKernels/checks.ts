/**
 * Argument checks the pool kernels share. The kernels trust every offset and index they get,
 * so each job checks its arrays here first: in the pool's memory, of the expected size, aligned.
 */
import type { SharedHeap } from '../heap.js';

/** Columns [col, col + dim) of an array whose rows are `ld` floats long (default: the whole row). */
export interface ColumnBlock {
  readonly ld?: number;
  readonly col?: number;
}

/** Where a row-by-row gradient goes: out[rows[i]] (distinct rows) or out[i]; added or written. */
export interface RowOutput {
  readonly rows?: Int32Array;
  readonly accumulate?: boolean;
}

export function checkDense(
  heap: SharedHeap,
  a: Float32Array,
  rows: number,
  dim: number,
  name: string,
): void {
  if (!Number.isInteger(dim) || dim < 1)
    throw new RangeError(`dim must be a positive integer, got ${dim}`);
  if (!heap.owns(a))
    throw new Error(`${name} must live in the pool's memory (allocF32 or shared())`);
  if (a.length !== rows * dim)
    throw new RangeError(`${name} has ${a.length} values, expected ${rows} x ${dim}`);
  if (a.byteOffset % 4 !== 0) throw new RangeError(`${name} is not 4-byte aligned`);
}

/** The rows of a pool array of `dim` columns (checked as checkDense does). */
export function rowsOf(heap: SharedHeap, a: Float32Array, dim: number, name: string): number {
  const r = Math.floor(a.length / dim);
  checkDense(heap, a, r, dim, name);
  return r;
}

/** The row length and first column of a column block of y, [r x ld], checked. */
export function checkBlock(
  heap: SharedHeap,
  y: Float32Array,
  r: number,
  dim: number,
  block: ColumnBlock,
  name: string,
): { ld: number; col: number } {
  const { ld = dim, col = 0 } = block;
  if (!(Number.isInteger(col) && col >= 0 && Number.isInteger(ld) && col + dim <= ld))
    throw new RangeError(`${name}: columns [${col}, ${col + dim}) do not fit rows of ${ld}`);
  checkDense(heap, y, r, ld, name);
  return { ld, col };
}

/**
 * Checks where a row-by-row job over r rows writes (out[i], or out[rows[i]] for distinct
 * listed rows) and returns the kernels' flags: bit 0 listed rows, bit 1 accumulate.
 */
export function rowOutput(
  heap: SharedHeap,
  out: Float32Array,
  r: number,
  dim: number,
  opts: RowOutput,
): number {
  const { rows } = opts;
  if (rows) {
    if (rows.length !== r) throw new RangeError(`rows has ${rows.length} entries, for ${r} rows`);
    checkDistinctRows(heap, rows, rowsOf(heap, out, dim, 'out'));
  } else checkDense(heap, out, r, dim, 'out');
  return (rows ? 1 : 0) | (opts.accumulate ? 2 : 0);
}

/** Rows in range and distinct: threads split the list, and two equal rows would race. */
function checkDistinctRows(heap: SharedHeap, rows: Int32Array, nRows: number): void {
  checkRows(heap, rows, nRows);
  const seen = new Uint8Array(nRows);
  for (let k = 0; k < rows.length; k++) {
    if (seen[rows[k]]) throw new RangeError(`rows[${k}] = ${rows[k]} is listed twice`);
    seen[rows[k]] = 1;
  }
}

export function checkRows(heap: SharedHeap, rows: Int32Array, nRows: number): void {
  if (!heap.owns(rows))
    throw new Error("rows must live in the pool's memory (allocI32 or shared())");
  for (let k = 0; k < rows.length; k++)
    if (!(rows[k] >= 0 && rows[k] < nRows))
      throw new RangeError(`rows[${k}] = ${rows[k]} outside [0, ${nRows})`);
}
