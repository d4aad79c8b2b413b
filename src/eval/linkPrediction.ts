/**
 * Link-prediction metrics of a knowledge-graph embedding: for each held-out edge (h, r, t) the
 * rank of t among the candidate tails by score, filtered (Bordes et al., NIPS 2013: the other
 * known true tails of (h, r) are not counted as ranked above t), summarised per relation as
 * MRR and Hits@k.
 */

/**
 * t's rank among the candidates: 1 + the candidates scoring above it + half of those tied
 * with it (the mean rank over the orders of the tie), leaving out the candidates `filtered`
 * says are other true tails. `scores[k]` is candidate k's score, `target` t's index in it.
 */
export function filteredRank(
  scores: ArrayLike<number>,
  target: number,
  filtered: (candidate: number) => boolean = () => false,
): number {
  const s = scores[target];
  let above = 0;
  let ties = 0;
  for (let k = 0; k < scores.length; k++) {
    if (k === target || filtered(k)) continue;
    if (scores[k] > s) above++;
    else if (scores[k] === s) ties++;
  }
  return 1 + above + ties / 2;
}

export interface RankSummary {
  readonly count: number;
  /** mean reciprocal rank */
  readonly mrr: number;
  /** hits@k: the share of ranks <= k */
  readonly hits: Readonly<Record<number, number>>;
}

export function summarizeRanks(ranks: readonly number[], ks: readonly number[]): RankSummary {
  const n = ranks.length;
  let rr = 0;
  const hit = ks.map(() => 0);
  for (const r of ranks) {
    rr += 1 / r;
    ks.forEach((k, j) => {
      if (r <= k) hit[j]++;
    });
  }
  const hits: Record<number, number> = {};
  ks.forEach((k, j) => (hits[k] = n > 0 ? hit[j] / n : 0));
  return { count: n, mrr: n > 0 ? rr / n : 0, hits };
}
