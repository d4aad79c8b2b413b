import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import { Rng } from '../../../src/util/rng.js';
import { maskExcluded, selectTopK, TopKScratch } from '../../../src/eval/topk.js';

function top(scores: number[], k: number): number[] {
  const out = new Int32Array(k).fill(99);
  selectTopK(Float32Array.from(scores), 0, scores.length, k, out, 0);
  return [...out];
}

/** Reference: sort all eligible items by (score desc, id asc). */
function bruteTop(scores: Float32Array, k: number): number[] {
  const ids = [...scores.keys()].filter((i) => scores[i] > -Infinity);
  ids.sort((a, b) => scores[b] - scores[a] || a - b);
  return Array.from({ length: k }, (_, r) => ids[r] ?? -1);
}

test('best first; equal scores go to the lower id', () => {
  assert.deepEqual(top([0.5, 1, 1, 0.5, 0], 5), [1, 2, 0, 3, 4]);
  assert.deepEqual(top([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 3), [0, 1, 2]);
  assert.deepEqual(top([1, 2, 2, 2, 1, 2], 2), [1, 2]);
});

test('a full heap evicts the tied worst entry with the higher id', () => {
  // 5(0) 4(3) 3(1) 3(2) 3(4): item 3 must push out item 2, not item 1
  assert.deepEqual(top([5, 3, 3, 4, 3], 3), [0, 3, 1]);
  assert.deepEqual(top([5, 3, 3, 4, 3], 2), [0, 3]);
});

test('-1 pads when fewer than k items are eligible; -Infinity and NaN are not eligible', () => {
  assert.deepEqual(top([2, 1], 4), [0, 1, -1, -1]);
  assert.deepEqual(top([-Infinity, 3, NaN, -Infinity], 3), [1, -1, -1]);
  assert.deepEqual(top([], 2), [-1, -1]);
  assert.deepEqual(top([1, 2], 0), []);
  // very negative but finite scores are still eligible
  assert.deepEqual(top([-1e30, -3e38], 3), [0, 1, -1]);
});

test('selects from an offset row into an offset slot, reusing one scratch', () => {
  const scores = Float32Array.of(9, 9, 9, /* row */ 1, 3, 2, /* after */ 9);
  const out = new Int32Array(5).fill(7);
  const scratch = new TopKScratch(4);
  selectTopK(scores, 3, 3, 2, out, 2, scratch);
  assert.deepEqual([...out], [7, 7, 1, 2, 7]);
  assert.throws(() => selectTopK(scores, 0, 3, 5, out, 0, scratch), RangeError);
});

test('equals a full sort on random rows with many ties and excluded items', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 500; trial++) {
    const n = rng.int(trial % 2 === 0 ? 60 : 400);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) scores[i] = rng.next() < 0.1 ? -Infinity : rng.int(6) - 2;
    const k = rng.int(n + 5);
    const out = new Int32Array(k);
    selectTopK(scores, 0, n, k, out, 0);
    assert.deepEqual([...out], bruteTop(scores, k), `n=${n} k=${k} scores=${[...scores]}`);
  }
});

test('ascending and descending rows (every item enters the heap, or none after the first k)', () => {
  const n = 103;
  const up = Float32Array.from({ length: n }, (_, i) => i);
  const down = Float32Array.from({ length: n }, (_, i) => n - i);
  for (const k of [1, 7, 20, n]) {
    const out = new Int32Array(k);
    selectTopK(up, 0, n, k, out, 0);
    assert.deepEqual([...out], bruteTop(up, k));
    selectTopK(down, 0, n, k, out, 0);
    assert.deepEqual([...out], bruteTop(down, k));
  }
});

test('maskExcluded sets the rows of every CSR to -Infinity and ignores users past the last row', () => {
  const train = buildCsr(2, 5, Int32Array.of(0, 0, 1), Int32Array.of(1, 3, 4));
  const valid = buildCsr(1, 5, Int32Array.of(0), Int32Array.of(0));
  const scores = new Float32Array(10).fill(1);
  maskExcluded(scores, 5, 5, 0, [train, valid]); // user 0: {1, 3} from train, {0} from valid
  assert.deepEqual([...scores], [1, 1, 1, 1, 1, -Infinity, -Infinity, 1, -Infinity, 1]);
  const s2 = new Float32Array(5).fill(1);
  maskExcluded(s2, 0, 5, 1, [train, valid]); // user 1 is past valid's rows
  assert.deepEqual([...s2], [1, 1, 1, 1, -Infinity]);
  const s3 = new Float32Array(5).fill(1);
  maskExcluded(s3, 0, 5, 7, [train]);
  assert.deepEqual([...s3], [1, 1, 1, 1, 1]);
});
