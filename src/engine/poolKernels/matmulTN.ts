/**
 * Pool kernel matmulTN: c = a^T b. The sum over the rows goes in fixed chunks of GEMM_CHUNK
 * rows, threads taking whole chunks, each chunk's product computed by one thread and the chunks
 * added in order on the caller, so the bits do not depend on the thread count.
 */
import { OP } from '../protocol.js';
import { checkBlock, checkDense, rowsOf, type ColumnBlock } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

/** Rows per chunk of matmulTN's sum: the unit of its split between threads. */
export const GEMM_CHUNK = 2048;

export const matmulTNSlot: SlotOp = {
  op: OP.GEMM_TN_CHUNKS,
  run: (k, _heap, a) => k.gemmTnChunks(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]),
};

export function matmulTN(
  pool: PoolJob,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  blocks: { readonly a?: ColumnBlock } = {},
): void {
  const r = rowsOf(pool.heap, a, blocks.a?.ld ?? m, 'a');
  const ba = checkBlock(pool.heap, a, r, m, blocks.a ?? {}, 'a');
  checkDense(pool.heap, b, r, n, 'b');
  checkDense(pool.heap, c, m, n, 'c');
  const chunks = Math.ceil(r / GEMM_CHUNK);
  if (chunks === 0) {
    c.fill(0);
    return;
  }
  const parts = pool.allocF32(chunks * m * n, false);
  try {
    // threads take whole chunks
    runRows(pool, chunks, r * m * n, (c0, c1) => [
      OP.GEMM_TN_CHUNKS,
      a.byteOffset + 4 * ba.col,
      b.byteOffset,
      parts.byteOffset,
      m,
      n,
      r,
      GEMM_CHUNK,
      c0,
      c1,
      ba.ld,
    ]);
    c.set(parts.subarray(0, m * n));
    for (let p = 1; p < chunks; p++) {
      const part = parts.subarray(p * m * n, (p + 1) * m * n);
      for (let j = 0; j < m * n; j++) c[j] += part[j];
    }
  } finally {
    pool.free(parts);
  }
}
