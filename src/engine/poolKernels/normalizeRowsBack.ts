/**
 * Pool kernel normalizeRowsBack: the gradient of normalizeRows, written or added to out[i] or
 * out[rows[i]] (distinct rows); threads take row ranges.
 */
import { bitsF32, f32Bits, OP } from '../protocol.js';
import { checkBlock, rowOutput, rowsOf, type ColumnBlock, type RowOutput } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const normalizeRowsBackSlot: SlotOp = {
  op: OP.NORMALIZE_ROWS_BACK,
  run: (k, _heap, a) =>
    k.normalizeRowsBack(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], bitsF32(a[9]), a[10]),
};

export function normalizeRowsBack(
  pool: PoolJob,
  x: Float32Array,
  dy: Float32Array,
  out: Float32Array,
  dim: number,
  eps: number,
  opts: ColumnBlock & RowOutput = {},
): void {
  const r = rowsOf(pool.heap, x, dim, 'x');
  const { ld, col } = checkBlock(pool.heap, dy, r, dim, opts, 'dy');
  const { rows } = opts;
  const flags = rowOutput(pool.heap, out, r, dim, opts);
  const e = f32Bits(eps);
  runRows(pool, r, r * dim, (r0, r1) => [
    OP.NORMALIZE_ROWS_BACK,
    x.byteOffset,
    dy.byteOffset + 4 * col,
    ld,
    out.byteOffset,
    rows?.byteOffset ?? 0,
    dim,
    r0,
    r1,
    e,
    flags,
  ]);
}
