/** Pool kernel leakyRelu: y = (x > 0 ? x : slope x) ⊙ mask, elementwise ranges per thread. */
import { bitsF32, f32Bits, OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRanges } from './split.js';

export const leakyReluSlot: SlotOp = {
  op: OP.LEAKY_RELU,
  run: (k, _heap, a) => k.leakyRelu(a[1], a[2], a[3], a[4], a[5], bitsF32(a[6]), a[7]),
};

export function leakyRelu(
  pool: PoolJob,
  x: Float32Array,
  y: Float32Array,
  slope: number,
  mask?: Float32Array,
): void {
  const n = x.length;
  checkDense(pool.heap, y, n, 1, 'y');
  if (mask) checkDense(pool.heap, mask, n, 1, 'mask');
  checkDense(pool.heap, x, n, 1, 'x');
  const m = mask?.byteOffset ?? 0;
  const bits = f32Bits(slope);
  runRanges(pool, n, n, (i0, i1) => [
    OP.LEAKY_RELU,
    x.byteOffset,
    m,
    y.byteOffset,
    i0,
    i1,
    bits,
    mask ? 1 : 0,
  ]);
}
