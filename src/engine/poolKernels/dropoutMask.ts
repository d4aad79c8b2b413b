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
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  if (n >= 2 ** 30) throw new RangeError(`dropoutMask: ${n} elements, at most 2^30 - 1`);
  const keep = 1 - rate;
  const below = Math.round(keep * 65536);
  const scale = f32Bits(1 / keep);
  const [s0, s1] = seeds.map((x) => x >>> 0);
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
