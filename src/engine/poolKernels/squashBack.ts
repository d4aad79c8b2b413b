/**
 * Pool kernel squashBack: the gradient of squash from x and dy, written to out or added there
 * (accumulate); threads take row ranges.
 */
import { OP } from '../protocol.js';
import { checkDense, rowsOf } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const squashBackSlot: SlotOp = {
  op: OP.SQUASH_BACK,
  run: (k, _heap, a) => k.squashBack(a[1], a[2], a[3], a[4], a[5], a[6], a[7]),
};

export function squashBack(
  pool: PoolJob,
  x: Float32Array,
  dy: Float32Array,
  out: Float32Array,
  dim: number,
  accumulate = false,
): void {
  const r = rowsOf(pool.heap, x, dim, 'x');
  checkDense(pool.heap, dy, r, dim, 'dy');
  checkDense(pool.heap, out, r, dim, 'out');
  runRows(pool, r, 2 * r * dim, (r0, r1) => [
    OP.SQUASH_BACK,
    x.byteOffset,
    dy.byteOffset,
    out.byteOffset,
    dim,
    r0,
    r1,
    accumulate ? 2 : 0,
  ]);
}
