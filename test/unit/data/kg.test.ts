import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffFormat } from '../../../src/data/dataset.js';
import { loadLastFmKg, readTriples } from '../../../src/data/loaders/kg.js';
import { fixture, ints, rejectsInput, tempFile } from './helpers.js';

test('lastfm-kg: label-1 rows kept, items are entities, link file kept as original_index', async () => {
  const ds = await loadLastFmKg(fixture('lastfm-kg'));
  assert.equal(ds.name, 'lastfm-kg');
  assert.equal(ds.interactions.nUsers, 3);
  // item 3 appears only with label 0: still an item
  assert.equal(ds.interactions.nItems, 4);
  assert.deepEqual(ints(ds.interactions.users), [0, 0, 1, 2]);
  assert.deepEqual(ints(ds.interactions.items), [0, 2, 2, 1]);
  assert.match(ds.notes?.[0] ?? '', /^2 label-0 rows/);
  const kg = ds.kg;
  assert.ok(kg);
  assert.equal(kg.nEntities, 6);
  assert.equal(kg.nRelations, 2);
  assert.deepEqual(ints(kg.itemEntity), [0, 1, 2, 3]);
  assert.deepEqual(ints(kg.tails), [4, 4, 5, 5]);
  assert.deepEqual(ds.itemFeatures?.values.original_index, ['12', '15', '17', '20']);
});

test('kg: malformed triples and labels name file and line', async () => {
  const t = tempFile('kg.txt', '0 1 2\n0 1\n');
  await rejectsInput(readTriples(t), t, 2, /triple "head relation tail"/);
  const dir = tempFile('ratings_final.txt', '0\t1\t1\n0\t2\t7\n').replace(
    /ratings_final\.txt$/,
    '',
  );
  tempFile('kg_final.txt', '0 0 1\n');
  await rejectsInput(loadLastFmKg(dir), `${dir}ratings_final.txt`, 2, /label of 0 or 1/);
});

/** The fixture folder copied to a fresh temp folder, with extra files written into it. */
function lastFmKgWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-kg-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(fixture('lastfm-kg'), dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('lastfm-kg: train.txt / test.txt beside it are the given split, in its id space', async () => {
  const dir = lastFmKgWith({ 'train.txt': '0\t0\n1\t2\n2\t1\n', 'test.txt': '0\t2\n1\t3\n' });
  const ds = await loadLastFmKg(dir);
  const given = ds.given;
  assert.ok(given, 'a given split');
  assert.deepEqual(ints(given.train.users), [0, 1, 2]);
  assert.deepEqual(ints(given.train.items), [0, 2, 1]);
  // item 3 has no training pair: kept (KGIN counts items over train and test), still entity 3
  assert.deepEqual(ints(given.test.items), [2, 3]);
  assert.equal(given.train.nItems, 4);
  assert.deepEqual(ints(ds.kg?.itemEntity ?? []), [0, 1, 2, 3]);
  assert.ok(ds.notes?.some((n) => /the split is .*train\.txt/.test(n)));
  // a plain path of the folder is still read as lastfm-kg, not as a LightGCN folder
  assert.equal(await sniffFormat(dir), 'lastfm-kg');
});

test('lastfm-kg: a split pair outside the ratings id space names its file and line', async () => {
  const dir = lastFmKgWith({ 'train.txt': '0\t0\n7\t1\n', 'test.txt': '0\t2\n' });
  await rejectsInput(loadLastFmKg(dir), join(dir, 'train.txt'), 2, /user id below 3/);
});
