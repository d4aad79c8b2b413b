/** Pool kernel zero: a pool array set to zero, each thread clearing its own range. */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRanges } from './split.js';

export const zeroSlot: SlotOp = {
  op: OP.ZERO,
  // floats [a[2], a[3]) of the heap from float index a[1]: a native memset per thread
  run: (_k, heap, a) => void heap().f32.fill(0, a[1] + a[2], a[1] + a[3]),
};

export function zero(pool: PoolJob, x: Float32Array): void {
  const n = x.length;
  checkDense(pool.heap, x, n, 1, 'x');
  if (n < pool.minParallelWork) {
    x.fill(0);
    return;
  }
  const base = x.byteOffset >>> 2;
  runRanges(pool, n, n, (i0, i1) => [OP.ZERO, base, i0, i1]);
}
