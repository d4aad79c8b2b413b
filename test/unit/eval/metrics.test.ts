import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/util/rng.js';
import {
  accuracyAtKs,
  averagePopularity,
  giniIndex,
  hitRateAtK,
  hitsAtK,
  itemCoverage,
  mapAtK,
  mrrAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  recommendationCounts,
  USER_METRICS,
  type RelevantSet,
} from '../../../src/eval/metrics.js';

const LOG2_3 = Math.log2(3); // 1/log2(3) = 0.6309297535714575 is the discount of rank 2
const close = (actual: number, expected: number, eps = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= eps, `${actual} != ${expected}`);
const list = (...ids: number[]): Int32Array => Int32Array.from(ids);
const rel = (...ids: number[]): Set<number> => new Set(ids);

type Fn = (l: Int32Array, r: RelevantSet, k: number) => number;
const ALL: Record<string, Fn> = {
  recall: recallAtK,
  ndcg: ndcgAtK,
  precision: precisionAtK,
  hit: hitRateAtK,
  mrr: mrrAtK,
  map: mapAtK,
};

function expectAll(
  l: Int32Array,
  r: RelevantSet,
  k: number,
  expected: Record<string, number>,
): void {
  for (const [name, value] of Object.entries(expected)) close(ALL[name](l, r, k), value);
}

test('two hits at ranks 1 and 3 of [4, 2, 1] with P = {1, 4}', () => {
  const l = list(4, 2, 1);
  const p = rel(1, 4);
  // K=3: hits 2; DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) over min(2,3) = 2
  // AP = (P@1 + P@3) / min(2, 3) = (1 + 2/3) / 2
  expectAll(l, p, 3, {
    recall: 1,
    precision: 2 / 3,
    hit: 1,
    mrr: 1,
    ndcg: 1.5 / (1 + 1 / LOG2_3),
    map: 5 / 6,
  });
  close(ndcgAtK(l, p, 3), 0.9197207891481876);
  // K=2: one hit; IDCG still over 2 items
  expectAll(l, p, 2, {
    recall: 0.5,
    precision: 0.5,
    hit: 1,
    mrr: 1,
    ndcg: 1 / (1 + 1 / LOG2_3),
    map: 0.5,
  });
  // K=1: IDCG over min(2, 1) = 1 item, so a hit at rank 1 is a perfect list
  expectAll(l, p, 1, { recall: 0.5, precision: 1, hit: 1, mrr: 1, ndcg: 1, map: 1 });
});

test('a user with one positive at rank 3', () => {
  const l = list(8, 2, 5, 1);
  const p = rel(5);
  // DCG = 1/log2(4) = 0.5, IDCG = 1; AP = P@3 / 1 = 1/3
  expectAll(l, p, 4, { recall: 1, precision: 0.25, hit: 1, mrr: 1 / 3, ndcg: 0.5, map: 1 / 3 });
  expectAll(l, p, 2, { recall: 0, precision: 0, hit: 0, mrr: 0, ndcg: 0, map: 0 });
});

test('-1 padding is never a hit, and precision divides by K', () => {
  const l = list(3, -1, -1);
  expectAll(l, rel(3, 7), 3, {
    recall: 0.5,
    precision: 1 / 3,
    hit: 1,
    mrr: 1,
    ndcg: 1 / (1 + 1 / LOG2_3),
    map: 0.5,
  });
  // -1 in the relevant set (it should never be) still does not count
  assert.equal(hitsAtK(list(-1, -1), rel(-1), 2), 0);
});

test('K larger than the list: missing ranks are misses, precision still divides by K', () => {
  const l = list(3, 7);
  // hit at rank 2: DCG = 1/log2(3), IDCG over min(1, 5) = 1 item
  expectAll(l, rel(7), 5, {
    recall: 1,
    precision: 1 / 5,
    hit: 1,
    mrr: 0.5,
    ndcg: 1 / LOG2_3,
    map: 0.5,
  });
});

test('no relevant items scores 0 everywhere', () => {
  expectAll(list(1, 2), rel(), 2, { recall: 0, precision: 0, hit: 0, mrr: 0, ndcg: 0, map: 0 });
});

/**
 * LightGCN-PyTorch utils.py, ported line by line over the 0/1 hit matrix r (users x K):
 *   RecallPrecision_ATk: right_pred = r[:, :k].sum(1); recall = sum(right_pred / |test_u|);
 *                        precision = sum(right_pred) / k
 *   NDCGatK_r:           idcg_u = sum over i < min(|test_u|, k) of 1/log2(i + 2);
 *                        dcg_u = sum over i < k of r[u, i] / log2(i + 2); ndcg = sum(dcg / idcg)
 * Both return sums over the batch; the caller divides by the number of test users.
 */
function lightGcnRecallPrecision(
  testData: number[][],
  r: number[][],
  k: number,
): { recall: number; precision: number } {
  let recall = 0;
  let right = 0;
  r.forEach((row, u) => {
    const hits = row.slice(0, k).reduce((a, b) => a + b, 0);
    recall += hits / testData[u].length;
    right += hits;
  });
  return { recall, precision: right / k };
}

