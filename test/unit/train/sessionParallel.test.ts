import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sequencesOf } from '../../../src/data/sequences.js';
import { sessionParallelPlan } from '../../../src/train/sessionParallel.js';

test('session-parallel batches: each slot follows a session; a finished slot takes the next, reset', () => {
  // items: a b c | d e | f g h i | j | k l  as 0 .. 11
  const seqs = sequencesOf([[0, 1, 2], [3, 4], [5, 6, 7, 8], [9], [10, 11]]);
  const p = sessionParallelPlan(seqs, [0, 1, 2, 3, 4], 2);
  const steps = [];
  for (let s = 0; s + 1 < p.stepOffsets.length; s++) {
    const step = [];
    for (let e = p.stepOffsets[s]; e < p.stepOffsets[s + 1]; e++)
      step.push([p.slots[e], p.inputs[e], p.targets[e], p.resets[e]]);
    steps.push(step);
  }
  assert.deepEqual(steps, [
    [
      [0, 0, 1, 1], // slot 0: a -> b, new session
      [1, 3, 4, 1], // slot 1: d -> e, new session
    ],
    [
      [0, 1, 2, 0], // slot 0 goes on: b -> c
      [1, 5, 6, 1], // slot 1 finished d e: takes f g h i, reset
    ],
    [
      [0, 10, 11, 1], // slot 0 finished a b c: j is too short, so k l, reset
      [1, 6, 7, 0],
    ],
    [[1, 7, 8, 0]], // no session left for slot 0: the step shrinks
  ]);
});

test('session-parallel batches: the order decides which session a slot takes', () => {
  const seqs = sequencesOf([
    [0, 1],
    [2, 3, 4],
  ]);
  const p = sessionParallelPlan(seqs, [1, 0], 1);
  assert.deepEqual(Array.from(p.inputs), [2, 3, 0]);
  assert.deepEqual(Array.from(p.resets), [1, 0, 1]);
  assert.deepEqual(Array.from(p.stepOffsets), [0, 1, 2, 3]);
});
