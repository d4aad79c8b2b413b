/**
 * What each stage of a two-stage recommender (a candidate generator, then a ranker that only
 * reorders the candidates) gains, as pure functions over lists of item ids:
 *
 *   candidate recall@N = |first N candidates of u  intersect  P_u| / |P_u|   (mean over users with P_u)
 *
 * the ceiling of any re-ranking of those N candidates: a final list drawn from them can only
 * hit what they hold. And the re-ranking itself: the candidates in score order.
 */
import type { Csr } from '../data/types.js';
import { recallAtK, type RelevantSet } from './metrics.js';

/** Lists of `width` item ids per user, user-major, -1 padded (TopKRanker's output). */
export interface CandidateLists {
  readonly users: Int32Array;
  readonly width: number;
  readonly items: Int32Array;
}

function rowSet(m: Csr, u: number): RelevantSet {
  return new Set(m.indices.subarray(m.indptr[u], m.indptr[u + 1]));
}

/**
 * Mean candidate recall@n for each n in `ns` over the users of `lists` that have relevant items
 * in `truth` (the others are skipped, as the evaluator skips them). n above the lists' width
 * counts the whole list. Keys are "recall@n".
 */
export function candidateRecall(
  lists: CandidateLists,
  truth: Csr,
  ns: readonly number[],
): Record<string, number> {
  const { users, width, items } = lists;
  if (items.length !== users.length * width)
    throw new RangeError(`${items.length} candidates for ${users.length} users x ${width}`);
  const sums = ns.map(() => 0);
  let counted = 0;
  for (let r = 0; r < users.length; r++) {
    const relevant = rowSet(truth, users[r]);
    if (relevant.size === 0) continue;
    counted++;
    const list = items.subarray(r * width, (r + 1) * width);
    ns.forEach((n, j) => (sums[j] += recallAtK(list, relevant, n)));
  }
  return Object.fromEntries(ns.map((n, j) => [`recall@${n}`, counted ? sums[j] / counted : 0]));
}

/**
 * The second stage's list: each user's candidates ordered by `scores` (one per candidate slot,
 * same layout as `items`), highest first, ties kept in the generator's order; -1 slots are
 * dropped and the first k kept, -1 padded. So the result is always a reordering of a subset of
 * the candidates.
 */
export function rerankCandidates(
  lists: CandidateLists,
  scores: Float32Array,
  k: number,
): Int32Array {
  const { users, width, items } = lists;
  if (scores.length !== items.length)
    throw new RangeError(`${scores.length} scores for ${items.length} candidate slots`);
  const out = new Int32Array(users.length * k).fill(-1);
  const order = new Int32Array(width);
  for (let r = 0; r < users.length; r++) {
    const at = r * width;
    let n = 0;
    for (let s = 0; s < width; s++) if (items[at + s] >= 0) order[n++] = s;
    // slot order breaks ties: the sort is stable
    const slots = Array.from(order.subarray(0, n)).sort((a, b) => scores[at + b] - scores[at + a]);
    for (let j = 0; j < Math.min(k, n); j++) out[r * k + j] = items[at + slots[j]];
  }
  return out;
}
