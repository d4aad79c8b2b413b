/**
 * Pool kernel edgeSoftmax: per head, the softmax of edge values over each destination's edges
 * (DGL's edge_softmax), shifted by the row's maximum; rows split as EdgeRows.
 */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import { runEdgeRows, type EdgeRows } from './edgeRows.js';
import type { PoolJob, SlotOp } from './job.js';

/** an exponential costs about this many multiply-adds (for the parallel threshold) */
export const EXP_WORK = 8;

export const edgeSoftmaxSlot: SlotOp = {
  op: OP.EDGE_SOFTMAX,
  run: (k, _heap, a) => k.edgeSoftmax(a[1], a[2], a[3], a[4], a[5], a[6]),
};

/** e and a [nnz x heads]. */
export function edgeSoftmax(
  pool: PoolJob,
  rows: EdgeRows,
  e: Float32Array,
  heads: number,
  a: Float32Array,
): void {
  if (rows.edgeAt !== undefined) throw new RangeError('edgeSoftmax: rows must be in edge order');
  checkDense(pool.heap, e, rows.nnz, heads, 'e');
  checkDense(pool.heap, a, rows.nnz, heads, 'a');
  runEdgeRows(pool, rows, rows.nnz * heads * EXP_WORK, (r0, r1) => [
    OP.EDGE_SOFTMAX,
    rows.rowPtr,
    e.byteOffset,
    a.byteOffset,
    heads,
    r0,
    r1,
  ]);
}
