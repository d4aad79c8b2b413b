import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSessions } from '../../../src/data/loaders/sessions.js';
import {
  leaveLastOut,
  prefixCases,
  sequenceCount,
  sequencesOf,
  sessionSplit,
  splitCases,
  userSequences,
  type NextItemCases,
  type Sequences,
} from '../../../src/data/sequences.js';
import { splitDataset } from '../../../src/data/split.js';
import { synthesizeDemo } from '../../../src/data/synth.js';
import type { Interactions, Sessions } from '../../../src/data/types.js';
import { ints, tempFile } from './helpers.js';

const DAY = 86400;
const rows = (s: Sequences): number[][] =>
  Array.from({ length: sequenceCount(s) }, (_, r) =>
    ints(s.items.subarray(s.offsets[r], s.offsets[r + 1])),
  );
const cases = (c: NextItemCases): [number[], number][] =>
  rows(c.inputs).map((input, k) => [input, c.targets[k]]);

/** Sessions from rows of items, each with one time (in days) for all its events. */
function sessionsOf(sessionRows: number[][], days: number[], nItems: number): Sessions {
  const s = sequencesOf(sessionRows);
  const timestamps = new Float64Array(s.items.length);
  sessionRows.forEach((_, k) => timestamps.fill(days[k] * DAY, s.offsets[k], s.offsets[k + 1]));
  const ids = (n: number, p: string) => {
    const list = Array.from({ length: n }, (_, i) => `${p}${i}`);
    return { ids: list, index: new Map(list.map((x, i) => [x, i])) };
  };
  return {
    nSessions: sessionRows.length,
    nItems,
    ...s,
    timestamps,
    sessionIds: ids(sessionRows.length, 's'),
    itemIds: ids(nItems, 'i'),
  };
}

test('sessionSplit: SR-GNN filters, split by the last days, test items restricted to train items', () => {
  const log = sessionsOf(
    [
      [2, 1, 0], // day 1: train
      [3], // length 1: dropped (and item 3 not counted)
      [0, 1, 4], // day 2: item 4 seen once (< 2): dropped from it -> [0, 1]
      [1, 2], // day 3: exactly at the split (5 - 2 days)
      [2, 0, 5, 1], // day 5: test; 5 never in train -> [2, 0, 1]
      [5, 2], // day 4.5: test; -> [2], too short: dropped
    ],
    [1, 1, 2, 3, 5, 4.5],
    6,
  );
  const sp = sessionSplit(log, { minItemCount: 2, testDays: 2 });
  // renumbered in order of first appearance over the training sessions: 2 -> 0, 1 -> 1, 0 -> 2
  assert.deepEqual(ints(sp.itemOf), [2, 1, 0]);
  assert.equal(sp.nItems, 3);
  assert.deepEqual(rows(sp.train), [
    [0, 1, 2],
    [2, 1],
    [1, 0],
  ]);
  // every event after the first of each test session, its prefix as the input
  assert.deepEqual(cases(sp.test), [
    [[0], 2],
    [[0, 2], 1],
  ]);
  assert.deepEqual(sp.dropped, { sessions: 2, events: 5 });
  // preprocess.py's reading: the session at the split time is in neither part
  const strict = sessionSplit(log, { minItemCount: 2, testDays: 2, dropBoundary: true });
  assert.deepEqual(rows(strict.train), [
    [0, 1, 2],
    [2, 1],
  ]);
});

test('leaveLastOut: histories by time (ties in order), last to test, one before to valid, inputs cut', () => {
  const x: Interactions = {
    nUsers: 3,
    nItems: 5,
    users: Int32Array.from([0, 0, 0, 0, 1, 1, 2]),
    items: Int32Array.from([3, 1, 2, 0, 4, 0, 1]),
    timestamps: Float64Array.from([5, 1, 5, 3, 2, 1, 9]),
  };
  const sp = leaveLastOut(x, 2);
  // user 0: 1 (t1), 0 (t3), 3 (t5, first in the file), 2 (t5)
  assert.deepEqual(rows(sp.train), [[1, 0], [0], [1]]);
  assert.deepEqual(cases(sp.valid as NextItemCases), [[[1, 0], 3]]);
  assert.deepEqual(cases(sp.test), [
    [[0, 3], 2], // cut to the last 2 items before the target
    [[0], 4],
  ]);
  assert.equal(sp.nItems, 5);
});

test('prefixCases: every event after the first, prefixes cut to maxLength', () => {
  const s = sequencesOf([[4, 5, 6], [7], [8, 9]]);
  assert.deepEqual(cases(prefixCases(s, 1)), [
    [[4], 5],
    [[5], 6],
    [[8], 9],
  ]);
});

test('sessions loader: an order column sorts events within a time (DIGINETICA timeframe)', async () => {
  const f = tempFile(
    'dg.csv',
    'session_id;user_id;item_id;timeframe;eventdate\n1;NA;a;900;2016-05-09\n1;NA;b;100;2016-05-09\n1;NA;c;500;2016-05-09\n',
  );
  const s = await loadSessions(f, {
    columns: { session: 'session_id', item: 'item_id', timestamp: 'eventdate', order: 'timeframe' },
  });
  assert.deepEqual(
    ints(s.items).map((i) => s.itemIds.ids[i]),
    ['b', 'c', 'a'],
  );
  assert.equal(s.timestamps?.[0], Date.UTC(2016, 4, 9) / 1000);
});

const sample = resolve('..', 'shared', 'datasets', 'diginetica-sample');
test(
  'sessionSplit on the DIGINETICA sample: the figures of the issue (and preprocess.py reading)',
  { skip: !existsSync(sample) && 'no ../shared/datasets/diginetica-sample' },
  async () => {
    const log = await loadSessions(join(sample, 'train-item-views-sample.csv'), {
      columns: {
        session: 'session_id',
        item: 'item_id',
        timestamp: 'eventdate',
        order: 'timeframe',
      },
    });
    const testSessions = (c: NextItemCases) => rows(c.inputs).filter((r) => r.length === 1).length;
    const sp = sessionSplit(log);
    assert.deepEqual(
      [sp.train.items.length, sequenceCount(sp.train), sp.nItems, testSessions(sp.test)],
      [1712, 478, 312, 41],
    );
    const strict = sessionSplit(log, { dropBoundary: true });
    assert.deepEqual([sequenceCount(strict.train), testSessions(strict.test)], [469, 39]);
  },
);

test('splitCases of a time-ordered leave-one-out split are leaveLastOut cases', () => {
  const ds = synthesizeDemo({ users: 80, items: 50, seed: 5 });
  const split = splitDataset(ds, { type: 'loo', order: 'time', valid: true }, 1);
  const ref = leaveLastOut(ds.interactions, 5);
  // users with one item have no case; leaveLastOut lists users in the same order
  assert.deepEqual(cases(splitCases(split, 'test', 5)), cases(ref.test));
  assert.deepEqual(cases(splitCases(split, 'valid', 5)), cases(ref.valid as NextItemCases));
  assert.deepEqual(rows(userSequences(split.train)), rows(ref.train));
});
