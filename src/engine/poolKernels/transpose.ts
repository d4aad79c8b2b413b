/** Pool kernel transpose: d = s^T, threads taking ranges of s's rows (d's columns). */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const transposeSlot: SlotOp = {
  op: OP.TRANSPOSE,
  run: (k, _heap, a) => k.transpose(a[1], a[2], a[3], a[4], a[5], a[6]),
};

/** s [rows x cols] -> d [cols x rows]. */
export function transpose(
  pool: PoolJob,
  s: Float32Array,
  d: Float32Array,
  rows: number,
  cols: number,
): void {
  checkDense(pool.heap, s, rows, cols, 's');
  checkDense(pool.heap, d, cols, rows, 'd');
  if (
    s.buffer === d.buffer &&
    s.byteOffset < d.byteOffset + d.byteLength &&
    d.byteOffset < s.byteOffset + s.byteLength
  )
    throw new RangeError('transpose: s and d overlap');
  runRows(pool, rows, rows * cols, (r0, r1) => [
    OP.TRANSPOSE,
    s.byteOffset,
    d.byteOffset,
    rows,
    cols,
    r0,
    r1,
  ]);
}
