/**
 * Pool kernels softmaxXent / softmaxXentBack: the softmax cross-entropy over dense rows of
 * logits (GRU4Rec's CE over all items), forward and gradient; rows split between threads.
 */
import { bitsF32, f32Bits, OP } from '../protocol.js';
import { checkDense, checkRows, rowsOf } from './checks.js';
import { EXP_WORK } from './edgeSoftmax.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const softmaxXentSlot: SlotOp = {
  op: OP.SOFTMAX_XENT,
  run: (k, _heap, a) => k.softmaxXent(a[1], a[2], a[3], a[4], a[5], a[6]),
};

export const softmaxXentBackSlot: SlotOp = {
  op: OP.SOFTMAX_XENT_BACK,
  run: (k, _heap, a) =>
    k.softmaxXentBack(a[1], a[2], a[3], a[4], a[5], bitsF32(a[6]), a[7], a[8], a[9]),
};

/**
 * x [r x cols] logits -> e [r x cols] = exp(x - the row's max), stats [r x 2] = (max, sum of
 * the row's e): the row's log-sum-exp is max + log(sum), its softmax e / sum.
 */
export function softmaxXent(
  pool: PoolJob,
  x: Float32Array,
  e: Float32Array,
  stats: Float32Array,
  cols: number,
): void {
  const r = rowsOf(pool.heap, x, cols, 'x');
  checkDense(pool.heap, e, r, cols, 'e');
  checkDense(pool.heap, stats, r, 2, 'stats');
  runRows(pool, r, r * cols * EXP_WORK, (r0, r1) => [
    OP.SOFTMAX_XENT,
    x.byteOffset,
    e.byteOffset,
    stats.byteOffset,
    cols,
    r0,
    r1,
  ]);
}

/**
 * dx (+)= g (softmax - onehot(target)) per row, from softmaxXent's e and stats: g is the
 * gradient of each row's cross-entropy (the loss's over the number of rows for a mean).
 */
export function softmaxXentBack(
  pool: PoolJob,
  e: Float32Array,
  stats: Float32Array,
  targets: Int32Array,
  g: number,
  dx: Float32Array,
  accumulate = false,
): void {
  const r = stats.length / 2;
  checkDense(pool.heap, stats, r, 2, 'stats');
  const cols = e.length / Math.max(1, r);
  checkDense(pool.heap, e, r, cols, 'e');
  checkDense(pool.heap, dx, r, cols, 'dx');
  if (targets.length !== r) throw new RangeError(`${targets.length} targets for ${r} rows`);
  checkRows(pool.heap, targets, cols);
  runRows(pool, r, r * cols * 2, (r0, r1) => [
    OP.SOFTMAX_XENT_BACK,
    e.byteOffset,
    stats.byteOffset,
    targets.byteOffset,
    dx.byteOffset,
    cols,
    f32Bits(g),
    r0,
    r1,
    accumulate ? 1 : 0,
  ]);
}