function lightGcnNdcg(testData: number[][], r: number[][], k: number): number {
  let total = 0;
  r.forEach((row, u) => {
    const length = k <= testData[u].length ? k : testData[u].length;
    let idcg = 0;
    for (let i = 0; i < length; i++) idcg += 1 / Math.log2(i + 2);
    let dcg = 0;
    for (let i = 0; i < k; i++) dcg += row[i] / Math.log2(i + 2);
    if (idcg === 0) idcg = 1;
    total += dcg / idcg;
  });
  return total;
}

test('matches the LightGCN reference definitions on a hand-computed batch', () => {
  // user A: test {1, 4}, ranked [4, 2, 1] -> r = [1, 0, 1]
  //   recall 2/2 = 1, precision 2/3, DCG = 1 + 1/log2(4) = 1.5, IDCG = 1 + 1/log2(3) = 1.6309297535714575,
  //   NDCG = 0.9197207891481876
  // user B: test {7, 8, 9, 10}, ranked [5, 9, 6] -> r = [0, 1, 0]
  //   recall 1/4, precision 1/3, DCG = 1/log2(3) = 0.6309297535714575,
  //   IDCG over min(4, 3) = 3 ranks = 1 + 0.6309297535714575 + 0.5 = 2.1309297535714575, NDCG = 0.2960819109658652
  // batch means (sums / 2 users): recall 0.625, precision 0.5, NDCG 0.6079013500570264
  const testData = [
    [1, 4],
    [7, 8, 9, 10],
  ];
  const ranked = [list(4, 2, 1), list(5, 9, 6)];
  const r = [
    [1, 0, 1],
    [0, 1, 0],
  ];
  const ref = lightGcnRecallPrecision(testData, r, 3);
  close(ref.recall / 2, 0.625);
  close(ref.precision / 2, 0.5);
  close(lightGcnNdcg(testData, r, 3) / 2, 0.6079013500570264);

  const mean = (f: Fn): number =>
    (f(ranked[0], rel(...testData[0]), 3) + f(ranked[1], rel(...testData[1]), 3)) / 2;
  close(mean(recallAtK), 0.625);
  close(mean(precisionAtK), 0.5);
  close(mean(ndcgAtK), 0.6079013500570264);
  close(ndcgAtK(ranked[1], rel(...testData[1]), 3), 0.2960819109658652);
});

test('accuracyAtKs equals the single-metric functions at every K (random lists)', () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 300; trial++) {
    const nItems = 1 + rng.int(30);
    const width = 1 + rng.int(12);
    const l = new Int32Array(width);
    for (let i = 0; i < width; i++) l[i] = rng.next() < 0.15 ? -1 : rng.int(nItems);
    const p = new Set<number>();
    const nRel = rng.int(8);
    for (let i = 0; i < nRel; i++) p.add(rng.int(nItems));
    const ks = [...new Set([1 + rng.int(width + 3), 1 + rng.int(width + 3), width])].sort(
      (a, b) => a - b,
    );
    // embed the list at an offset, as the evaluator does
    const lists = new Int32Array(width * 3).fill(-7);
    lists.set(l, width);
    const out = accuracyAtKs(lists, width, width, p, ks);
    ks.forEach((k, j) =>
      USER_METRICS.forEach((name, m) =>
        close(out[j * USER_METRICS.length + m], ALL[name](l, p, k), 1e-12),
      ),
    );
  }
});

test('recommendation counts, coverage, average popularity and Gini by hand', () => {
  // three lists of width 3; nItems = 6; popularity [10, 5, 1, 1, 2, 0]
  const lists = list(0, 1, 2, 0, 1, 3, 0, 4, -1);
  const pop = Int32Array.of(10, 5, 1, 1, 2, 0);
  // K=2: counts [3, 2, 0, 0, 1, 0]; coverage 3/6; avgpop (30 + 10 + 2) / 6 slots = 7
  // Gini: ascending [0,0,0,1,2,3], total 6, weights 2i-n-1 = -5,-3,-1,1,3,5 -> (1 + 6 + 15) / (6 * 6)
  const c2 = recommendationCounts(lists, 3, 2, 6);
  assert.deepEqual([...c2], [3, 2, 0, 0, 1, 0]);
  close(itemCoverage(c2), 0.5);
  close(averagePopularity(c2, pop), 7);
  close(giniIndex(c2), 22 / 36);
  // K=3: counts [3, 2, 1, 1, 1, 0] (the -1 pad is not a slot); avgpop (30 + 10 + 1 + 1 + 2) / 8
  // Gini: ascending [0,1,1,1,2,3], total 8 -> (-3 - 1 + 1 + 6 + 15) / (6 * 8)
  const c3 = recommendationCounts(lists, 3, 3, 6);
  assert.deepEqual([...c3], [3, 2, 1, 1, 1, 0]);
  close(itemCoverage(c3), 5 / 6);
  close(averagePopularity(c3, pop), 5.5);
  close(giniIndex(c3), 18 / 48);
});

test('Gini is 0 for equal counts and (n-1)/n when one item takes every slot', () => {
  close(giniIndex(Int32Array.of(4, 4, 4, 4)), 0);
  close(giniIndex(Int32Array.of(0, 0, 9, 0)), 3 / 4);
  close(giniIndex(new Int32Array(5)), 0);
  close(itemCoverage(new Int32Array(0)), 0);
  close(averagePopularity(new Int32Array(3), [1, 2, 3]), 0);
});
