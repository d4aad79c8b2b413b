/**
 * The item-item co-occurrence graph and its r-normalisation.
 *
 * Groups are sets of items: a user's training history, or a session where the data has
 * sessions (`sessionGroups`). Repeats inside a group count once.
 *   C[i, j] = number of groups holding both i and j   (i != j; C[i, i] = 0)
 *   d_i     = sum_j C[i, j] = sum over groups g holding i of (|g| - 1)   (weighted degree)
 * The r-normalised graph weighs the edge from a seed i to an item j as
 *   Ĉ[i, j] = C[i, j] / (d_i^r d_j^(1-r))
 * the asymmetric normalisation 1 / (|N_i|^r |N_u|^(1-r)) of the issue with the sender i taking
 * exponent r and the receiver j exponent 1 - r, on the weighted degrees since C carries counts.
 * r = 1 is a random-walk step from i (rows sum to 1: popular targets keep their advantage),
 * r = 0 divides by the target's degree (popular targets are damped), r = 0.5 is LightGCN's
 * symmetric D^-1/2 A D^-1/2. Each row then keeps its k largest entries (ties to the lower id).
 *
 * The full C of a large catalogue does not fit in memory (Gowalla's is tens of millions of
 * entries), so rows are built one at a time and pruned at once, as the 3-step walk graph is.
 */
import { GrowableFloat32, GrowableInt32 } from '../data/buffers.js';
import type { Csr, Sessions } from '../data/types.js';
import { uniqueSortedRows } from './adjacency.js';
import { TopK } from './threeStep.js';
import { transposeCsr } from './transpose.js';
import type { WeightedCsr } from './types.js';

export interface ItemGraphOptions {
  /** the sender's share of the normalisation, in [0, 1] */
  readonly r: number;
  /** entries kept per row */
  readonly k: number;
}

/** A session log as groups: row s holds session s's items (a session's items form one group). */
export function sessionGroups(s: Sessions): Csr {
  return { nRows: s.nSessions, nCols: s.nItems, indptr: s.offsets, indices: s.items };
}

/** d_i = sum over groups g holding i of (|g| - 1), on groups without repeats. */
function weightedDegrees(g: Csr): Float64Array {
  const degree = new Float64Array(g.nCols);
  for (let s = 0; s < g.nRows; s++) {
    const others = g.indptr[s + 1] - g.indptr[s] - 1;
    for (let p = g.indptr[s]; p < g.indptr[s + 1]; p++) degree[g.indices[p]] += others;
  }
  return degree;
}

/**
 * Visits each item's co-occurrence row, groups without repeats: `visit(i, js, n, counts)` sees
 * the n items j with C[i, j] > 0 in js[0 .. n) (any order, i left out), counts[j] = C[i, j].
 */
function forEachCooccurrenceRow(
  g: Csr,
  visit: (i: number, js: Int32Array, n: number, counts: Float64Array) => void,
): void {
  const byItem = transposeCsr(g);
  const counts = new Float64Array(g.nCols);
  const touched = new Int32Array(g.nCols);
  for (let i = 0; i < g.nCols; i++) {
    let n = 0;
    for (let p = byItem.indptr[i]; p < byItem.indptr[i + 1]; p++) {
      const s = byItem.indices[p];
      for (let q = g.indptr[s]; q < g.indptr[s + 1]; q++) {
        const j = g.indices[q];
        if (j === i) continue;
        if (counts[j] === 0) touched[n++] = j;
        counts[j]++;
      }
    }
    visit(i, touched, n, counts);
    for (let t = 0; t < n; t++) counts[touched[t]] = 0;
  }
}

/** C itself (counts as float32, rows ascending): for small catalogues and graph statistics. */
export function itemCooccurrence(groups: Csr): WeightedCsr {
  const nItems = groups.nCols;
  const indptr = new Int32Array(nItems + 1);
  const cols = new GrowableInt32();
  const vals = new GrowableFloat32();
  forEachCooccurrenceRow(uniqueSortedRows(groups), (i, js, n, counts) => {
    for (const j of js.slice(0, n).sort()) {
      cols.push(j);
      vals.push(counts[j]);
    }
    indptr[i + 1] = cols.length;
  });
  return { nRows: nItems, nCols: nItems, indptr, indices: cols.toArray(), values: vals.toArray() };
}

/**
 * Ĉ pruned to its k largest entries per row, as a CSR over items (row i: the kept j ascending),
 * values computed in float64 and rounded once to float32.
 */
export function normalizedItemGraph(groups: Csr, o: ItemGraphOptions): WeightedCsr {
  if (!(Number.isFinite(o.r) && o.r >= 0 && o.r <= 1))
    throw new RangeError(`r must be a number in [0, 1], got ${o.r}`);
  if (!(Number.isInteger(o.k) && o.k >= 1))
    throw new RangeError(`k must be an integer >= 1, got ${o.k}`);
  const nItems = groups.nCols;
  const g = uniqueSortedRows(groups);
  const degree = weightedDegrees(g);
  // the receiver's factor d_j^(r-1); the sender's d_i^-r is one per row
  const receive = degree.map((d) => (d > 0 ? Math.pow(d, o.r - 1) : 0));
  const width = Math.max(1, Math.min(o.k, nItems));
  const heap = new TopK(width);
  const rowCols = new Int32Array(width);
  const rowVals = new Float32Array(width);
  const indptr = new Int32Array(nItems + 1);
  const cols = new GrowableInt32();
  const vals = new GrowableFloat32();
  forEachCooccurrenceRow(g, (i, js, n, counts) => {
    const send = Math.pow(degree[i], -o.r);
    heap.clear();
    for (let t = 0; t < n; t++) heap.offer(counts[js[t]] * send * receive[js[t]], js[t]);
    const kept = heap.drainSortedById(rowCols, rowVals, 0, false);
    for (let t = 0; t < kept; t++) {
      cols.push(rowCols[t]);
      vals.push(rowVals[t]);
    }
    indptr[i + 1] = cols.length;
  });
  return { nRows: nItems, nCols: nItems, indptr, indices: cols.toArray(), values: vals.toArray() };
}
