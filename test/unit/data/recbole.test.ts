import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRecBole } from '../../../src/data/loaders/recbole.js';
import { fixture, ints, rejectsInput, tempFile } from './helpers.js';

test('recbole: .inter with name:type header plus .item/.user/.kg/.link siblings', async () => {
  const ds = await loadRecBole(fixture('recbole', 'toy.inter'));
  assert.equal(ds.name, 'toy');
  assert.deepEqual(ds.userIds.ids, ['1', '2', '3']);
  assert.deepEqual(ds.itemIds.ids, ['10', '11', '12']);
  assert.deepEqual(ints(ds.interactions.users), [0, 0, 1, 2]);
  assert.deepEqual(ints(ds.interactions.items), [0, 1, 0, 2]);
  assert.deepEqual(ints(ds.interactions.ratings ?? []), [4, 5, 3, 1]);
  assert.deepEqual(ints(ds.interactions.timestamps ?? []), [100, 200, 150, 300]);
  // feature tables keyed by internal id; the unused item 99 is left out, quotes kept as text
  assert.deepEqual(ds.itemFeatures?.columns, ['title', 'year']);
  assert.deepEqual(ds.itemFeatures?.values.title, ['Toy "Story"', 'Heat', 'Jumanji']);
  assert.deepEqual(ds.userFeatures?.values.gender, ['M', 'F', '']);
  const kg = ds.kg;
  assert.ok(kg);
  // linked entities first in item order: m.10 -> 0, m.11 -> 1; item 12 has no entity
  assert.deepEqual(ints(kg.itemEntity), [0, 1, -1]);
  assert.deepEqual(kg.entityIds?.ids, ['m.10', 'm.11', 'g.comedy', 'g.action', 'p.lasseter']);
  assert.deepEqual(kg.relationIds?.ids, ['genre', 'director']);
  assert.deepEqual(ints(kg.heads), [0, 1, 0]);
  assert.deepEqual(ints(kg.relations), [0, 0, 1]);
  assert.deepEqual(ints(kg.tails), [2, 3, 4]);
  assert.equal(kg.nEntities, 5);
  assert.equal(ds.sources.length, 5);
});

test('recbole: benchmark .train/.test.inter siblings make a given split', async () => {
  const header = 'user_id:token\titem_id:token\n';
  const train = tempFile('bench.train.inter', `${header}a\tx\nb\ty\n`);
  tempFile('bench.test.inter', `${header}a\ty\n`);
  const ds = await loadRecBole(train);
  assert.equal(ds.name, 'bench');
  assert.equal(ds.given?.train.users.length, 2);
  assert.deepEqual(ints(ds.given?.test.items ?? []), [1]);
});

test('recbole: bad header, bad float, and an unknown column', async () => {
  const noType = tempFile('a.inter', 'user_id\titem_id\n1\t2\n');
  await rejectsInput(loadRecBole(noType), noType, 1, /name:type/);
  const badType = tempFile('b.inter', 'user_id:token\titem_id:thing\n1\t2\n');
  await rejectsInput(loadRecBole(badType), badType, 1, /found "item_id:thing"/);
  const badFloat = tempFile(
    'c.inter',
    'user_id:token\titem_id:token\trating:float\n1\t2\t3\n1\t3\tNaN?\n',
  );
  await rejectsInput(loadRecBole(badFloat), badFloat, 3, /rating column "rating:float"/);
  const cols = tempFile('d.inter', 'user_id:token\titem_id:token\n1\t2\n1\t2\t3\n');
  await rejectsInput(loadRecBole(cols), cols, 3, /2 columns separated by tabs, found 3/);
  await rejectsInput(
    loadRecBole(fixture('recbole', 'toy.inter'), { columns: { user: 'uid' } }),
    fixture('recbole', 'toy.inter'),
    1,
    /user column named "uid" \(columns: user_id:token, item_id:token/,
  );
});
