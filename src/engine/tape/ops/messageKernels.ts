/**
 * The three loops message passing is made of, shared by the ops' forward and backward passes
 * (sddmmDot's backward is spmmEdge's forward and transpose, and spmmEdge's gradient to its
 * edge weights is sddmmDot's forward). Features are [n x C] with `heads` column blocks of
 * d = C / heads; edge values [nnz x heads]. Plain loops in a fixed order: each output row is
 * summed by one loop, edge by edge in CSR (or bySource) order, so results are deterministic.
 */
import type { MessageGraph, SourceOrder } from './messageGraph.js';

/**
 * out[r, block h] += sum over row r's edges of w[k, h] x[other, block h], rows given as a CSR
 * (rowPtr, other end of each entry, and the edge each entry is when not the entry itself).
 */
function sumAlongRows(
  nRows: number,
  rowPtr: Int32Array,
  other: Int32Array,
  edgeAt: Int32Array | undefined,
  w: Float32Array,
  heads: number,
  x: Float32Array,
  C: number,
  out: Float32Array,
): void {
  const d = C / heads;
  for (let r = 0; r < nRows; r++)
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const k = edgeAt ? edgeAt[p] : p;
      const o = other[p];
      for (let h = 0; h < heads; h++) {
        const wk = w[k * heads + h];
        for (let j = h * d; j < (h + 1) * d; j++) out[r * C + j] += wk * x[o * C + j];
      }
    }
}

/** out[v, block h] += sum over v's edges k = (u -> v) of w[k, h] x[u, block h]. */
export function sumIntoDestinations(
  g: MessageGraph,
  w: Float32Array,
  heads: number,
  x: Float32Array,
  C: number,
  out: Float32Array,
): void {
  sumAlongRows(g.nRows, g.indptr, g.indices, undefined, w, heads, x, C, out);
}

/** out[u, block h] += sum over u's edges k = (u -> v) of w[k, h] x[v, block h] (the transpose). */
export function sumIntoSources(
  order: SourceOrder,
  nSrc: number,
  w: Float32Array,
  heads: number,
  x: Float32Array,
  C: number,
  out: Float32Array,
): void {
  sumAlongRows(nSrc, order.indptr, order.dst, order.edges, w, heads, x, C, out);
}

/**
 * e[k, h] = <x[v, block h], y[u, block h]> for each edge k = (u -> v), written, or added
 * when `add` (a gradient accumulating).
 */
export function edgeDots(
  g: MessageGraph,
  x: Float32Array,
  y: Float32Array,
  heads: number,
  C: number,
  e: Float32Array,
  add: boolean,
): void {
  const d = C / heads;
  const { indptr, indices } = g;
  for (let v = 0; v < g.nRows; v++)
    for (let k = indptr[v]; k < indptr[v + 1]; k++) {
      const u = indices[k];
      for (let h = 0; h < heads; h++) {
        let s = 0;
        for (let j = h * d; j < (h + 1) * d; j++) s += x[v * C + j] * y[u * C + j];
        e[k * heads + h] = add ? e[k * heads + h] + s : s;
      }
    }
}
