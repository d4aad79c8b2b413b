import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idMapOf } from '../../../src/data/idmap.js';
import {
  dedupe,
  kCore,
  minInteractions,
  preprocessDataset,
  thresholdRatings,
  type InteractionTable,
} from '../../../src/data/preprocess.js';
import type { Dataset } from '../../../src/data/types.js';
import { InputError } from '../../../src/util/errors.js';
import { ints } from './helpers.js';

/** u0: a b c; u1: a b; u2: a d; u3: c */
function toy(): InteractionTable {
  return {
    userIds: idMapOf(['u0', 'u1', 'u2', 'u3']),
    itemIds: idMapOf(['a', 'b', 'c', 'd']),
    interactions: {
      nUsers: 4,
      nItems: 4,
      users: Int32Array.from([0, 0, 0, 1, 1, 2, 2, 3]),
      items: Int32Array.from([0, 1, 2, 0, 1, 0, 3, 2]),
      ratings: Float32Array.from([5, 4, 1, 2, 5, 3, 4, 5]),
    },
  };
}

const pairs = (t: InteractionTable): string[] =>
  Array.from(
    t.interactions.users,
    (u, k) => `${t.userIds.ids[u]}-${t.itemIds.ids[t.interactions.items[k]]}`,
  );

test('k-core iterates until stable; ids re-densified in order', () => {
  // round 1 drops u3 (1 interaction) and d (1); then u2 and c fall under 2; then stable
  const t = kCore(toy(), 2, 2);
  assert.deepEqual(pairs(t), ['u0-a', 'u0-b', 'u1-a', 'u1-b']);
  assert.deepEqual(t.userIds.ids, ['u0', 'u1']);
  assert.deepEqual(t.itemIds.ids, ['a', 'b']);
  assert.equal(t.interactions.nUsers, 2);
  assert.equal(t.interactions.nItems, 2);
  assert.deepEqual(ints(t.interactions.ratings ?? []), [5, 4, 2, 5]);
  assert.equal(t.userIds.index.get('u1'), 1);
  // user-only core
  assert.deepEqual(kCore(toy(), 3, 0).userIds.ids, ['u0']);
});

test('min interactions filters once, unlike k-core', () => {
  const t = minInteractions(toy(), 2, 2);
  assert.deepEqual(pairs(t), ['u0-a', 'u0-b', 'u0-c', 'u1-a', 'u1-b', 'u2-a']);
  assert.deepEqual(t.itemIds.ids, ['a', 'b', 'c']);
});

test('threshold keeps ratings >= min and makes feedback implicit', () => {
  const t = thresholdRatings(toy(), 4);
  assert.deepEqual(pairs(t), ['u0-a', 'u0-b', 'u1-b', 'u2-d', 'u3-c']);
  assert.equal(t.interactions.ratings, undefined);
  assert.deepEqual(t.itemIds.ids, ['a', 'b', 'c', 'd']);
  const noRatings = { ...toy(), interactions: { ...toy().interactions, ratings: undefined } };
  assert.throws(() => thresholdRatings(noRatings, 1), InputError);
});

test('dedupe keeps the latest timestamp, or the last listed', () => {
  const base = {
    userIds: idMapOf(['x', 'y']),
    itemIds: idMapOf(['p', 'q']),
    interactions: {
      nUsers: 2,
      nItems: 2,
      users: Int32Array.from([0, 0, 0, 1, 1]),
      items: Int32Array.from([0, 0, 0, 1, 1]),
      ratings: Float32Array.from([1, 2, 3, 4, 5]),
      timestamps: Float64Array.from([5, 9, 7, 1, 1]),
    },
  };
  const t = dedupe(base);
  assert.deepEqual(ints(t.interactions.ratings ?? []), [2, 5]);
  assert.deepEqual(ints(t.interactions.timestamps ?? []), [9, 1]);
  const noTime = dedupe({ ...base, interactions: { ...base.interactions, timestamps: undefined } });
  assert.deepEqual(ints(noTime.interactions.ratings ?? []), [3, 5]);
});

test('preprocessDataset chains steps and carries features, KG links; drops a given split', () => {
  const t = toy();
  const ds: Dataset = {
    name: 'toy',
    sources: [],
    ...t,
    given: { train: t.interactions, test: t.interactions },
    itemFeatures: { columns: ['name'], values: { name: ['A', 'B', 'C', 'D'] } },
    kg: {
      nEntities: 4,
      nRelations: 1,
      heads: Int32Array.from([0]),
      relations: Int32Array.from([0]),
      tails: Int32Array.from([1]),
      itemEntity: Int32Array.from([3, 2, 1, 0]),
    },
  };
  const out = preprocessDataset(ds, [
    { type: 'threshold', min: 2 },
    { type: 'kcore', user: 2, item: 2 },
  ]);
  // ratings >= 2: u0: a b; u1: a b; u2: a d; u3: c -> 2-core: u0, u1 with a, b
  assert.deepEqual(out.itemIds.ids, ['a', 'b']);
  assert.deepEqual(out.itemFeatures?.values.name, ['A', 'B']);
  assert.deepEqual(ints(out.kg?.itemEntity ?? []), [3, 2]);
  assert.equal(out.given, undefined);
  assert.match(out.notes?.[0] ?? '', /given train\/test split was dropped/);
  assert.equal(preprocessDataset(ds, []), ds);
});
