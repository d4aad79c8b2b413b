/**
 * Pool kernel edgeSpmm: out[r, head h] (+)= sum over row r's entries of w[edge, h] x[other, head
 * h], a sum weighted per edge and head (DGL's update_all(u_mul_e, sum)); rows split as EdgeRows.
 */
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import { headColumns, runEdgeRows, type EdgeRows } from './edgeRows.js';
import type { PoolJob, SlotOp } from './job.js';

export const edgeSpmmSlot: SlotOp = {
  op: OP.EDGE_SPMM,
  run: (k, _heap, a) =>
    k.edgeSpmm(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]),
};

/** w [nnz x heads], x [nOther x C], out [nRows x C]; out is overwritten unless `accumulate`. */
export function edgeSpmm(
  pool: PoolJob,
  rows: EdgeRows,
  w: Float32Array,
  heads: number,
  x: Float32Array,
  out: Float32Array,
  accumulate = false,
): void {
  checkDense(pool.heap, w, rows.nnz, heads, 'w');
  const C = headColumns(x, rows.nOther, heads, 'x');
  checkDense(pool.heap, x, rows.nOther, C, 'x');
  checkDense(pool.heap, out, rows.nRows, C, 'out');
  const flags = (rows.edgeAt === undefined ? 0 : 1) | (accumulate ? 2 : 0);
  runEdgeRows(pool, rows, rows.nnz * C, (r0, r1) => [
    OP.EDGE_SPMM,
    rows.rowPtr,
    rows.other,
    rows.edgeAt ?? 0,
    w.byteOffset,
    heads,
    x.byteOffset,
    C,
    out.byteOffset,
    r0,
    r1,
    flags,
  ]);
}
