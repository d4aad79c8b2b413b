import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDataset, type SplitConfig } from '../../../src/data/split.js';
import { synthesizeDemo } from '../../../src/data/synth.js';
import { denseIdMap } from '../../../src/data/idmap.js';
import type { Dataset, Interactions, Split } from '../../../src/data/types.js';
import { InputError } from '../../../src/util/errors.js';
import { ints } from './helpers.js';

const demo = synthesizeDemo({ users: 200, items: 150, seed: 3 });

function key(x: Interactions): string[] {
  return Array.from(x.users, (u, k) => `${u}:${x.items[k]}:${x.timestamps?.[k] ?? ''}`);
}

/** The parts together are exactly the dataset's interactions. */
function assertPartition(ds: Dataset, s: Split): void {
  const all = [...key(s.train), ...(s.valid ? key(s.valid) : []), ...key(s.test)].sort();
  assert.deepEqual(all, key(ds.interactions).sort());
  for (const p of [s.train, s.test, s.valid]) {
    if (!p) continue;
    assert.equal(p.nUsers, ds.interactions.nUsers);
    assert.equal(p.nItems, ds.interactions.nItems);
  }
}

function perUserCount(x: Interactions): Int32Array {
  const d = new Int32Array(x.nUsers);
  for (const u of x.users) d[u]++;
  return d;
}

test('ratio split: a partition, seeded, every user keeps train, shares near the ratios', () => {
  const config: SplitConfig = { type: 'ratio', ratios: [0.8, 0.1, 0.1] };
  const a = splitDataset(demo, config, 42);
  const b = splitDataset(demo, config, 42);
  const c = splitDataset(demo, config, 43);
  assertPartition(demo, a);
  assert.deepEqual(key(a.test), key(b.test));
  assert.deepEqual(key(a.valid as Interactions), key(b.valid as Interactions));
  assert.notDeepEqual(key(a.test), key(c.test));
  const n = demo.interactions.users.length;
  assert.ok(Math.abs(a.test.users.length / n - 0.1) < 0.02);
  assert.ok(Math.abs((a.valid?.users.length ?? 0) / n - 0.1) < 0.02);
  const train = perUserCount(a.train);
  const all = perUserCount(demo.interactions);
  for (let u = 0; u < all.length; u++) if (all[u] >= 1) assert.ok(train[u] >= 1);
  // two ratios: no validation part
  assert.equal(splitDataset(demo, { type: 'ratio', ratios: [4, 1] }, 1).valid, undefined);
});

test('ratio split: tiny users keep at least one train interaction', () => {
  const ds: Dataset = {
    name: 't',
    sources: [],
    userIds: denseIdMap(3),
    itemIds: denseIdMap(4),
    interactions: {
      nUsers: 3,
      nItems: 4,
      users: Int32Array.from([0, 1, 1, 2, 2, 2]),
      items: Int32Array.from([0, 0, 1, 0, 1, 2]),
    },
  };
  const s = splitDataset(ds, { type: 'ratio', ratios: [0.2, 0.4, 0.4] }, 5);
  assertPartition(ds, s);
  assert.deepEqual(ints(perUserCount(s.train)), [1, 1, 1]);
});

test('leave-one-out by time: the latest to test, the one before to valid', () => {
  const s = splitDataset(demo, { type: 'loo', valid: true }, 1);
  assertPartition(demo, s);
  const t = demo.interactions.timestamps as Float64Array;
  const latest = new Float64Array(demo.interactions.nUsers).fill(-Infinity);
  for (let k = 0; k < t.length; k++)
    latest[demo.interactions.users[k]] = Math.max(latest[demo.interactions.users[k]], t[k]);
  assert.equal(s.test.users.length, demo.interactions.nUsers);
  for (let k = 0; k < s.test.users.length; k++)
    assert.equal(s.test.timestamps?.[k], latest[s.test.users[k]]);
  const valid = s.valid as Interactions;
  for (let k = 0; k < valid.users.length; k++) {
    const u = valid.users[k];
    const trainTimes = Array.from(s.train.users.keys())
      .filter((j) => s.train.users[j] === u)
      .map((j) => s.train.timestamps?.[j] ?? 0);
    assert.ok(trainTimes.every((x) => x <= (valid.timestamps?.[k] ?? 0)));
  }
});

test('leave-one-out at random: seeded; without timestamps random is the default', () => {
  const a = splitDataset(demo, { type: 'loo', order: 'random' }, 9);
  const b = splitDataset(demo, { type: 'loo', order: 'random' }, 9);
  assert.deepEqual(key(a.test), key(b.test));
  assert.notDeepEqual(
    key(a.test),
    key(splitDataset(demo, { type: 'loo', order: 'random' }, 10).test),
  );
  assert.equal(a.valid, undefined);
  const noTime: Dataset = {
    ...demo,
    interactions: { ...demo.interactions, timestamps: undefined },
  };
  assert.equal(
    splitDataset(noTime, { type: 'loo' }, 1).test.users.length,
    demo.interactions.nUsers,
  );
  assert.throws(() => splitDataset(noTime, { type: 'loo', order: 'time' }, 1), /timestamps/);
});

test('temporal: a global cut puts everything in train before everything in test', () => {
  const s = splitDataset(demo, { type: 'temporal', ratios: [0.8, 0.2] }, 1);
  assertPartition(demo, s);
  const maxTrain = Math.max(...Array.from(s.train.timestamps ?? []));
  const minTest = Math.min(...Array.from(s.test.timestamps ?? []));
  assert.ok(maxTrain <= minTest);
  assert.equal(s.test.users.length, Math.round(demo.interactions.users.length * 0.2));
});

test('temporal per user: each user cut by time', () => {
  const s = splitDataset(demo, { type: 'temporal', ratios: [0.7, 0.1, 0.2], perUser: true }, 1);
  assertPartition(demo, s);
  const lastTrain = new Float64Array(demo.interactions.nUsers).fill(-Infinity);
  s.train.users.forEach(
    (u, k) => (lastTrain[u] = Math.max(lastTrain[u], s.train.timestamps?.[k] ?? 0)),
  );
  s.test.users.forEach((u, k) => assert.ok((s.test.timestamps?.[k] ?? 0) >= lastTrain[u]));
  const noTime: Dataset = {
    ...demo,
    interactions: { ...demo.interactions, timestamps: undefined },
  };
  assert.throws(
    () => splitDataset(noTime, { type: 'temporal', ratios: [0.8, 0.2] }, 1),
    InputError,
  );
});

test('given split and config errors', () => {
  const given: Split = { train: demo.interactions, test: demo.interactions };
  assert.equal(splitDataset({ ...demo, given }, { type: 'given' }, 1), given);
  assert.throws(() => splitDataset(demo, { type: 'given' }, 1), /own train\/test files/);
  assert.throws(() => splitDataset(demo, { type: 'ratio', ratios: [1] }, 1), /ratios/);
  assert.throws(
    () => splitDataset(demo, { type: 'ratio', ratios: [0.8, -0.1, 0.3] }, 1),
    InputError,
  );
  assert.throws(() => splitDataset(demo, { type: 'ratio', ratios: [1, 0] }, 1), InputError);
});
