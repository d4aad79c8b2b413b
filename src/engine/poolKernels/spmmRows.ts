/**
 * Pool kernel spmmRows: y[k] = (A x)[rows[k]]. Threads take ranges of the list balanced by the
 * non-zeros of the listed rows; each output row is summed whole by one thread.
 */
import { partitionListByNnz } from '../../graph/partition.js';
import { OP } from '../protocol.js';
import { checkDense, checkRows } from './checks.js';
import type { DeviceCsr, PoolJob, SlotOp } from './job.js';

export const spmmRowsSlot: SlotOp = {
  op: OP.SPMM_ROWS,
  run: (k, _heap, a) => k.spmmRows(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]),
};

export function spmmRows(
  pool: PoolJob,
  a: DeviceCsr,
  x: Float32Array,
  rows: Int32Array,
  y: Float32Array,
  dim: number,
): void {
  checkDense(pool.heap, x, a.nCols, dim, 'x');
  checkDense(pool.heap, y, rows.length, dim, 'y');
  checkRows(pool.heap, rows, a.nRows);
  const work = rows.length * dim * (a.nnz / Math.max(1, a.nRows));
  const parallel = work >= pool.minParallelWork;
  const h = pool.heapViews();
  const bounds = parallel
    ? partitionListByNnz(
        h.i32.subarray(a.rowPtr >>> 2, (a.rowPtr >>> 2) + a.nRows + 1),
        rows,
        pool.threads,
      )
    : undefined;
  pool.run(parallel ? pool.threads : 1, (t, s) => {
    const k0 = bounds ? bounds[t] : 0;
    const k1 = bounds ? bounds[t + 1] : rows.length;
    s.set([
      OP.SPMM_ROWS,
      a.rowPtr,
      a.col,
      a.val,
      x.byteOffset,
      y.byteOffset,
      dim,
      rows.byteOffset,
      k0,
      k1,
    ]);
  });
}
