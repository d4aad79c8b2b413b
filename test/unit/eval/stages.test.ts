import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import { candidateRecall, rerankCandidates } from '../../../src/eval/stages.js';

const ids = (...v: number[]) => Int32Array.from(v);

// users 0, 1, 2 with 4 candidates each; u0 holds {3, 7}, u1 {5}, u2 nothing (skipped)
const truth = buildCsr(3, 10, ids(0, 0, 1), ids(3, 7, 5));
const lists = {
  users: ids(0, 1, 2),
  width: 4,
  items: ids(7, 1, 3, -1, 2, 4, 6, 5, 1, 2, 3, 4),
};

test('candidate recall@N by hand: hits among the first N over |P|, users without P skipped', () => {
  // u0: @1 {7} 1/2, @2 1/2, @3 {7, 3} 2/2, @4 1; u1: 0 until @4 (5 is the 4th) -> 1
  assert.deepEqual(candidateRecall(lists, truth, [1, 2, 3, 4, 10]), {
    'recall@1': 0.25,
    'recall@2': 0.25,
    'recall@3': 0.5,
    'recall@4': 1,
    'recall@10': 1,
  });
});

test('candidate recall of users none of whom has relevant items is 0, and shapes are checked', () => {
  const empty = buildCsr(3, 10, ids(), ids());
  assert.deepEqual(candidateRecall(lists, empty, [2]), { 'recall@2': 0 });
  assert.throws(() => candidateRecall({ ...lists, width: 5 }, truth, [2]), RangeError);
});

test('re-ranking orders candidates by score, ties in generator order, -1 slots dropped', () => {
  const scores = Float32Array.from([0.1, 0.5, 0.5, 9, 1, 2, 3, 4, 0, 0, 0, 0]);
  // u0: the -1 slot's score 9 is ignored; 1 and 3 tie at 0.5: 1 came first
  assert.deepEqual(rerankCandidates(lists, scores, 4), ids(1, 3, 7, -1, 5, 6, 4, 2, 1, 2, 3, 4));
  assert.deepEqual(rerankCandidates(lists, scores, 2), ids(1, 3, 5, 6, 1, 2));
  assert.throws(() => rerankCandidates(lists, scores.subarray(1), 2), RangeError);
});
