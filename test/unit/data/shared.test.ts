// Loaders on the shared datasets (../shared/datasets from the repo root), skipped when absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/dataset.js';

const SHARED = join('..', 'shared', 'datasets');
const has = (name: string): boolean => existsSync(join(SHARED, name));
const skip = (name: string): string | false =>
  has(name) ? false : `${join(SHARED, name)} not present`;

test(
  'shared gowalla: 29,858 users, 40,981 items, 810,128 train / 217,242 test',
  { skip: skip('gowalla') },
  async () => {
    const t0 = performance.now();
    const ds = await loadDataset(`gowalla:${join(SHARED, 'gowalla')}`);
    const ms = performance.now() - t0;
    assert.equal(ds.interactions.nUsers, 29858);
    assert.equal(ds.interactions.nItems, 40981);
    assert.equal(ds.given?.train.users.length, 810128);
    assert.equal(ds.given?.test.users.length, 217242);
    // valid.txt is a subset of train.txt there, so it is left out with a note
    assert.equal(ds.given?.valid, undefined);
    assert.ok(ds.notes?.[0]?.includes('valid.txt'));
    assert.ok(ms < 5000, `gowalla took ${ms.toFixed(0)} ms`);
  },
);

test(
  'shared ml-100k (RecBole): 943 users, 1,682 items, 100,000 ratings',
  { skip: skip('ml-100k') },
  async () => {
    const ds = await loadDataset(`recbole:${join(SHARED, 'ml-100k', 'ml-100k.inter')}`);
    assert.equal(ds.interactions.nUsers, 943);
    assert.equal(ds.interactions.nItems, 1682);
    assert.equal(ds.interactions.users.length, 100000);
    assert.equal(ds.interactions.ratings?.length, 100000);
    assert.equal(ds.itemFeatures?.values.movie_title[ds.itemIds.index.get('1') ?? -1], 'Toy Story');
    assert.equal(ds.userFeatures?.values.occupation[ds.userIds.index.get('1') ?? -1], 'technician');
  },
);

test(
  "shared lastfm-kg: the authors' split 16,939 / 4,234 (3 test rows of 2 users without training left out), KG 9,366 / 60 / 15,518",
  { skip: skip('lastfm-kg') },
  async () => {
    const ds = await loadDataset(`lastfm-kg:${join(SHARED, 'lastfm-kg')}`);
    // ratings_final.txt has 1,872 users and 3,846 items; two users and one item appear only
    // in those 3 test rows
    assert.equal(ds.interactions.nUsers, 1870);
    assert.equal(ds.interactions.nItems, 3845);
    assert.equal(ds.given?.train.users.length, 16939);
    assert.equal(ds.given?.test.users.length, 4231);
    assert.equal(ds.kg?.nEntities, 9366);
    assert.equal(ds.kg?.nRelations, 60);
    assert.equal(ds.kg?.heads.length, 15518);
  },
);
