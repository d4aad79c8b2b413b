/**
 * Pool kernel adam: one step of dense Adam in place. The elements are split in equal ranges
 * between the threads; the update is elementwise, so the bits do not depend on the split.
 */
import { adamConstants, type AdamStep } from '../kernels/adam.js';
import { bitsF32, f32Bits, OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRanges } from './split.js';

export const adamSlot: SlotOp = {
  op: OP.ADAM,
  run: (k, _heap, a) =>
    k.adam(
      a[1],
      a[2],
      a[3],
      a[4],
      a[5],
      a[6],
      bitsF32(a[7]),
      bitsF32(a[8]),
      bitsF32(a[9]),
      bitsF32(a[10]),
      bitsF32(a[11]),
      bitsF32(a[12]),
      bitsF32(a[13]),
    ),
};

export function adam(
  pool: PoolJob,
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  step: AdamStep,
): void {
  const n = params.length;
  checkDense(pool.heap, params, n, 1, 'params');
  checkDense(pool.heap, grads, n, 1, 'grads');
  checkDense(pool.heap, m, n, 1, 'm');
  checkDense(pool.heap, v, n, 1, 'v');
  if (n >= 2 ** 30) throw new RangeError(`adam: ${n} elements, at most 2^30 - 1`);
  const c = adamConstants(step);
  const consts = [
    c.beta1,
    c.oneMinusBeta1,
    c.beta2,
    c.oneMinusBeta2,
    c.stepSize,
    c.sqrtC2,
    c.eps,
  ].map(f32Bits);
  // an element reads 4 floats and writes 3, with a square root and two divisions: count it
  // as 4 multiply-adds against minParallelWork
  runRanges(pool, n, 4 * n, (i0, i1) => [
    OP.ADAM,
    params.byteOffset,
    grads.byteOffset,
    m.byteOffset,
    v.byteOffset,
    i0,
    i1,
    ...consts,
  ]);
}
