/**
 * Ranking metrics as pure functions. Per user: over one ranked list (item ids, best first,
 * -1 padded) and that user's relevant items. Per run: over how often each item was
 * recommended. Definitions follow the LightGCN reference code and RecBole:
 *
 *   recall@K    = hits@K / |P|
 *   precision@K = hits@K / K               (K, not the list length, as LightGCN's utils.py)
 *   ndcg@K      = DCG@K / IDCG@K, binary gains, discount 1/log2(rank+1), IDCG over min(|P|, K)
 *   hit@K       = 1 if any hit in the top K
 *   mrr@K       = 1 / rank of the first hit within K, else 0
 *   map@K       = sum over hit ranks r <= K of precision@r, / min(|P|, K)
 *   coverage@K  = distinct recommended items / nItems
 *   avgpop@K    = mean training popularity over all recommended slots
 *   gini@K      = Gini index of recommendation counts over all items (unrecommended count 0)
 *
 * A user with no relevant items scores 0 everywhere; the evaluator skips such users.
 */

/** A user's relevant items: anything with has() and size, e.g. a Set<number>. */
export interface RelevantSet {
  readonly size: number;
  has(item: number): boolean;
}

/** The per-user metrics, in the order accuracyAtKs writes them. */
export const USER_METRICS = ['recall', 'ndcg', 'precision', 'hit', 'mrr', 'map'] as const;
export type UserMetric = (typeof USER_METRICS)[number];

/** The per-run metrics computed from recommendation counts. */
export const LIST_METRICS = ['coverage', 'avgpop', 'gini'] as const;
export type ListMetric = (typeof LIST_METRICS)[number];

/** 1 / log2(rank + 1) for a 1-based rank, i.e. 1 / log2(i + 2) for 0-based position i. */
export function discount(position: number): number {
  return 1 / Math.log2(position + 2);
}

/** Number of relevant items among the first k entries of the list. */
export function hitsAtK(list: Int32Array, relevant: RelevantSet, k: number): number {
  let hits = 0;
  for (let i = 0, n = Math.min(k, list.length); i < n; i++) if (isHit(list[i], relevant)) hits++;
  return hits;
}

export function recallAtK(list: Int32Array, relevant: RelevantSet, k: number): number {
  return relevant.size === 0 ? 0 : hitsAtK(list, relevant, k) / relevant.size;
}

export function precisionAtK(list: Int32Array, relevant: RelevantSet, k: number): number {
  return relevant.size === 0 || k === 0 ? 0 : hitsAtK(list, relevant, k) / k;
}

export function hitRateAtK(list: Int32Array, relevant: RelevantSet, k: number): number {
  return hitsAtK(list, relevant, k) > 0 ? 1 : 0;
}

export function ndcgAtK(list: Int32Array, relevant: RelevantSet, k: number): number {
  let dcg = 0;
  for (let i = 0, n = Math.min(k, list.length); i < n; i++)
    if (isHit(list[i], relevant)) dcg += discount(i);
  const idcg = idealDcg(Math.min(relevant.size, k));
  return idcg === 0 ? 0 : dcg / idcg;
}

export function mrrAtK(list: Int32Array, relevant: RelevantSet, k: number): number {
  for (let i = 0, n = Math.min(k, list.length); i < n; i++)
    if (isHit(list[i], relevant)) return 1 / (i + 1);
  return 0;
}

export function mapAtK(list: Int32Array, relevant: RelevantSet, k: number): number {
  const denom = Math.min(relevant.size, k);
  if (denom === 0) return 0;
  let hits = 0;
  let sum = 0;
  for (let i = 0, n = Math.min(k, list.length); i < n; i++) {
    if (!isHit(list[i], relevant)) continue;
    hits++;
    sum += hits / (i + 1);
  }
  return sum / denom;
}

/** DCG of a list whose first n entries are all hits. */
export function idealDcg(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += discount(i);
  return s;
}

/**
 * Every per-user metric at every cut-off in one pass over the list: list[at .. at+width) is the
 * user's ranking and `ks` ascending cut-offs. Writes out[j * 6 + m] for ks[j] and
 * USER_METRICS[m]; equal to calling the single-metric functions on each K.
 */
export function accuracyAtKs(
  list: Int32Array,
  at: number,
  width: number,
  relevant: RelevantSet,
  ks: readonly number[],
  out: Float64Array = new Float64Array(ks.length * USER_METRICS.length),
): Float64Array {
  const nRel = relevant.size;
  const nm = USER_METRICS.length;
  out.fill(0, 0, ks.length * nm);
  if (nRel === 0) return out;
  let hits = 0;
  let dcg = 0;
  let idcg = 0;
  let apSum = 0;
  let firstHit = 0;
  let j = 0;
  const maxK = ks.length > 0 ? ks[ks.length - 1] : 0;
  for (let i = 0; i < maxK && j < ks.length; i++) {
    if (i < width && isHit(list[at + i], relevant)) {
      hits++;
      dcg += discount(i);
      apSum += hits / (i + 1);
      if (firstHit === 0) firstHit = i + 1;
    }
    if (i < nRel) idcg += discount(i);
    // Record every cut-off that ends at rank i + 1 (ks may repeat).
    while (j < ks.length && ks[j] === i + 1) {
      const k = ks[j];
      const o = j * nm;
      out[o] = hits / nRel;
      out[o + 1] = dcg / idcg;
      out[o + 2] = hits / k;
      out[o + 3] = hits > 0 ? 1 : 0;
      out[o + 4] = firstHit > 0 ? 1 / firstHit : 0;
      out[o + 5] = apSum / Math.min(nRel, k);
      j++;
    }
  }
  return out;
}

function isHit(item: number, relevant: RelevantSet): boolean {
  return item >= 0 && relevant.has(item);
}

/**
 * How many times each item appears in the first k entries of each list; `lists` holds
 * lists.length / width lists of `width` ids each. Adds into `into` when given.
 */
export function recommendationCounts(
  lists: Int32Array,
  width: number,
  k: number,
  nItems: number,
  into: Int32Array = new Int32Array(nItems),
): Int32Array {
  const n = Math.min(k, width);
  for (let at = 0; at + width <= lists.length; at += width)
    for (let i = 0; i < n; i++) {
      const item = lists[at + i];
      if (item >= 0 && item < nItems) into[item]++;
    }
  return into;
}

/** Share of the catalogue (counts.length items) recommended at least once. */
export function itemCoverage(counts: Int32Array): number {
  if (counts.length === 0) return 0;
  let distinct = 0;
  for (const c of counts) if (c > 0) distinct++;
  return distinct / counts.length;
}

/** Mean popularity of the recommended items, weighted by how often each was recommended. */
export function averagePopularity(counts: Int32Array, popularity: ArrayLike<number>): number {
  let slots = 0;
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    slots += counts[i];
    sum += counts[i] * popularity[i];
  }
  return slots === 0 ? 0 : sum / slots;
}

/**
 * Gini index of the counts, items never recommended included as zeros (as RecBole's
 * GiniIndex): sum over ascending counts c_(i), i = 1..n, of (2i - n - 1) c_(i) / (n sum c).
 * 0 when every item is recommended equally often, (n - 1) / n when one item takes every slot.
 */
export function giniIndex(counts: Int32Array): number {
  const n = counts.length;
  const sorted = Int32Array.from(counts).sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    weighted += (2 * (i + 1) - n - 1) * sorted[i];
  }
  return total === 0 ? 0 : weighted / (n * total);
}
