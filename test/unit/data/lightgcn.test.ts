import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLightGcnDir, loadLightGcnFiles } from '../../../src/data/loaders/lightgcn.js';
import { fixture, ints, rejectsInput, tempFile } from './helpers.js';

test('lightgcn: train/test files give ids as in the file and a given split', async () => {
  const ds = await loadLightGcnFiles(
    fixture('lightgcn', 'train.txt'),
    fixture('lightgcn', 'test.txt'),
  );
  // max user id 3, max item id 6 (test-only item 6 still gets a column)
  assert.equal(ds.interactions.nUsers, 4);
  assert.equal(ds.interactions.nItems, 7);
  assert.deepEqual(ds.userIds.ids, ['0', '1', '2', '3']);
  assert.equal(ds.itemIds.index.get('6'), 6);
  const g = ds.given;
  assert.ok(g);
  assert.deepEqual(ints(g.train.users), [0, 0, 0, 1, 1, 3, 3, 3]);
  assert.deepEqual(ints(g.train.items), [0, 1, 2, 1, 3, 4, 0, 5]);
  assert.deepEqual(ints(g.test.users), [0, 1, 1, 2, 3]);
  assert.deepEqual(ints(g.test.items), [3, 0, 2, 1, 6]);
  assert.equal(g.train.nItems, 7);
  assert.equal(g.valid, undefined);
  assert.equal(ds.interactions.users.length, 13);
});

test('lightgcn: folder load takes a disjoint valid.txt', async () => {
  const ds = await loadLightGcnDir(fixture('lightgcn'));
  assert.equal(ds.name, 'lightgcn');
  assert.deepEqual(ints(ds.given?.valid?.items ?? []), [4, 5]);
  assert.equal(ds.interactions.users.length, 15);
});

test('lightgcn: a valid.txt overlapping train.txt is left out with a note', async () => {
  const train = tempFile('train.txt', '0 1 2\n1 0\n');
  tempFile('test.txt', '0 0\n1 1\n');
  tempFile('valid.txt', '0 2\n');
  const ds = await loadLightGcnDir(train.replace(/train\.txt$/, ''));
  assert.equal(ds.given?.valid, undefined);
  assert.match(ds.notes?.[0] ?? '', /valid\.txt left out: 1 of its pairs/);
  assert.equal(ds.interactions.users.length, 5);
});

test('lightgcn: CRLF endings, tabs, trailing spaces and blank lines are fine', async () => {
  const f = tempFile('crlf.txt', '0\t1 2 \r\n\r\n1 3\r\n');
  const ds = await loadLightGcnFiles(f);
  assert.deepEqual(ints(ds.interactions.items), [1, 2, 3]);
  assert.equal(ds.given, undefined);
});

test('lightgcn: bad input names file and line', async () => {
  const bad = tempFile('bad.txt', '0 1 2\n1 2 x3\n');
  await rejectsInput(loadLightGcnFiles(bad), bad, 2, /non-negative integer ids.*found "1 2 x3"/);
  const neg = tempFile('neg.txt', '0 1\n\n2 -1\n');
  await rejectsInput(loadLightGcnFiles(neg), neg, 3);
  const float = tempFile('float.txt', '0 1.5\n');
  await rejectsInput(loadLightGcnFiles(float), float, 1);
  const blank = tempFile('blank.txt', '\n  \n');
  await rejectsInput(loadLightGcnFiles(blank), blank, undefined, /no data lines/);
  const missing = fixture('lightgcn', 'nope.txt');
  await rejectsInput(
    loadLightGcnFiles(fixture('lightgcn', 'train.txt'), missing),
    missing,
    undefined,
    /existing/,
  );
});
