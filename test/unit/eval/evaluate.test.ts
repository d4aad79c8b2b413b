import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Csr } from '../../../src/data/types.js';
import { evaluate } from '../../../src/eval/evaluate.js';
import { METRICS, metricKey, parseKs, parseMetricKey } from '../../../src/eval/keys.js';
import { ScoreFnRanker, type TopKRanker } from '../../../src/eval/ranking.js';
import { InputError } from '../../../src/util/errors.js';

const close = (actual: number, expected: number, what = ''): void =>
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: ${actual} != ${expected}`);
const csr = (nRows: number, nCols: number, rows: number[][]): Csr =>
  buildCsr(
    nRows,
    nCols,
    Int32Array.from(rows.flatMap((items, u) => items.map(() => u))),
    Int32Array.from(rows.flat()),
  );

/**
 * 4 users x 6 items, scores fixed:
 *   user 0: train {0}, test {2, 5}; scores [.9 .8 .8 .1 .5 0] -> item 0 excluded, 1 and 2 tie
 *           (lower id first): top-3 [1, 2, 4], one hit at rank 2
 *   user 1: train {1}, test {} -> skipped
 *   user 2: train {}, test {3}; all scores 0 -> top-3 [0, 1, 2], no hit
 *   user 3: train {0..4}, test {5} -> only item 5 is eligible: [5, -1, -1], a hit at rank 1
 */
const SCORES = [
  [0.9, 0.8, 0.8, 0.1, 0.5, 0],
  [1, 1, 1, 1, 1, 1],
  [0, 0, 0, 0, 0, 0],
  [6, 5, 4, 3, 2, 1],
];
const train = csr(4, 6, [[0], [1], [], [0, 1, 2, 3, 4]]);
const test_ = csr(4, 6, [[2, 5], [], [3], [5]]);
const ranker = (): TopKRanker =>
  new ScoreFnRanker((users, out) => users.forEach((u, r) => out.set(SCORES[u], r * 6)), 6);

test('evaluate: every metric at every K, by hand', async () => {
  const progress: [number, number][] = [];
  const r = await evaluate({
    ranker: ranker(),
    train,
    test: test_,
    ks: [3, 1, 3],
    userBlock: 2,
    onProgress: (d, t) => progress.push([d, t]),
  });
  assert.equal(r.users, 3);
  assert.deepEqual(progress, [
    [0, 3],
    [2, 3],
    [3, 3],
  ]);
  const m = r.metrics;
  // K=1: only user 3 hits (rank 1, |P| = 1): every accuracy metric is 1/3
  for (const name of ['recall', 'ndcg', 'precision', 'hit', 'mrr', 'map'] as const)
    close(m[metricKey(name, 1)], 1 / 3, name);
  // K=3: user 0 recall 1/2, precision 1/3, NDCG (1/log2 3) / (1 + 1/log2 3), MRR 1/2, AP (1/2) / 2;
  //      user 3 recall 1, precision 1/3, NDCG 1, MRR 1, AP 1; user 2 all 0
  const d2 = 1 / Math.log2(3);
  close(m['recall@3'], (0.5 + 1) / 3, 'recall@3');
  close(m['precision@3'], 2 / 9, 'precision@3');
  close(m['ndcg@3'], (d2 / (1 + d2) + 1) / 3, 'ndcg@3');
  close(m['hit@3'], 2 / 3, 'hit@3');
  close(m['mrr@3'], 0.5, 'mrr@3');
  close(m['map@3'], 5 / 12, 'map@3');
  // popularity counted from train: [2, 2, 1, 1, 1, 0]
  // K=1 lists [1], [0], [5]: counts [1,1,0,0,0,1]; avgpop (2 + 2 + 0) / 3; Gini 9 / (6 * 3)
  close(m['coverage@1'], 0.5, 'coverage@1');
  close(m['avgpop@1'], 4 / 3, 'avgpop@1');
  close(m['gini@1'], 0.5, 'gini@1');
  // K=3 lists [1,2,4], [0,1,2], [5]: counts [1,2,2,0,1,1]; avgpop 9 / 7 slots;
  // Gini: ascending [0,1,1,1,2,2], total 7 -> (-3 - 1 + 1 + 6 + 10) / (6 * 7)
  close(m['coverage@3'], 5 / 6, 'coverage@3');
  close(m['avgpop@3'], 9 / 7, 'avgpop@3');
  close(m['gini@3'], 13 / 42, 'gini@3');
  assert.equal(Object.keys(m).length, 2 * METRICS.length);
  assert.ok(r.seconds >= 0);
});

test('evaluate: excluded items are never recommended; [train, valid] exclusion and per-user values', async () => {
  const valid = csr(4, 6, [[], [], [0, 1], []]);
  const seen: Int32Array[] = [];
  const base = ranker();
  const spy: TopKRanker = {
    topK: async (users, k, exclude) => {
      const lists = await base.topK(users, k, exclude);
      seen.push(lists);
      return lists;
    },
  };
  const r = await evaluate({
    ranker: spy,
    train,
    test: test_,
    exclude: [train, valid],
    ks: [3],
    perUser: true,
  });
  // user 2 now gets [2, 3, 4]: a hit at rank 2 -> recall 1, NDCG 1/log2(3)
  assert.deepEqual([...seen[0]], [1, 2, 4, 2, 3, 4, 5, -1, -1]);
  assert.ok(r.perUser);
  assert.deepEqual([...r.perUser.users], [0, 2, 3]);
  assert.deepEqual([...r.perUser.values['recall@3']], [0.5, 1, 1]);
  assert.deepEqual(
    [...r.perUser.values['ndcg@3']],
    [Math.fround(0.38685280723454163), Math.fround(1 / Math.log2(3)), 1],
  );
  close(r.metrics['recall@3'], 2.5 / 3);
});

test('evaluate: itemPopularity overrides train counts; no test users gives zeros, not NaN', async () => {
  const r = await evaluate({
    ranker: ranker(),
    train,
    test: test_,
    ks: [1],
    itemPopularity: Int32Array.of(0, 10, 20, 0, 0, 30),
  });
  close(r.metrics['avgpop@1'], (10 + 0 + 30) / 3);
  const empty = await evaluate({
    ranker: ranker(),
    train,
    test: csr(4, 6, [[], [], [], []]),
    ks: [5],
  });
  assert.equal(empty.users, 0);
  for (const v of Object.values(empty.metrics)) assert.equal(v, 0);
});

test('evaluate: rejects bad inputs and honours an abort signal', async () => {
  await assert.rejects(
    evaluate({ ranker: ranker(), train, test: csr(4, 7, [[6]]), ks: [1] }),
    /share one id space/,
  );
  await assert.rejects(evaluate({ ranker: ranker(), train, test: test_, ks: [] }), InputError);
  await assert.rejects(evaluate({ ranker: ranker(), train, test: test_, ks: [0] }), InputError);
  const liar: TopKRanker = { topK: async () => new Int32Array(1) };
  await assert.rejects(
    evaluate({ ranker: liar, train, test: test_, ks: [2] }),
    /ranker returned 1 ids/,
  );
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    evaluate({ ranker: ranker(), train, test: test_, ks: [1], signal: ac.signal }),
    { name: 'AbortError' },
  );
});

test('parseKs and metric keys', () => {
  assert.deepEqual(parseKs('20, 10,20'), [10, 20]);
  assert.throws(() => parseKs('10,x'), InputError);
  assert.throws(() => parseKs('0'), InputError);
  assert.throws(() => parseKs(''), InputError);
  assert.deepEqual(parseMetricKey('ndcg@20'), { name: 'ndcg', k: 20 });
  assert.equal(parseMetricKey('loss@20'), undefined);
  assert.equal(parseMetricKey('recall@0'), undefined);
  assert.deepEqual(METRICS, [
    'recall',
    'ndcg',
    'precision',
    'hit',
    'mrr',
    'map',
    'coverage',
    'avgpop',
    'gini',
  ]);
});
