/**
 * GraphSAGE's neighbourhood sampling and minibatch computation graph (Hamilton, Ying &
 * Leskovec, NeurIPS 2017, Algorithm 2): starting from a batch's nodes B^K, for k = K .. 1 each
 * node of B^k draws N_k(u), up to S_k of its neighbours uniformly without replacement (all of
 * them when it has no more than S_k, as PyG's and DGL's neighbour samplers), and
 * B^(k-1) = B^k ∪ those neighbours. Layer k then aggregates, for each node of B^k, over its
 * drawn neighbours in B^(k-1): a step costs the batch's sampled neighbourhood, not the graph.
 *
 * Layout: the nodes of every B^k are one list in which B^k is the prefix B^(k-1) starts with
 * (targets first, then the nodes each hop adds, in the order first drawn), so a node keeps one
 * local row in every layer and layer k's block indexes B^(k-1)'s rows directly.
 */
import type { Csr } from '../data/types.js';
import { GrowableInt32 } from '../data/buffers.js';
import type { Rng } from '../util/rng.js';

export interface SampledBlocks {
  /** node ids of B^0; B^k is nodes[0 .. sizes[k]) */
  readonly nodes: Int32Array;
  /** |B^0|, |B^1|, ..., |B^K| (non-increasing) */
  readonly sizes: readonly number[];
  /** blocks[k - 1]: layer k's neighbour lists, rows B^k, columns (local rows of) B^(k-1) */
  readonly blocks: readonly Csr[];
  /** the local row (in B^K) of each target as given (repeated targets share a row) */
  readonly targetRows: Int32Array;
}

/**
 * Writes into `out` (of at least `fanout` slots) `fanout` distinct positions among `degree`,
 * ascending, drawn uniformly by Floyd's algorithm (fanout draws, no scratch of the degree's
 * size); returns the count. The caller keeps every neighbour itself when degree <= fanout.
 */
function drawPositions(degree: number, fanout: number, rng: Rng, out: Int32Array): number {
  let n = 0;
  for (let j = degree - fanout; j < degree; j++) {
    const t = rng.int(j + 1);
    let seen = false;
    for (let k = 0; k < n && !seen; k++) seen = out[k] === t;
    out[n++] = seen ? j : t;
  }
  out.subarray(0, n).sort();
  return n;
}

/**
 * Positions of up to `fanout` of `degree` neighbours, ascending: all of them when degree <=
 * fanout (no draw), else a uniform subset without replacement.
 */
export function samplePositions(degree: number, fanout: number, rng: Rng): number[] {
  if (degree <= fanout) return Array.from({ length: degree }, (_, k) => k);
  const out = new Int32Array(fanout);
  return [...out.subarray(0, drawPositions(degree, fanout, rng, out))];
}

/**
 * The local row of each target, numbered by `add` (which gives a node its row, a new one the
 * first time); throws a RangeError for a target outside [0, n).
 */
export function targetRowsOf(
  targets: ArrayLike<number>,
  n: number,
  add: (v: number) => number,
): Int32Array {
  const rows = new Int32Array(targets.length);
  for (let k = 0; k < targets.length; k++) {
    const v = targets[k];
    if (!(Number.isInteger(v) && v >= 0 && v < n))
      throw new RangeError(`target node ${v} outside [0, ${n})`);
    rows[k] = add(v);
  }
  return rows;
}

/**
 * Algorithm 2's sets B^K .. B^0 and the blocks between them for `targets` (node ids of
 * `graph`, a square adjacency), with fanouts[k - 1] = S_k for layers k = 1 .. K.
 */
export function sampleBlocks(
  graph: Csr,
  targets: ArrayLike<number>,
  fanouts: readonly number[],
  rng: Rng,
): SampledBlocks {
  const n = graph.nRows;
  if (graph.nCols !== n) throw new RangeError(`sampleBlocks on a ${n} x ${graph.nCols} graph`);
  for (const s of fanouts)
    if (!(Number.isInteger(s) && s >= 1))
      throw new RangeError(`fanout ${s} is not an integer >= 1`);
  const local = new Int32Array(n).fill(-1);
  const nodes = new GrowableInt32(targets.length * 2);
  const add = (v: number): number => {
    if (local[v] < 0) {
      local[v] = nodes.length;
      nodes.push(v);
    }
    return local[v];
  };
  const targetRows = targetRowsOf(targets, n, add);
  const K = fanouts.length;
  const sizes: number[] = new Array<number>(K + 1);
  const blocks: Csr[] = new Array<Csr>(K);
  sizes[K] = nodes.length;
  // Algorithm 2, lines 2-7: for k = K .. 1, B^(k-1) = B^k ∪ N_k(u) for u in B^k
  const drawn = new Int32Array(Math.max(0, ...fanouts));
  for (let k = K; k >= 1; k--) {
    const rows = sizes[k];
    const fanout = fanouts[k - 1];
    const indptr = new Int32Array(rows + 1);
    const indices = new GrowableInt32(rows * Math.min(fanout, 64));
    for (let r = 0; r < rows; r++) {
      const u = nodes.get(r);
      const lo = graph.indptr[u];
      const degree = graph.indptr[u + 1] - lo;
      if (degree <= fanout)
        for (let p = 0; p < degree; p++) indices.push(add(graph.indices[lo + p]));
      else {
        const n = drawPositions(degree, fanout, rng, drawn);
        for (let q = 0; q < n; q++) indices.push(add(graph.indices[lo + drawn[q]]));
      }
      indptr[r + 1] = indices.length;
    }
    sizes[k - 1] = nodes.length;
    blocks[k - 1] = { nRows: rows, nCols: sizes[k - 1], indptr, indices: indices.toArray() };
  }
  return { nodes: nodes.toArray(), sizes, blocks, targetRows };
}
