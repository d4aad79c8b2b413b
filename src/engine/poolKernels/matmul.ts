/**
 * Pool kernel matmul: c = a b (+ bias), a and c possibly column blocks of wider arrays. Threads
 * split the rows of c; every entry is summed over k in order (see ../kernels/gemm.ts).
 */
import { OP } from '../protocol.js';
import { checkBlock, checkDense, rowsOf, type ColumnBlock } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const matmulSlot: SlotOp = {
  op: OP.GEMM,
  run: (k, _heap, a) => k.gemm(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]),
};

export function matmul(
  pool: PoolJob,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  k: number,
  n: number,
  bias?: Float32Array,
  blocks: { readonly a?: ColumnBlock; readonly c?: ColumnBlock } = {},
): void {
  const lda = blocks.a?.ld ?? k;
  const m = rowsOf(pool.heap, a, lda, 'a');
  const ba = checkBlock(pool.heap, a, m, k, blocks.a ?? {}, 'a');
  const bc = checkBlock(pool.heap, c, m, n, blocks.c ?? {}, 'c');
  checkDense(pool.heap, b, k, n, 'b');
  if (bias) checkDense(pool.heap, bias, 1, n, 'bias');
  runRows(pool, m, m * k * n, (m0, m1) => [
    OP.GEMM,
    a.byteOffset + 4 * ba.col,
    b.byteOffset,
    c.byteOffset + 4 * bc.col,
    k,
    n,
    m0,
    m1,
    bias?.byteOffset ?? 0,
    bias ? 1 : 0,
    ba.ld,
    bc.ld,
  ]);
}
