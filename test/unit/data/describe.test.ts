import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, formatDescription } from '../../../src/data/describe.js';
import { denseIdMap } from '../../../src/data/idmap.js';
import { loadDelimitedFiles } from '../../../src/data/loaders/delimited.js';
import { gini, log2Histogram, longTail, percentiles } from '../../../src/data/stats.js';
import type { Dataset } from '../../../src/data/types.js';
import { tempFile } from './helpers.js';

const DAY = 86400;
const T0 = Date.UTC(2024, 0, 1) / 1000;

/** 4 users with one interaction each; items 0,0,0,1 of 3 (item 2 unused). */
const tiny: Dataset = {
  name: 'tiny',
  sources: [],
  userIds: denseIdMap(4),
  itemIds: denseIdMap(3),
  interactions: {
    nUsers: 4,
    nItems: 3,
    users: Int32Array.from([0, 1, 2, 3]),
    items: Int32Array.from([0, 0, 0, 1]),
    ratings: Float32Array.from([1, 2, 3, 5]),
    timestamps: Float64Array.from([T0, T0 + 3600, T0 + 3 * DAY, T0 + 3 * DAY + 10]),
  },
};

test('stats: gini, percentiles, histograms, long tail on hand-computed values', () => {
  assert.equal(gini([1, 1, 1, 1]), 0);
  assert.equal(gini([3, 1, 0]), 0.5); // sorted 0,1,3: (-2*0 + 0*1 + 2*3) / (3*4)
  assert.equal(gini([0, 0, 0, 10]), 0.75); // (n-1)/n when one holds all
  assert.equal(gini([]), 0);
  const p = percentiles([3, 1, 0]);
  assert.deepEqual(
    {
      ...p,
      mean: Number(p.mean.toFixed(6)),
      p90: Number(p.p90.toFixed(6)),
      p99: Number(p.p99.toFixed(6)),
    },
    { min: 0, p25: 0.5, p50: 1, p75: 2, p90: 2.6, p99: 2.96, max: 3, mean: 1.333333 },
  );
  assert.deepEqual(log2Histogram([3, 1, 0, 9]), [
    { degreeFrom: 0, degreeTo: 0, count: 1 },
    { degreeFrom: 1, degreeTo: 1, count: 1 },
    { degreeFrom: 2, degreeTo: 3, count: 1 },
    { degreeFrom: 4, degreeTo: 7, count: 0 },
    { degreeFrom: 8, degreeTo: 15, count: 1 },
  ]);
  assert.deepEqual(longTail([3, 1, 0]), [
    { items: 1, itemShare: 1 / 3, interactionShare: 0.75 },
    { items: 2, itemShare: 2 / 3, interactionShare: 1 },
    { items: 3, itemShare: 1, interactionShare: 1 },
  ]);
  const many = longTail(
    Array.from({ length: 1000 }, (_, i) => i),
    50,
  );
  assert.equal(many.length, 50);
  assert.equal(many[49].interactionShare, 1);
});

test('describe: figures of a tiny dataset and its split', () => {
  const split = {
    train: {
      ...tiny.interactions,
      users: Int32Array.from([0, 1, 3]),
      items: Int32Array.from([0, 0, 1]),
    },
    test: { ...tiny.interactions, users: Int32Array.from([2, 0]), items: Int32Array.from([0, 1]) },
  };
  const d = describe(tiny, split);
  assert.equal(d.users, 4);
  assert.equal(d.items, 3);
  assert.equal(d.interactions, 4);
  assert.equal(d.density, 4 / 12);
  assert.equal(d.giniUsers, 0);
  assert.equal(d.giniItems, 0.5);
  assert.equal(d.userDegree.p50, 1);
  assert.equal(d.itemDegree.max, 3);
  assert.deepEqual(d.ratings, { min: 1, max: 5, mean: 2.75 });
  assert.deepEqual(d.split, {
    train: 3,
    test: 2,
    testUsers: 2,
    testItems: 2,
    coldUsers: 1,
    coldItems: 0,
  });
  assert.deepEqual(d.timeRange, { first: '2024-01-01', last: '2024-01-04', days: 4 });
  assert.deepEqual(d.interactionsPerDay, [
    { day: '2024-01-01', count: 2 },
    { day: '2024-01-02', count: 0 },
    { day: '2024-01-03', count: 0 },
    { day: '2024-01-04', count: 2 },
  ]);
  assert.deepEqual(d.userDegreeHistogram, [{ degreeFrom: 1, degreeTo: 1, count: 4 }]);
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
  const text = formatDescription(d);
  assert.match(text, /^dataset\s+tiny$/m);
  assert.match(text, /^interactions\s+4$/m);
  assert.match(text, /^density\s+33\.3%$/m);
  assert.match(text, /^users\s+1\s+1\s+1\s+1\s+1\s+1\s+1\s+1$/m);
  assert.match(text, /test users 2 \(cold: 1\)/);
});

test('describe: no per-day series when timestamps are not epoch times, none without them', () => {
  const ordinal = {
    ...tiny,
    interactions: { ...tiny.interactions, timestamps: Float64Array.from([1, 2, 3, 4]) },
  };
  assert.equal(describe(ordinal).interactionsPerDay, undefined);
  const none = {
    ...tiny,
    interactions: { ...tiny.interactions, timestamps: undefined, ratings: undefined },
  };
  const d = describe(none);
  assert.equal(d.timeRange, undefined);
  assert.equal(d.ratings, undefined);
  assert.equal(d.split, undefined);
  const ms = {
    ...tiny,
    interactions: {
      ...tiny.interactions,
      timestamps: Float64Array.from(tiny.interactions.timestamps ?? [], (t) => t * 1000),
    },
  };
  assert.equal(describe(ms).timeRange?.days, 4);
});

test('describe: repeated pairs are reported, and density counts distinct pairs', async () => {
  // 60 users x 50 items; each user lists 10 distinct items twice: 1,200 rows, 600 pairs
  const rows = ['user,item'];
  for (let rep = 0; rep < 2; rep++) {
    for (let u = 0; u < 60; u++) {
      for (let j = 0; j < 10; j++) rows.push(`u${u},i${(u * 10 + j) % 50}`);
    }
  }
  const f = tempFile('twice.csv', `${rows.join('\n')}\n`);
  const kept = describe(await loadDelimitedFiles({ train: f }, { keepDuplicates: true }));
  assert.equal(kept.interactions, 1200);
  assert.equal(kept.duplicates, 600);
  assert.equal(kept.density, 600 / 3000);
  const text = formatDescription(kept);
  assert.match(text, /^interactions\s+1,200 \(600 distinct \(user, item\) pairs, 600 repeats\)$/m);
  assert.match(text, /^density\s+20\.0%$/m);
  assert.match(
    text,
    /^note: .*twice\.csv: 600 rows repeat a \(user, item\) pair; kept \(keepDuplicates\)$/m,
  );
  const deduped = describe(await loadDelimitedFiles({ train: f }));
  assert.equal(deduped.interactions, 600);
  assert.equal(deduped.duplicates, 0);
  const plain = formatDescription(deduped);
  assert.match(plain, /^interactions\s+600$/m);
  assert.match(plain, /^density\s+20\.0%$/m);
  assert.match(
    plain,
    /^note: .*twice\.csv: 600 rows repeat a \(user, item\) pair; left out, the earliest of each pair kept \(--keep-duplicates keeps them\)$/m,
  );
});
