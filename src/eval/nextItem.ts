/**
 * Next-item evaluation (GRU4Rec, SR-GNN, RecBole's sequential models): each case is an input
 * sequence and the one item that came next; the scorer ranks every item after the input, and
 * the case's rank is where its target lands. Nothing is excluded (a session may repeat an
 * item), as in those papers' code. With one relevant item, Recall@K is the share of cases whose
 * target is in the top K (= HR@K, SR-GNN's P@20) and MRR@K the mean of 1/rank over them (0
 * beyond K).
 */
import type { NextItemCases, Sequences } from '../data/sequences.js';
import { metricKey, normalizeKs } from './keys.js';

export interface NextItemScorer {
  readonly nItems: number;
  /** Scores of every item after each input row in [from, to): out[(r - from) * nItems + i]. */
  scoreNext(inputs: Sequences, from: number, to: number, out: Float32Array): void | Promise<void>;
}

/**
 * 1-based rank of `target` in scores[at .. at + n): one more than the items scoring higher, and
 * than the lower ids scoring the same (the top-k rankers' tie order). A NaN score ranks last.
 */
export function targetRank(scores: Float32Array, at: number, n: number, target: number): number {
  const st = scores[at + target];
  if (Number.isNaN(st)) return n;
  let rank = 1;
  for (let j = 0; j < n; j++) {
    const s = scores[at + j];
    if (s > st || (s === st && j < target)) rank++;
  }
  return rank;
}

/** recall@K and mrr@K from the cases' ranks. */
export function nextItemMetrics(
  ranks: ArrayLike<number>,
  ks: readonly number[],
): Record<string, number> {
  const out: Record<string, number> = {};
  const n = Math.max(1, ranks.length);
  for (const k of normalizeKs(ks)) {
    let hits = 0;
    let rr = 0;
    for (let c = 0; c < ranks.length; c++)
      if (ranks[c] <= k) {
        hits++;
        rr += 1 / ranks[c];
      }
    out[metricKey('recall', k)] = hits / n;
    out[metricKey('mrr', k)] = rr / n;
  }
  return out;
}

export interface NextItemResult {
  readonly metrics: Record<string, number>;
  readonly ranks: Int32Array;
  readonly seconds: number;
}

/** Ranks every case's target over all items, `block` cases per scorer call. */
export async function evaluateNextItem(
  scorer: NextItemScorer,
  cases: NextItemCases,
  ks: readonly number[],
  block = 256,
): Promise<NextItemResult> {
  const t0 = performance.now();
  const n = cases.targets.length;
  const m = scorer.nItems;
  const ranks = new Int32Array(n);
  const scores = new Float32Array(Math.min(block, Math.max(1, n)) * m);
  for (let from = 0; from < n; from += block) {
    const to = Math.min(n, from + block);
    await scorer.scoreNext(cases.inputs, from, to, scores);
    for (let c = from; c < to; c++)
      ranks[c] = targetRank(scores, (c - from) * m, m, cases.targets[c]);
  }
  return {
    metrics: nextItemMetrics(ranks, ks),
    ranks,
    seconds: (performance.now() - t0) / 1000,
  };
}
