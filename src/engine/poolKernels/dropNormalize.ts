/**
 * Pool kernels dropNormalize and dropNormalizeBack: dropout (dropoutMask's hashed mask, so the
 * bits depend on the seeds alone) then L2 normalisation of each row, and its gradient, in one
 * pass over the rows each way (src/engine/kernels/dropNormalize.ts). Threads take row ranges,
 * each with its own scratch rows.
 */
import { f32Bits, OP } from '../protocol.js';
import { checkDense, rowsOf } from './checks.js';
import { maskWords } from './dropoutMask.js';
import { wordsRunner, type PoolJob, type SlotOp } from './job.js';

export const dropNormalizeSlot: SlotOp = {
  op: OP.DROP_NORMALIZE,
  run: wordsRunner((k) => k.dropNormalize as (...words: number[]) => void, 12, [10, 11]),
};

export const dropNormalizeBackSlot: SlotOp = {
  op: OP.DROP_NORMALIZE_BACK,
  run: wordsRunner((k) => k.dropNormalizeBack as (...words: number[]) => void, 13, [10, 11]),
};

/** The dropout of a dropNormalize: its rate and the two seeds of its mask. */
export interface Dropout {
  readonly rate: number;
  readonly seeds: readonly [number, number];
}

/** Scratch floats either kernel needs: two rows of dim per thread. */
export function dropNormalizeScratch(pool: PoolJob, dim: number): number {
  return 2 * dim * pool.threads;
}

/** Rows split between the threads (or the caller alone for small jobs), scratch per thread. */
function runRowsWithScratch(
  pool: PoolJob,
  rows: number,
  dim: number,
  scratch: Float32Array,
  args: (r0: number, r1: number, scratch: number) => number[],
): void {
  if (scratch.length < dropNormalizeScratch(pool, dim) || !pool.heap.owns(scratch))
    throw new RangeError(`dropNormalize: scratch of ${scratch.length} floats in the pool needed`);
  const threads = rows * dim * 4 >= pool.minParallelWork ? pool.threads : 1;
  const per = Math.ceil(rows / threads);
  pool.run(threads, (t, s) => {
    const r0 = Math.min(rows, t * per);
    s.set(args(r0, Math.min(rows, r0 + per), scratch.byteOffset + t * 8 * dim));
  });
}

/** The mask's words (seeds, threshold, scale) and eps's bits, as both kernels take them. */
function maskAndEps(dropout: Dropout, eps: number, n: number): number[] {
  const w = maskWords(dropout.rate, dropout.seeds, n);
  return [w.s0, w.s1, w.below, w.scale, f32Bits(eps)];
}

/** xp = x m (the dropout), y = xp / |xp| row by row; x, xp, y [rows x dim]. */
export function dropNormalize(
  pool: PoolJob,
  x: Float32Array,
  xp: Float32Array,
  y: Float32Array,
  dim: number,
  dropout: Dropout,
  eps: number,
  scratch: Float32Array,
): void {
  const rows = rowsOf(pool.heap, x, dim, 'x');
  checkDense(pool.heap, xp, rows, dim, 'xp');
  checkDense(pool.heap, y, rows, dim, 'y');
  const mask = maskAndEps(dropout, eps, x.length);
  runRowsWithScratch(pool, rows, dim, scratch, (r0, r1, s) => [
    OP.DROP_NORMALIZE,
    x.byteOffset,
    xp.byteOffset,
    y.byteOffset,
    dim,
    r0,
    r1,
    ...mask,
    s,
  ]);
}

/** out (+)= the gradient of dropNormalize with respect to x, from xp and dy. */
export function dropNormalizeBack(
  pool: PoolJob,
  xp: Float32Array,
  dy: Float32Array,
  out: Float32Array,
  dim: number,
  dropout: Dropout,
  eps: number,
  scratch: Float32Array,
  accumulate = false,
): void {
  const rows = rowsOf(pool.heap, xp, dim, 'xp');
  checkDense(pool.heap, dy, rows, dim, 'dy');
  checkDense(pool.heap, out, rows, dim, 'out');
  const mask = maskAndEps(dropout, eps, xp.length);
  runRowsWithScratch(pool, rows, dim, scratch, (r0, r1, s) => [
    OP.DROP_NORMALIZE_BACK,
    xp.byteOffset,
    dy.byteOffset,
    out.byteOffset,
    dim,
    r0,
    r1,
    ...mask,
    s,
    accumulate ? 2 : 0,
  ]);
}
