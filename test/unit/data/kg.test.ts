import { test } from 'node:test';
import assert from 'node:assert/strict';
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
