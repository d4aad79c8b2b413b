import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSessions } from '../../../src/data/loaders/sessions.js';
import { fixture, ints, rejectsInput, tempFile } from './helpers.js';

test('sessions: grouped by session in order of first appearance, items in time order', async () => {
  const s = await loadSessions(fixture('sessions', 'sessions.csv'));
  assert.equal(s.nSessions, 3);
  assert.equal(s.nItems, 3);
  assert.deepEqual(s.sessionIds.ids, ['s1', 's2', 's3']);
  assert.deepEqual(s.itemIds.ids, ['a', 'b', 'c']);
  assert.deepEqual(ints(s.offsets), [0, 3, 5, 6]);
  // s1: b@10, c@20, a@30; s2: a@5, b@10; s3: c@1
  assert.deepEqual(ints(s.items), [1, 2, 0, 0, 1, 2]);
  assert.deepEqual(ints(s.timestamps ?? []), [10, 20, 30, 5, 10, 1]);
});

test('sessions: bad timestamp and wrong column count', async () => {
  const t = tempFile('s.csv', 'session_id,item_id,timestamp\n1,a,5\n1,b,soon\n');
  await rejectsInput(loadSessions(t), t, 3, /timestamp/);
  const c = tempFile('c.tsv', '1\ta\t5\n1\tb\n');
  await rejectsInput(loadSessions(c), c, 2, /3 columns separated by tabs, found 2/);
});
