/**
 * The fixed graph the message-passing ops run on (DGL's apply_edges / edge_softmax /
 * update_all, PyG's MessagePassing): a CSR over destinations, row v listing the source nodes u
 * of v's incoming edges. Edge k is the k-th entry in CSR order; per-edge values are a tensor
 * [nnz x heads]. Node features carry their heads side by side: head h of a [n x heads*d] tensor
 * is its column block [h*d, (h+1)*d).
 *
 * Sums into source nodes (the gradients that flow back along edges) go through the transpose:
 * bySource() lists each source's edges in a fixed order (computed once per graph and cached),
 * so every source row is summed in the same order by one loop, the same bits however the rows
 * are split. The ops run on the pool's edge kernels (pool.edgeSpmm, ...), over both orders
 * uploaded once per graph and pool (onPool).
 */
import type { Csr } from '../../../data/types.js';
import type { EdgeRows, Pool } from '../../pool.js';
import { matrix64, type Matrix64 } from '../registry.js';
import type { Tensor } from '../tensor.js';

/** nRows = destinations, nCols = sources, indices = each destination's sources. */
export type MessageGraph = Csr;

/** The graph's edges grouped by source: source u's edges are edges[indptr[u] .. indptr[u+1]). */
export interface SourceOrder {
  readonly indptr: Int32Array;
  /** the edge (its CSR position) at each transposed position */
  readonly edges: Int32Array;
  /** that edge's destination */
  readonly dst: Int32Array;
}

const orders = new WeakMap<MessageGraph, SourceOrder>();

/** Validates the graph once and returns its edges grouped by source (cached per graph object). */
export function bySource(g: MessageGraph): SourceOrder {
  const cached = orders.get(g);
  if (cached) return cached;
  const { nRows, nCols, indptr, indices } = g;
  const nnz = indptr[nRows];
  if (indptr.length !== nRows + 1 || indptr[0] !== 0 || indices.length < nnz)
    throw new RangeError(`message graph: indptr of ${indptr.length} for ${nRows} destinations`);
  const counts = new Int32Array(nCols + 1);
  for (let v = 0; v < nRows; v++) {
    if (indptr[v + 1] < indptr[v]) throw new RangeError(`message graph: indptr falls at row ${v}`);
    for (let k = indptr[v]; k < indptr[v + 1]; k++) {
      const u = indices[k];
      if (!(u >= 0 && u < nCols))
        throw new RangeError(`message graph: edge ${k} from source ${u} of ${nCols}`);
      counts[u + 1]++;
    }
  }
  for (let u = 0; u < nCols; u++) counts[u + 1] += counts[u];
  const fill = counts.slice(0, nCols);
  const edges = new Int32Array(nnz);
  const dst = new Int32Array(nnz);
  // destinations in order, so each source's edges come by ascending destination (and CSR order)
  for (let v = 0; v < nRows; v++)
    for (let k = indptr[v]; k < indptr[v + 1]; k++) {
      const at = fill[indices[k]]++;
      edges[at] = k;
      dst[at] = v;
    }
  const order = { indptr: counts, edges, dst };
  orders.set(g, order);
  return order;
}

/** A graph on a pool: its rows by destination (its own CSR order) and by source (bySource). */
export interface PooledGraph {
  /** destination v's entries are its edges k, pointing at sources */
  readonly byDst: EdgeRows;
  /** source u's entries are its edges (bySource order), pointing at destinations */
  readonly bySrc: EdgeRows;
}

const pooled = new WeakMap<MessageGraph, WeakMap<Pool, PooledGraph>>();

/** The graph validated and in `pool`'s memory in both orders (uploaded once, then cached). */
export function onPool(pool: Pool, g: MessageGraph): PooledGraph {
  let byPool = pooled.get(g);
  if (!byPool) pooled.set(g, (byPool = new WeakMap()));
  let p = byPool.get(pool);
  if (!p) {
    const order = bySource(g);
    p = {
      byDst: pool.uploadEdgeRows(g.indptr, g.indices, g.nCols),
      bySrc: pool.uploadEdgeRows(order.indptr, order.dst, g.nRows, order.edges),
    };
    byPool.set(pool, p);
  }
  return p;
}

/**
 * Frees the pool's copies of a graph that will not be used again (a model's sub-graphs rebuilt
 * after their edges moved); a later op on it would upload it afresh.
 */
export function releaseGraph(pool: Pool, g: MessageGraph): void {
  const byPool = pooled.get(g);
  const p = byPool?.get(pool);
  if (!p) return;
  for (const rows of [p.byDst, p.bySrc])
    for (const at of [rows.rowPtr, rows.other, rows.edgeAt])
      if (at !== undefined) pool.heap.free(pool.heap.i32(at, 1));
  byPool?.delete(pool);
}

export function edgeCount(g: MessageGraph): number {
  return g.indptr[g.nRows];
}

/** Throws a RangeError naming the op when x is not [rows x (a multiple of heads) columns]. */
export function checkNodes(op: string, what: string, x: Tensor, rows: number, heads: number): void {
  if (x.rows !== rows || x.cols % heads !== 0 || x.cols === 0)
    throw new RangeError(
      `${op}: ${what} is ${x.shape}, expected ${rows} rows and a multiple of ${heads} heads`,
    );
}

/** Per-edge values must be [nnz x heads]. */
export function checkEdges(op: string, e: Tensor, g: MessageGraph): void {
  if (e.rows !== edgeCount(g) || e.cols < 1)
    throw new RangeError(`${op}: edge values ${e.shape} for a graph of ${edgeCount(g)} edges`);
}

/** f(v, k, u) for every edge k = (u -> v), in CSR order: the references' loop. */
export function forEachEdge(g: MessageGraph, f: (v: number, k: number, u: number) => void): void {
  for (let v = 0; v < g.nRows; v++)
    for (let k = g.indptr[v]; k < g.indptr[v + 1]; k++) f(v, k, g.indices[k]);
}

/** An [nnz x heads] float64 matrix filled edge by edge (references). */
export function perEdge64(
  g: MessageGraph,
  heads: number,
  f: (v: number, u: number, h: number, k: number) => number,
): Matrix64 {
  const y = matrix64(edgeCount(g), heads);
  forEachEdge(g, (v, k, u) => {
    for (let h = 0; h < heads; h++) y.data[k * heads + h] = f(v, u, h, k);
  });
  return y;
}

/**
 * The check's graph: 4 destinations over 3 sources, with an empty row (a destination no edge
 * reaches), a source feeding several destinations and a source reached twice.
 */
export const SMALL_GRAPH: MessageGraph = {
  nRows: 4,
  nCols: 3,
  indptr: Int32Array.from([0, 2, 3, 3, 6]),
  indices: Int32Array.from([0, 2, 1, 0, 1, 2]),
};

/** A square graph with self-loops (GAT's shape: every node attends over itself and neighbours). */
export const SELF_LOOP_GRAPH: MessageGraph = {
  nRows: 3,
  nCols: 3,
  indptr: Int32Array.from([0, 2, 5, 7]),
  indices: Int32Array.from([0, 1, 0, 1, 2, 1, 2]),
};
