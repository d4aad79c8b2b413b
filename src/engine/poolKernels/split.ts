/** The two ways kernels split a job between the pool's threads. */
import type { PoolJob } from './job.js';

/**
 * An elementwise job over [0, n), `work` multiply-adds in all: one range per thread (or the
 * caller alone for small jobs), each a whole multiple of 16 floats so that, in heap arrays
 * (64-byte aligned), no two threads write the same cache line.
 */
export function runRanges(
  pool: PoolJob,
  n: number,
  work: number,
  args: (i0: number, i1: number) => number[],
): void {
  const threads = n > 0 && work >= pool.minParallelWork ? pool.threads : 1;
  const chunk = Math.ceil(n / threads / 16) * 16;
  pool.run(threads, (t, s) => {
    const i0 = Math.min(n, t * chunk);
    s.set(args(i0, Math.min(n, i0 + chunk)));
  });
}

/**
 * A job over r rows (or other whole units), `work` multiply-adds in all: equal ranges of
 * rows per thread, or the caller alone for small jobs.
 */
export function runRows(
  pool: PoolJob,
  r: number,
  work: number,
  args: (r0: number, r1: number) => number[],
): void {
  const threads = work >= pool.minParallelWork ? pool.threads : 1;
  const per = Math.ceil(r / threads);
  pool.run(threads, (t, s) => {
    const r0 = Math.min(r, t * per);
    s.set(args(r0, Math.min(r, r0 + per)));
  });
}
