/**
 * Scoring by an item-item matrix: a user's score for item j is the sum of W[i, j] over the items
 * i in their history, s_u = r_u W with r_u the binary history (the reference implementation's
 * URM_train[u] . W_sparse, P3alpha and RP3beta alike).
 */
import type { BipartiteGraph } from './bipartite.js';
import type { WeightedCsr } from './types.js';

/** Adds s_u to out[r * nItems ..] for each users[r]; out holds users.length * nItems values. */
export function addHistoryScores(
  g: BipartiteGraph,
  w: WeightedCsr,
  users: Int32Array,
  out: Float32Array,
): void {
  const { nUsers, nItems, indptr, indices } = g;
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const base = r * nItems;
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const i = indices[q] - nUsers;
      for (let p = w.indptr[i]; p < w.indptr[i + 1]; p++) out[base + w.indices[p]] += w.values[p];
    }
  }
}
