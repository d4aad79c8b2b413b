import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sequencesOf } from '../../../src/data/sequences.js';
import {
  evaluateNextItem,
  nextItemMetrics,
  targetRank,
  type NextItemScorer,
} from '../../../src/eval/nextItem.js';

test('targetRank: higher scores, then equal scores of lower ids, come first', () => {
  const s = Float32Array.from([0.5, 0.9, 0.5, 0.1, 0.5]);
  assert.equal(targetRank(s, 0, 5, 1), 1);
  assert.equal(targetRank(s, 0, 5, 0), 2);
  assert.equal(targetRank(s, 0, 5, 2), 3); // item 0 ties and has the lower id
  assert.equal(targetRank(s, 0, 5, 4), 4);
  assert.equal(targetRank(s, 0, 5, 3), 5);
});

test('nextItemMetrics: recall@K = share of targets in the top K, mrr@K = mean 1/rank within K', () => {
  const m = nextItemMetrics([1, 2, 5, 30], [2, 20]);
  assert.equal(m['recall@2'], 2 / 4);
  assert.equal(m['mrr@2'], (1 + 1 / 2) / 4);
  assert.equal(m['recall@20'], 3 / 4);
  assert.ok(Math.abs(m['mrr@20'] - (1 + 1 / 2 + 1 / 5) / 4) < 1e-12);
});

test('evaluateNextItem: the scorer sees each case input, in blocks, and nothing is excluded', async () => {
  // a "last item + 1" scorer over 4 items: item (last + 1) % 4 scores 1, the last item itself 0.5
  const seen: number[][] = [];
  const scorer: NextItemScorer = {
    nItems: 4,
    scoreNext(inputs, from, to, out) {
      for (let r = from; r < to; r++) {
        const row = Array.from(inputs.items.subarray(inputs.offsets[r], inputs.offsets[r + 1]));
        seen.push(row);
        const last = row[row.length - 1];
        const o = (r - from) * 4;
        out.fill(0, o, o + 4);
        out[o + ((last + 1) % 4)] = 1;
        out[o + last] = 0.5;
      }
    },
  };
  const cases = {
    inputs: sequencesOf([[0], [0, 1], [3], [2]]),
    targets: Int32Array.from([1, 1, 3, 0]),
  };
  const r = await evaluateNextItem(scorer, cases, [1, 3], 3);
  // ranks: [0]->1 is rank 1; [0,1]->1 (the repeat, 0.5) rank 2; [3]->3 rank 2; [2]->0 rank 3
  assert.deepEqual(Array.from(r.ranks), [1, 2, 2, 3]);
  assert.deepEqual(seen, [[0], [0, 1], [3], [2]]);
  assert.equal(r.metrics['recall@1'], 1 / 4);
  assert.equal(r.metrics['recall@3'], 1);
  assert.ok(Math.abs(r.metrics['mrr@3'] - (1 + 1 / 2 + 1 / 2 + 1 / 3) / 4) < 1e-12);
});
