/**
 * What the two-stage MLP ranker learns from, without leakage: a slice of each user's training
 * items is held out as labels, the generator is fit on the rest, and its candidates for the rest
 * are the examples (a held-out item among them is a positive, any other candidate a negative).
 * The features of a candidate (its generator rank, its popularity, its user's activity) are
 * computed from the kept part only, as at serving time they are computed from the whole
 * training set: the labels never inform the features they are learned from, and neither the
 * validation nor the test part is read at all.
 */
import { buildCsr, idCounts, rowDegrees } from '../data/csr.js';
import type { Csr, Interactions } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import type { CandidateLists } from '../eval/stages.js';

/** Features per candidate slot, in this order (see candidateFeatures). */
export const CANDIDATE_FEATURES = ['rankDiscount', 'rankShare', 'itemPopularity', 'userActivity'];

/** Each user's training items split into kept (fit the generator) and labels (train the ranker). */
export interface LabelSplit {
  readonly kept: Interactions;
  /** user -> held-out items */
  readonly labels: Csr;
}

/**
 * Holds out round(share * degree) of each user's distinct items (at least 1, at most degree - 1:
 * a user keeps some history and users with one item keep it), chosen at random.
 */
export function holdOutLabels(train: Csr, share: number, rng: Rng): LabelSplit {
  if (!(share > 0 && share < 1)) throw new RangeError(`label share ${share} not in (0, 1)`);
  const keptU: number[] = [];
  const keptI: number[] = [];
  const labelU: number[] = [];
  const labelI: number[] = [];
  for (let u = 0; u < train.nRows; u++) {
    const items = Array.from(new Set(train.indices.subarray(train.indptr[u], train.indptr[u + 1])));
    const held =
      items.length < 2
        ? 0
        : Math.min(items.length - 1, Math.max(1, Math.round(share * items.length)));
    rng.shuffle(items);
    items.forEach((i, k) => {
      (k < held ? labelU : keptU).push(u);
      (k < held ? labelI : keptI).push(i);
    });
  }
  const nUsers = train.nRows;
  const nItems = train.nCols;
  return {
    kept: { nUsers, nItems, users: Int32Array.from(keptU), items: Int32Array.from(keptI) },
    labels: buildCsr(nUsers, nItems, Int32Array.from(labelU), Int32Array.from(labelI)),
  };
}

/** The count statistics the features scale: training interactions per item and per user. */
export interface FeatureStats {
  readonly itemCounts: Int32Array;
  readonly userCounts: Int32Array;
  readonly logMaxItem: number;
  readonly logMaxUser: number;
  /** the pipeline's candidate count, which scales the rank */
  readonly n: number;
}

export function featureStats(train: Csr, n: number): FeatureStats {
  const itemCounts = idCounts(train.nCols, train.indices);
  const userCounts = rowDegrees(train);
  const max = (a: Int32Array) => a.reduce((m, v) => Math.max(m, v), 0);
  return {
    itemCounts,
    userCounts,
    logMaxItem: Math.log1p(max(itemCounts)) || 1,
    logMaxUser: Math.log1p(max(userCounts)) || 1,
    n,
  };
}

/**
 * Features of candidate slots [from, to) of `lists` into `out` (row-major, 4 per slot):
 * 1 / log2(rank + 2) and rank / n (the generator's rank, 0-based: the TopKRanker contract gives
 * the order, not the generator's scores), log(1 + item count) and log(1 + user count), each
 * over its maximum. A -1 slot gets zeros.
 */
export function candidateFeatures(
  lists: CandidateLists,
  stats: FeatureStats,
  from: number,
  to: number,
  out: Float32Array,
): void {
  const f = CANDIDATE_FEATURES.length;
  for (let s = from; s < to; s++) {
    const o = (s - from) * f;
    const item = lists.items[s];
    if (item < 0) {
      out.fill(0, o, o + f);
      continue;
    }
    const rank = s % lists.width;
    const user = lists.users[Math.floor(s / lists.width)];
    out[o] = 1 / Math.log2(rank + 2);
    out[o + 1] = rank / stats.n;
    out[o + 2] = Math.log1p(stats.itemCounts[item]) / stats.logMaxItem;
    out[o + 3] = Math.log1p(stats.userCounts[user]) / stats.logMaxUser;
  }
}

/** The positives of the training candidates: slots whose item is one of its user's labels. */
export interface CandidateExamples {
  readonly lists: CandidateLists;
  /** candidate slots holding a label, in slot order */
  readonly positives: Int32Array;
  /** per list row: its valid slots that are not labels (negatives), offsets into negSlots */
  readonly negStart: Int32Array;
  readonly negSlots: Int32Array;
}

export function candidateExamples(lists: CandidateLists, labels: Csr): CandidateExamples {
  const { users, width, items } = lists;
  const pos: number[] = [];
  const neg: number[] = [];
  const negStart = new Int32Array(users.length + 1);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const held = new Set(labels.indices.subarray(labels.indptr[u], labels.indptr[u + 1]));
    for (let s = r * width; s < (r + 1) * width; s++) {
      if (items[s] < 0) continue;
      (held.has(items[s]) ? pos : neg).push(s);
    }
    negStart[r + 1] = neg.length;
  }
  return { lists, positives: Int32Array.from(pos), negStart, negSlots: Int32Array.from(neg) };
}

/**
 * One epoch's (positive slot, negative slot) pairs: the positives of rows that have a negative,
 * shuffled, each with `negatives` negatives of its own row drawn uniformly.
 */
export function samplePairs(
  ex: CandidateExamples,
  negatives: number,
  rng: Rng,
): { pos: Int32Array; neg: Int32Array } {
  const { width } = ex.lists;
  const usable = Array.from(ex.positives).filter((s) => {
    const r = Math.floor(s / width);
    return ex.negStart[r + 1] > ex.negStart[r];
  });
  rng.shuffle(usable);
  const pos = new Int32Array(usable.length * negatives);
  const neg = new Int32Array(usable.length * negatives);
  usable.forEach((s, q) => {
    const r = Math.floor(s / width);
    const a = ex.negStart[r];
    const n = ex.negStart[r + 1] - a;
    for (let j = 0; j < negatives; j++) {
      pos[q * negatives + j] = s;
      neg[q * negatives + j] = ex.negSlots[a + rng.int(n)];
    }
  });
  return { pos, neg };
}
