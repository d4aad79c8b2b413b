/**
 * Pool kernel edgeSoftmaxBack: the gradient of edgeSoftmax, de = a (da - sum over the row of
 * a da), written or added; rows split as EdgeRows.
 */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import { runEdgeRows, type EdgeRows } from './edgeRows.js';
import type { PoolJob, SlotOp } from './job.js';

export const edgeSoftmaxBackSlot: SlotOp = {
  op: OP.EDGE_SOFTMAX_BACK,
  run: (k, _heap, a) => k.edgeSoftmaxBack(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]),
};

/** a, da, de [nnz x heads]; de is overwritten unless `accumulate`. */
export function edgeSoftmaxBack(
  pool: PoolJob,
  rows: EdgeRows,
  a: Float32Array,
  da: Float32Array,
  heads: number,
  de: Float32Array,
  accumulate = false,
): void {
  if (rows.edgeAt !== undefined)
    throw new RangeError('edgeSoftmaxBack: rows must be in edge order');
  for (const [x, name] of [
    [a, 'a'],
    [da, 'da'],
    [de, 'de'],
  ] as const)
    checkDense(pool.heap, x, rows.nnz, heads, name);
  runEdgeRows(pool, rows, rows.nnz * heads * 2, (r0, r1) => [
    OP.EDGE_SOFTMAX_BACK,
    rows.rowPtr,
    a.byteOffset,
    da.byteOffset,
    de.byteOffset,
    heads,
    r0,
    r1,
    accumulate ? 2 : 0,
  ]);
}
