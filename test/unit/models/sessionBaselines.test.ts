import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sequencesOf } from '../../../src/data/sequences.js';
import { evaluateNextItem } from '../../../src/eval/nextItem.js';
import { popularityScorer, sessionItemKnnScorer } from '../../../src/models/sessionBaselines.js';

// sessions over items 0..4: 0 and 1 co-occur twice, 1 and 2 once; 3 is the most viewed
const train = sequencesOf([
  [0, 1],
  [1, 0, 3],
  [1, 2],
  [3, 3, 4],
]);

test('session item-kNN: neighbours of the last item by cosine, then the rest by popularity', async () => {
  const knn = sessionItemKnnScorer(train, 5);
  const cases = { inputs: sequencesOf([[2, 0], [4], [2]]), targets: Int32Array.from([1, 3, 1]) };
  // after 0: C[0,1] = 2, C[0,3] = 1; d_0 = 1 + 2 = 3, d_1 = 1 + 2 + 1 = 4, d_3 = 2 + 1 = 3 (repeats count once):
  // 1 scores 2/sqrt(12) > 3 scores 1/sqrt(9): item 1 is first
  // after 4: only 3 co-occurs with it: rank 1; after 2: only 1
  const r = await evaluateNextItem(knn, cases, [1]);
  assert.deepEqual(Array.from(r.ranks), [1, 1, 1]);
  const scores = new Float32Array(5);
  knn.scoreNext(sequencesOf([[0]]), 0, 1, scores);
  assert.ok(Math.abs(scores[1] - (1 + 2 / Math.sqrt(12))) < 1e-6);
  assert.ok(Math.abs(scores[3] - (1 + 1 / 3)) < 1e-6);
  // the rest by event count (item 2: 1 view, 4: 1 view) below 1
  assert.ok(scores[2] < 1 && scores[2] > 0);
});

test('popularity: every input gets the training event counts', async () => {
  const pop = popularityScorer(train, 5);
  const r = await evaluateNextItem(
    pop,
    { inputs: sequencesOf([[0], [4]]), targets: Int32Array.from([1, 3]) },
    [1],
  );
  // counts: 0: 2, 1: 3, 2: 1, 3: 3, 4: 1 -> 1 and 3 tie, the lower id first
  assert.deepEqual(Array.from(r.ranks), [1, 2]);
});

test('session item-kNN with repeatLast: the last item first, then its neighbours', async () => {
  const knn = sessionItemKnnScorer(train, 5, 100, true);
  const r = await evaluateNextItem(
    knn,
    { inputs: sequencesOf([[0]]), targets: Int32Array.from([0]) },
    [1],
  );
  assert.deepEqual(Array.from(r.ranks), [1]);
});
