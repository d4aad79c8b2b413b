/**
 * Pool kernel edgeAdd: e[k, h] = d[v, h] + s[u, h] for each edge k = (u -> v) (DGL's u_add_v);
 * rows (destinations, in the graph's own edge order) split as EdgeRows.
 */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import { runEdgeRows, type EdgeRows } from './edgeRows.js';
import type { PoolJob, SlotOp } from './job.js';

export const edgeAddSlot: SlotOp = {
  op: OP.EDGE_ADD,
  run: (k, _heap, a) => k.edgeAdd(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]),
};

/** d [nRows x heads], s [nOther x heads], e [nnz x heads]. */
export function edgeAdd(
  pool: PoolJob,
  rows: EdgeRows,
  d: Float32Array,
  s: Float32Array,
  heads: number,
  e: Float32Array,
): void {
  if (rows.edgeAt !== undefined) throw new RangeError('edgeAdd: rows must be in edge order');
  checkDense(pool.heap, d, rows.nRows, heads, 'd');
  checkDense(pool.heap, s, rows.nOther, heads, 's');
  checkDense(pool.heap, e, rows.nnz, heads, 'e');
  runEdgeRows(pool, rows, rows.nnz * heads, (r0, r1) => [
    OP.EDGE_ADD,
    rows.rowPtr,
    rows.other,
    d.byteOffset,
    s.byteOffset,
    heads,
    e.byteOffset,
    r0,
    r1,
  ]);
}
