/**
 * Pool kernel scaleRows: g[r] (+)= w_r x[r] row by row, in float64 rounded once (the bits of
 * the JS loops `g = w * x`, `g += w * x`), with one weight per row or one for all; threads take
 * row ranges. The gradients of rowDot (each row scaled by its score's gradient) and of sums and
 * squared norms (everything scaled by one number).
 */
import { OP } from '../protocol.js';
import { SCALE_ADD, SCALE_PER_ROW, wordsOfF64 } from '../kernels/scaleRows.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const scaleRowsSlot: SlotOp = {
  op: OP.SCALE_ROWS,
  run: (k, _heap, a) => k.scaleRows(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]),
};

/**
 * g [rows x d] = (g +) w x, x [rows x d]; w a number for every row, or a pool array [rows] of
 * one weight per row.
 */
export function scaleRows(
  pool: PoolJob,
  x: Float32Array,
  w: number | Float32Array,
  g: Float32Array,
  d: number,
  accumulate = false,
): void {
  const rows = x.length / d;
  if (!Number.isInteger(rows))
    throw new RangeError(`scaleRows: ${x.length} values in rows of ${d}`);
  checkDense(pool.heap, x, rows, d, 'x');
  checkDense(pool.heap, g, rows, d, 'g');
  const perRow = typeof w !== 'number';
  if (perRow) checkDense(pool.heap, w, rows, 1, 'w');
  const [lo, hi] = wordsOfF64(perRow ? 0 : w);
  const flags = (accumulate ? SCALE_ADD : 0) | (perRow ? SCALE_PER_ROW : 0);
  runRows(pool, rows, rows * d, (r0, r1) => [
    OP.SCALE_ROWS,
    x.byteOffset,
    perRow ? w.byteOffset : 0,
    g.byteOffset,
    d,
    r0,
    r1,
    lo,
    hi,
    flags,
  ]);
}
