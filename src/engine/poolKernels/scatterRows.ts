/**
 * Pool kernel scatterRows: out += A[rows]^T dy. Threads split the output rows (A's columns,
 * balanced by non-zeros), each going through the whole list, so every output row gets its
 * additions in list order from one thread.
 */
import { OP } from '../protocol.js';
import { checkDense, checkRows } from './checks.js';
import type { DeviceCsr, PoolJob, SlotOp } from './job.js';

export const scatterRowsSlot: SlotOp = {
  op: OP.SCATTER_ROWS,
  run: (k, _heap, a) =>
    k.scatterRows(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]),
};

export function scatterRows(
  pool: PoolJob,
  a: DeviceCsr,
  dy: Float32Array,
  rows: Int32Array,
  out: Float32Array,
  dim: number,
): void {
  checkDense(pool.heap, dy, rows.length, dim, 'dy');
  checkDense(pool.heap, out, a.nCols, dim, 'out');
  checkRows(pool.heap, rows, a.nRows);
  const work = rows.length * dim * (a.nnz / Math.max(1, a.nRows));
  const parallel = work >= pool.minParallelWork;
  pool.run(parallel ? pool.threads : 1, (t, s) => {
    const c0 = parallel ? a.colBounds[t] : 0;
    const c1 = parallel ? a.colBounds[t + 1] : a.nCols;
    s.set([
      OP.SCATTER_ROWS,
      a.rowPtr,
      a.col,
      a.val,
      dy.byteOffset,
      out.byteOffset,
      dim,
      rows.byteOffset,
      0,
      rows.length,
      c0,
      c1,
    ]);
  });
}
