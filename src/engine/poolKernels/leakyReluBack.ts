/** Pool kernel leakyReluBack: g = (dy ⊙ mask) ⊙ (x > 0 ? 1 : slope), elementwise ranges. */
import { bitsF32, f32Bits, OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRanges } from './split.js';

export const leakyReluBackSlot: SlotOp = {
  op: OP.LEAKY_RELU_BACK,
  run: (k, _heap, a) => k.leakyReluBack(a[1], a[2], a[3], a[4], a[5], a[6], bitsF32(a[7]), a[8]),
};

export function leakyReluBack(
  pool: PoolJob,
  dy: Float32Array,
  x: Float32Array,
  g: Float32Array,
  slope: number,
  mask?: Float32Array,
): void {
  const n = x.length;
  checkDense(pool.heap, dy, n, 1, 'dy');
  checkDense(pool.heap, g, n, 1, 'g');
  if (mask) checkDense(pool.heap, mask, n, 1, 'mask');
  checkDense(pool.heap, x, n, 1, 'x');
  const m = mask?.byteOffset ?? 0;
  const bits = f32Bits(slope);
  runRanges(pool, n, n, (i0, i1) => [
    OP.LEAKY_RELU_BACK,
    dy.byteOffset,
    m,
    x.byteOffset,
    g.byteOffset,
    i0,
    i1,
    bits,
    mask ? 1 : 0,
  ]);
}
