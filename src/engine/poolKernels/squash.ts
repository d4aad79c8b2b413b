/** Pool kernel squash: y = x |x| / (1 + |x|^2) row by row (VRKG4Rec's NORM); row ranges. */
import { OP } from '../protocol.js';
import { checkDense, rowsOf } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const squashSlot: SlotOp = {
  op: OP.SQUASH,
  run: (k, _heap, a) => k.squash(a[1], a[2], a[3], a[4], a[5]),
};

export function squash(pool: PoolJob, x: Float32Array, y: Float32Array, dim: number): void {
  const r = rowsOf(pool.heap, x, dim, 'x');
  checkDense(pool.heap, y, r, dim, 'y');
  runRows(pool, r, r * dim, (r0, r1) => [OP.SQUASH, x.byteOffset, y.byteOffset, dim, r0, r1]);
}
