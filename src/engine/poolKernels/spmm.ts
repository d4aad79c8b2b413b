/**
 * Pool kernel spmm: y = A x. Threads take the row ranges cached with the uploaded matrix
 * (balanced by non-zeros); each output row is summed whole by one thread.
 */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { DeviceCsr, PoolJob, SlotOp } from './job.js';

export const spmmSlot: SlotOp = {
  op: OP.SPMM,
  run: (k, _heap, a) => k.spmm(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]),
};

export function spmm(
  pool: PoolJob,
  a: DeviceCsr,
  x: Float32Array,
  y: Float32Array,
  dim: number,
): void {
  checkDense(pool.heap, x, a.nCols, dim, 'x');
  checkDense(pool.heap, y, a.nRows, dim, 'y');
  const parallel = a.nnz * dim >= pool.minParallelWork;
  pool.run(parallel ? pool.threads : 1, (t, s) => {
    const r0 = parallel ? a.bounds[t] : 0;
    const r1 = parallel ? a.bounds[t + 1] : a.nRows;
    s.set([OP.SPMM, a.rowPtr, a.col, a.val, x.byteOffset, y.byteOffset, dim, r0, r1]);
  });
}
