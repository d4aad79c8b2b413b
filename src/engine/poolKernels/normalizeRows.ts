/** Pool kernel normalizeRows: each row of x over its length, into a column block of y; row ranges. */
import { bitsF32, f32Bits, OP } from '../protocol.js';
import { checkBlock, rowsOf, type ColumnBlock } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const normalizeRowsSlot: SlotOp = {
  op: OP.NORMALIZE_ROWS,
  run: (k, _heap, a) => k.normalizeRows(a[1], a[2], a[3], a[4], a[5], a[6], bitsF32(a[7])),
};

export function normalizeRows(
  pool: PoolJob,
  x: Float32Array,
  y: Float32Array,
  dim: number,
  eps: number,
  block: ColumnBlock = {},
): void {
  const r = rowsOf(pool.heap, x, dim, 'x');
  const { ld, col } = checkBlock(pool.heap, y, r, dim, block, 'y');
  const e = f32Bits(eps);
  runRows(pool, r, r * dim, (r0, r1) => [
    OP.NORMALIZE_ROWS,
    x.byteOffset,
    y.byteOffset + 4 * col,
    dim,
    ld,
    r0,
    r1,
    e,
  ]);
}
