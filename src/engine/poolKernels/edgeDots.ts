/**
 * Pool kernel edgeDots: e[k, h] (+)= <x[v, head h], y[u, head h]> for each edge k = (u -> v)
 * (DGL's u_dot_v per head); rows (destinations, in the graph's own edge order) split as EdgeRows.
 */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import { headColumns, runEdgeRows, type EdgeRows } from './edgeRows.js';
import type { PoolJob, SlotOp } from './job.js';

export const edgeDotsSlot: SlotOp = {
  op: OP.EDGE_DOTS,
  run: (k, _heap, a) => k.edgeDots(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]),
};

/** x [nRows x C], y [nOther x C], e [nnz x heads]; e is overwritten unless `add`. */
export function edgeDots(
  pool: PoolJob,
  rows: EdgeRows,
  x: Float32Array,
  y: Float32Array,
  heads: number,
  e: Float32Array,
  add = false,
): void {
  if (rows.edgeAt !== undefined) throw new RangeError('edgeDots: rows must be in edge order');
  const C = headColumns(x, rows.nRows, heads, 'x');
  checkDense(pool.heap, x, rows.nRows, C, 'x');
  checkDense(pool.heap, y, rows.nOther, C, 'y');
  checkDense(pool.heap, e, rows.nnz, heads, 'e');
  runEdgeRows(pool, rows, rows.nnz * C, (r0, r1) => [
    OP.EDGE_DOTS,
    rows.rowPtr,
    rows.other,
    x.byteOffset,
    y.byteOffset,
    heads,
    C,
    e.byteOffset,
    r0,
    r1,
    add ? 1 : 0,
  ]);
}
