/**
 * Pool kernel dropoutMask: each element's keep/drop comes from a hash of its index and the two
 * seeds, so ranges can go to any thread and the bits still depend on the seeds alone.
 */
import { bitsF32, f32Bits, OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRanges } from './split.js';

export const dropoutMaskSlot: SlotOp = {
  op: OP.DROPOUT_MASK,
  run: (k, _heap, a) => k.dropoutMask(a[1], a[2], a[3], a[4], a[5], a[6], bitsF32(a[7])),
};

export function dropoutMask(
  pool: PoolJob,
  m: Float32Array,
  rate: number,
  seeds: readonly [number, number],
): void {
  const n = m.length;
  checkDense(pool.heap, m, n, 1, 'm');
  const { s0, s1, below, scale } = maskWords(rate, seeds, n);
  // a hash is about 10 integer operations for 2 elements: count 4 per element
  runRanges(pool, n, 4 * n, (i0, i1) => [
    OP.DROPOUT_MASK,
    m.byteOffset,
    i0,
    i1,
    s0,
    s1,
    below,
    scale,
  ]);
}

/**
 * The slot words of a dropout mask over n elements: the seeds, the 16-bit threshold below which
 * an element is kept, and the kept elements' scale 1 / (1 - rate) as float32 bits. Checked.
 */
export function maskWords(
  rate: number,
  seeds: readonly [number, number],
  n: number,
): { s0: number; s1: number; below: number; scale: number } {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  if (n >= 2 ** 30) throw new RangeError(`dropoutMask: ${n} elements, at most 2^30 - 1`);
  const keep = 1 - rate;
  return {
    s0: seeds[0] >>> 0,
    s1: seeds[1] >>> 0,
    below: Math.round(keep * 65536),
    scale: f32Bits(1 / keep),
  };
}
