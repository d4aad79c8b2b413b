/**
 * PinSAGE's importance-based neighbourhoods (Ying et al., KDD 2018, section 3.2, "Importance
 * pooling"): "we simulate random walks starting from node u and compute the L1-normalized
 * visit count of nodes visited by the random walk"; u's neighbourhood is the top T nodes by
 * visit count, and those normalised counts are the importance weights alpha of the pooling.
 * Here the counts of the kept T are normalised to sum to 1, so pooling is a weighted mean.
 *
 * And the mini-batch computation graph over them (Algorithm 2, lines 1-7): from the batch's
 * nodes S^(K), S^(k-1) = S^(k) ∪ N(u) for u in S^(k); layer k convolves each node of S^(k)
 * over its neighbours in S^(k-1). Laid out as GraphSAGE's sampled blocks
 * (./neighbourSampler.ts): one node list in which S^(k) is the prefix S^(k-1) starts with, so
 * a node keeps one local row in every layer; here the neighbourhoods are fixed, not drawn.
 */
import { GrowableInt32 } from '../data/buffers.js';
import { targetRowsOf } from './neighbourSampler.js';
import type { Walks } from './walks.js';
import type { WeightedCsr } from './types.js';

/**
 * The top-T neighbourhood of every walk start (nNodes rows, columns node ids): nodes by visit
 * count over the walks from it, the start itself not counted, ties to the lower id; weights
 * the counts over the sum of the kept T. A node whose walks went nowhere has no neighbours.
 */
export function importanceNeighbourhoods(walks: Walks, nNodes: number, T: number): WeightedCsr {
  if (!(Number.isInteger(T) && T >= 1)) throw new RangeError(`T = ${T} is not an integer >= 1`);
  const { nodes, length, count, starts } = walks;
  // walk r starts at starts[r mod starts.length]: gather each start's walks
  const counts = new Map<number, number>();
  const indptr = new Int32Array(nNodes + 1);
  const indices = new GrowableInt32(starts.length * T);
  const values: number[] = [];
  const rowOf = new Int32Array(nNodes).fill(-1);
  for (let k = 0; k < starts.length; k++) rowOf[starts[k]] = k;
  for (let v = 0; v < nNodes; v++) {
    const k = rowOf[v];
    if (k >= 0) {
      counts.clear();
      for (let r = k; r < count; r += starts.length)
        for (let j = 1; j < length; j++) {
          const x = nodes[r * length + j];
          if (x < 0) break;
          if (x !== v) counts.set(x, (counts.get(x) ?? 0) + 1);
        }
      const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, T);
      const total = top.reduce((s, [, c]) => s + c, 0);
      for (const [x, c] of top.sort((a, b) => a[0] - b[0])) {
        indices.push(x);
        values.push(c / total);
      }
    }
    indptr[v + 1] = indices.length;
  }
  return {
    nRows: nNodes,
    nCols: nNodes,
    indptr,
    indices: indices.toArray(),
    values: Float32Array.from(values),
  };
}

export interface ComputationGraph {
  /** node ids of S^(0); S^(k) is nodes[0 .. sizes[k]) */
  readonly nodes: Int32Array;
  readonly sizes: readonly number[];
  /** blocks[k - 1]: layer k's weighted neighbour lists, rows S^(k), columns rows of S^(k-1) */
  readonly blocks: readonly WeightedCsr[];
  /** the local row of each target as given (repeated targets share a row) */
  readonly targetRows: Int32Array;
}

/** Algorithm 2's S^(K) .. S^(0) and blocks for `targets` over the neighbourhoods, K layers. */
export function computationGraph(
  neighbours: WeightedCsr,
  targets: ArrayLike<number>,
  K: number,
): ComputationGraph {
  const n = neighbours.nRows;
  const local = new Map<number, number>();
  const nodes = new GrowableInt32(targets.length * 2);
  const add = (v: number): number => {
    let r = local.get(v);
    if (r === undefined) {
      r = nodes.length;
      local.set(v, r);
      nodes.push(v);
    }
    return r;
  };
  const targetRows = targetRowsOf(targets, n, add);
  const sizes: number[] = new Array<number>(K + 1);
  const blocks: WeightedCsr[] = new Array<WeightedCsr>(K);
  sizes[K] = nodes.length;
  for (let k = K; k >= 1; k--) {
    const rows = sizes[k];
    const indptr = new Int32Array(rows + 1);
    const lo = neighbours.indptr;
    let nnz = 0;
    for (let r = 0; r < rows; r++) {
      const u = nodes.get(r);
      nnz += lo[u + 1] - lo[u];
      indptr[r + 1] = nnz;
    }
    const indices = new Int32Array(nnz);
    const values = new Float32Array(nnz);
    for (let r = 0; r < rows; r++) {
      const u = nodes.get(r);
      for (let e = lo[u], at = indptr[r]; e < lo[u + 1]; e++, at++) {
        indices[at] = add(neighbours.indices[e]);
        values[at] = neighbours.values[e];
      }
    }
    sizes[k - 1] = nodes.length;
    blocks[k - 1] = { nRows: rows, nCols: sizes[k - 1], indptr, indices, values };
  }
  return { nodes: nodes.toArray(), sizes, blocks, targetRows };
}
