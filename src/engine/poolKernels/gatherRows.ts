/** Pool kernel gatherRows: y[k] = x[rows[k]] into a column block of y; threads take list ranges. */
import { OP } from '../protocol.js';
import { checkBlock, checkRows, rowsOf, type ColumnBlock } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const gatherRowsSlot: SlotOp = {
  op: OP.GATHER_ROWS,
  run: (k, _heap, a) => k.gatherRows(a[1], a[2], a[3], a[4], a[5], a[6], a[7]),
};

export function gatherRows(
  pool: PoolJob,
  x: Float32Array,
  rows: Int32Array,
  y: Float32Array,
  dim: number,
  block: ColumnBlock = {},
): void {
  checkRows(pool.heap, rows, rowsOf(pool.heap, x, dim, 'x'));
  const { ld, col } = checkBlock(pool.heap, y, rows.length, dim, block, 'y');
  runRows(pool, rows.length, rows.length * dim, (k0, k1) => [
    OP.GATHER_ROWS,
    x.byteOffset,
    rows.byteOffset,
    y.byteOffset + 4 * col,
    dim,
    ld,
    k0,
    k1,
  ]);
}
