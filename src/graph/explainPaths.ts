/**
 * "Why recommended", by random-walk paths: the 3-step walks u -> j -> v -> i on the bipartite
 * user-item graph (./bipartite.ts) that end at a recommended item i, j one of u's training
 * items and v another user who has both j and i. These are the walks P3alpha counts
 * (../models/p3alpha.ts): with the uniform step probabilities P_uj = 1 / deg(u),
 * P_jv = 1 / deg(j), P_vi = 1 / deg(v), a path's probability is their product
 *
 *   p(u -> j -> v -> i) = (1/deg(u) * 1/deg(j) * 1/deg(v))^alpha,
 *
 * and the paths' sum is the 3-step walk probability P^3[u, i]. P3alpha's score is the same sum
 * without the first step's 1/deg(u)^alpha (r_u W, r_u binary: the same for every item of u, so
 * the ranking is unchanged) and before its top-k pruning of W: score(u, i) = deg(u)^alpha *
 * P^3[u, i]. PPR's score from u weighs the same 3-step walks (and all longer odd ones), so the
 * paths explain it too, approximately. Summing a path's probability per history item j says how
 * much of i's walk mass flows through each item the user has: "because you liked j".
 *
 * Cost per item: the sum of the degrees of i's users (u's items are marked once per call).
 */
import type { BipartiteGraph } from './bipartite.js';

/** One path u -> via -> through -> item, `via` an item index, `through` a user index. */
export interface WalkPath {
  readonly via: number;
  readonly through: number;
  readonly probability: number;
}

/** A history item's part of the walk mass that reaches the explained item. */
export interface HistoryShare {
  readonly item: number;
  /** summed probability of the paths through it */
  readonly probability: number;
  /** probability / the item's total: its share of the paths' mass, in [0, 1] */
  readonly share: number;
  /** how many paths go through it */
  readonly paths: number;
}

export interface PathExplanation {
  readonly item: number;
  /** the sum of every path's probability: P^3[u, item] (alpha = 1), 0 when no path reaches it */
  readonly probability: number;
  /** how many paths there are in all */
  readonly pathCount: number;
  /** every history item with a path, largest mass first (ties to the lower item index) */
  readonly byHistoryItem: HistoryShare[];
  /** the `topPaths` most probable paths, most probable first (ties: lower via, then through) */
  readonly paths: WalkPath[];
}

export interface ExplainOptions {
  /** exponent on every step probability, P3alpha's alpha (1: the plain random walk) */
  readonly alpha?: number;
  /** paths listed per item (the rest are counted and summed, not listed) */
  readonly topPaths?: number;
}

/**
 * The paths from `user` to each of `items` (item indices, 0 .. nItems-1), with their
 * probabilities summed per history item. Items out of range get an empty explanation.
 */
export function explainPaths(
  g: BipartiteGraph,
  user: number,
  items: ArrayLike<number>,
  o: ExplainOptions = {},
): PathExplanation[] {
  const { nUsers, nItems, indptr, indices } = g;
  const alpha = o.alpha ?? 1;
  const topPaths = o.topPaths ?? 10;
  if (!Number.isInteger(user) || user < 0 || user >= nUsers)
    throw new RangeError(`user must be an index below ${nUsers}, got ${user}`);
  if (!(Number.isFinite(alpha) && alpha >= 0))
    throw new RangeError(`alpha must be a number >= 0, got ${alpha}`);
  const step = (node: number): number => {
    const d = indptr[node + 1] - indptr[node];
    return d > 0 ? Math.pow(d, -alpha) : 0;
  };
  // u's items marked by their position in u's row (+1), so a path finds its j at once
  const mark = new Int32Array(nItems);
  const start = indptr[user];
  const historyLength = indptr[user + 1] - start;
  for (let p = start; p < indptr[user + 1]; p++) mark[indices[p] - nUsers] = p - start + 1;
  const first = step(user);
  const viaStep = new Float64Array(historyLength);
  for (let k = 0; k < historyLength; k++) viaStep[k] = first * step(indices[start + k]);

  const mass = new Float64Array(historyLength);
  const count = new Int32Array(historyLength);
  return Array.from(items, (item) => {
    mass.fill(0);
    count.fill(0);
    const found: WalkPath[] = [];
    let total = 0;
    let pathCount = 0;
    if (Number.isInteger(item) && item >= 0 && item < nItems) {
      const node = nUsers + item;
      for (let p = indptr[node]; p < indptr[node + 1]; p++) {
        const v = indices[p];
        const last = step(v);
        for (let q = indptr[v]; q < indptr[v + 1]; q++) {
          const at = mark[indices[q] - nUsers];
          if (at === 0) continue;
          const k = at - 1;
          const prob = viaStep[k] * last;
          mass[k] += prob;
          count[k]++;
          total += prob;
          pathCount++;
          found.push({ via: indices[q] - nUsers, through: v, probability: prob });
        }
      }
    }
    const byHistoryItem: HistoryShare[] = [];
    for (let k = 0; k < historyLength; k++)
      if (count[k] > 0)
        byHistoryItem.push({
          item: indices[start + k] - nUsers,
          probability: mass[k],
          share: mass[k] / total,
          paths: count[k],
        });
    byHistoryItem.sort((a, b) => b.probability - a.probability || a.item - b.item);
    found.sort((a, b) => b.probability - a.probability || a.via - b.via || a.through - b.through);
    return {
      item,
      probability: total,
      pathCount,
      byHistoryItem,
      paths: found.slice(0, topPaths),
    };
  });
}
