/**
 * Full-ranking evaluation: rank every test user once at the largest cut-off, in blocks, and
 * compute every metric at every cut-off from that one list.
 */
import type { Csr } from '../data/types.js';
import { RecLabError } from '../util/errors.js';
import { metricKey, normalizeKs } from './keys.js';
import {
  accuracyAtKs,
  averagePopularity,
  giniIndex,
  itemCoverage,
  USER_METRICS,
  type RelevantSet,
} from './metrics.js';
import type { TopKRanker } from './ranking.js';

export interface EvaluateOptions {
  readonly ranker: TopKRanker;
  /** user -> items the model was trained on: the default exclusion and popularity source */
  readonly train: Csr;
  /** user -> held-out items; users with an empty row are skipped */
  readonly test: Csr;
  /** items never to recommend, per user: [train] by default, [train, valid] when testing after validation */
  readonly exclude?: readonly Csr[];
  /** cut-offs, e.g. [10, 20] */
  readonly ks: readonly number[];
  /** training interactions per item, for avgpop@K; counted from `train` when absent */
  readonly itemPopularity?: ArrayLike<number>;
  /** users per ranker call (default 1024): progress and cancellation happen between blocks */
  readonly userBlock?: number;
  /** also return recall@K and ndcg@K per evaluated user */
  readonly perUser?: boolean;
  readonly signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export interface PerUserMetrics {
  /** evaluated users, ascending */
  readonly users: Int32Array;
  /** 'recall@K' and 'ndcg@K' for every K: one value per entry of `users` */
  readonly values: Record<string, Float32Array>;
}

export interface EvalResult {
  /** 'recall@20' -> mean over evaluated users (list metrics: over all their recommendations) */
  readonly metrics: Record<string, number>;
  /** users evaluated: those with at least one test item */
  readonly users: number;
  readonly seconds: number;
  readonly perUser?: PerUserMetrics;
}

const DEFAULT_USER_BLOCK = 1024;

export async function evaluate(o: EvaluateOptions): Promise<EvalResult> {
  const t0 = performance.now();
  const ks = normalizeKs(o.ks);
  const maxK = ks[ks.length - 1];
  const nItems = o.train.nCols;
  const exclude = o.exclude ?? [o.train];
  checkShapes(o.test, exclude, nItems);
  const popularity = o.itemPopularity ?? columnCounts(o.train);
  if (popularity.length < nItems)
    throw new RecLabError(`itemPopularity has ${popularity.length} entries for ${nItems} items`);
  const block = o.userBlock ?? DEFAULT_USER_BLOCK;
  if (!Number.isInteger(block) || block < 1)
    throw new RangeError(`userBlock must be a positive integer, got ${block}`);

  const users = usersWithTestItems(o.test);
  const nm = USER_METRICS.length;
  const sums = new Float64Array(ks.length * nm);
  const userRow = new Float64Array(ks.length * nm);
  const counts = ks.map(() => new Int32Array(nItems));
  const perUser = o.perUser ? perUserArrays(ks, users.length) : undefined;
  const relevant = new StampSet(nItems);

  o.onProgress?.(0, users.length);
  for (let from = 0; from < users.length; from += block) {
    o.signal?.throwIfAborted();
    // A copy: a ranker may transfer the array to its workers.
    const batch = users.slice(from, Math.min(users.length, from + block));
    const lists = await o.ranker.topK(batch, maxK, exclude);
    if (lists.length !== batch.length * maxK)
      throw new RecLabError(
        `ranker returned ${lists.length} ids for ${batch.length} users x ${maxK}`,
      );
    for (let b = 0; b < batch.length; b++) {
      const u = batch[b];
      const at = b * maxK;
      relevant.reset(o.test, u);
      accuracyAtKs(lists, at, maxK, relevant, ks, userRow);
      for (let x = 0; x < sums.length; x++) sums[x] += userRow[x];
      if (perUser)
        for (let j = 0; j < ks.length; j++) {
          perUser.recall[j][from + b] = userRow[j * nm];
          perUser.ndcg[j][from + b] = userRow[j * nm + 1];
        }
      countRecommendations(lists, at, ks, nItems, counts);
    }
    o.onProgress?.(from + batch.length, users.length);
  }

  const metrics: Record<string, number> = {};
  ks.forEach((k, j) => {
    USER_METRICS.forEach((name, m) => {
      metrics[metricKey(name, k)] = users.length === 0 ? 0 : sums[j * nm + m] / users.length;
    });
    metrics[metricKey('coverage', k)] = itemCoverage(counts[j]);
    metrics[metricKey('avgpop', k)] = averagePopularity(counts[j], popularity);
    metrics[metricKey('gini', k)] = giniIndex(counts[j]);
  });
  const seconds = (performance.now() - t0) / 1000;
  const result: EvalResult = { metrics, users: users.length, seconds };
  if (!perUser) return result;
  const values: Record<string, Float32Array> = {};
  ks.forEach((k, j) => {
    values[metricKey('recall', k)] = perUser.recall[j];
    values[metricKey('ndcg', k)] = perUser.ndcg[j];
  });
  return { ...result, perUser: { users, values } };
}

/**
 * A user's test items as a set over dense ids, rebuilt per user without allocating: an item
 * is in the set when its stamp equals the current one. Duplicate test entries count once.
 */
class StampSet implements RelevantSet {
  private readonly stamps: Int32Array;
  private current = 0;
  size = 0;

  constructor(nItems: number) {
    this.stamps = new Int32Array(nItems);
  }

  reset(m: Csr, row: number): void {
    this.current++;
    this.size = 0;
    for (let p = m.indptr[row], e = m.indptr[row + 1]; p < e; p++) {
      const item = m.indices[p];
      if (this.stamps[item] === this.current) continue;
      this.stamps[item] = this.current;
      this.size++;
    }
  }

  has(item: number): boolean {
    return this.stamps[item] === this.current;
  }
}

/** Adds the user's list (lists[at .. at+maxK)) to the recommendation counts of every K. */
function countRecommendations(
  lists: Int32Array,
  at: number,
  ks: readonly number[],
  nItems: number,
  counts: Int32Array[],
): void {
  let j = 0;
  const maxK = ks[ks.length - 1];
  for (let i = 0; i < maxK; i++) {
    while (ks[j] <= i) j++;
    const item = lists[at + i];
    if (item < 0 || item >= nItems) continue;
    for (let q = j; q < ks.length; q++) counts[q][item]++;
  }
}

function usersWithTestItems(test: Csr): Int32Array {
  let n = 0;
  for (let u = 0; u < test.nRows; u++) if (test.indptr[u + 1] > test.indptr[u]) n++;
  const users = new Int32Array(n);
  n = 0;
  for (let u = 0; u < test.nRows; u++) if (test.indptr[u + 1] > test.indptr[u]) users[n++] = u;
  return users;
}

function columnCounts(m: Csr): Int32Array {
  const c = new Int32Array(m.nCols);
  for (const i of m.indices) if (i >= 0 && i < m.nCols) c[i]++;
  return c;
}

function checkShapes(test: Csr, exclude: readonly Csr[], nItems: number): void {
  if (test.nCols !== nItems)
    throw new RecLabError(
      `test has ${test.nCols} items, train ${nItems}: both must share one id space`,
    );
  for (const i of test.indices)
    if (!(i >= 0 && i < nItems))
      throw new RecLabError(`test item id ${i} out of range [0, ${nItems})`);
  for (const m of exclude)
    if (m.nCols !== nItems)
      throw new RecLabError(`an exclusion matrix has ${m.nCols} items, train ${nItems}`);
}

function perUserArrays(
  ks: readonly number[],
  n: number,
): { recall: Float32Array[]; ndcg: Float32Array[] } {
  return { recall: ks.map(() => new Float32Array(n)), ndcg: ks.map(() => new Float32Array(n)) };
}
