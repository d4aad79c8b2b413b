import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe } from '../../../src/data/describe.js';
import { splitDataset } from '../../../src/data/split.js';
import { buildCsr, idCounts, sortRows } from '../../../src/data/csr.js';
import {
  GOWALLA_SHAPE,
  ML1M_SHAPE,
  synthesizeDemo,
  synthesizeGowallaLike,
  synthesizeShaped,
} from '../../../src/data/synth.js';

test('demo: deterministic for a seed, different for another', () => {
  const a = synthesizeDemo();
  const b = synthesizeDemo();
  const c = synthesizeDemo({ seed: 8 });
  assert.deepEqual(a.interactions.items, b.interactions.items);
  assert.deepEqual(a.interactions.timestamps, b.interactions.timestamps);
  assert.notDeepEqual(a.interactions.items, c.interactions.items);
});

test('demo: shape of the default dataset', () => {
  const t0 = performance.now();
  const ds = synthesizeDemo();
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`); // ~40 ms alone; loose for a shared machine
  assert.equal(ds.name, 'demo');
  assert.equal(ds.userIds.ids[0], 'u0001');
  assert.equal(ds.itemIds.ids[799], 'i0800');
  const d = describe(ds);
  assert.equal(d.users, 1000);
  assert.equal(d.items, 800);
  assert.ok(d.userDegree.min >= 10);
  // heavy tails: the most active user and the most popular item far above the median
  assert.ok(d.userDegree.max > 4 * d.userDegree.p50);
  assert.ok(d.itemDegree.max > 10 * d.itemDegree.p50);
  assert.ok(d.giniItems > 0.35);
  assert.ok((d.timeRange?.days ?? 0) > 150 && (d.timeRange?.days ?? 0) <= 183);
  // no duplicate (user, item) pairs; each user's interactions listed in time order
  const seen = new Set<number>();
  const x = ds.interactions;
  for (let k = 0; k < x.users.length; k++) {
    const key = x.users[k] * x.nItems + x.items[k];
    assert.ok(!seen.has(key));
    seen.add(key);
    if (k > 0 && x.users[k - 1] === x.users[k])
      assert.ok((x.timestamps?.[k] ?? 0) >= (x.timestamps?.[k - 1] ?? 0));
  }
});

test('demo: the community structure is signal a model can use', () => {
  const ds = synthesizeDemo();
  const uc = ds.userFeatures?.values.community ?? [];
  const ic = ds.itemFeatures?.values.community ?? [];
  const x = ds.interactions;
  let own = 0;
  for (let k = 0; k < x.users.length; k++) if (uc[x.users[k]] === ic[x.items[k]]) own++;
  // 8 communities of equal size: 1/8 by chance
  assert.ok(own / x.users.length > 0.6, `own-community share ${own / x.users.length}`);

  // Recommending the most popular train items of the user's community beats global
  // popularity on held-out interactions (recall@20), so a model that finds communities wins.
  const s = splitDataset(ds, { type: 'ratio', ratios: [0.8, 0.2] }, 1);
  const K = 8;
  const pop = new Float64Array(x.nItems);
  const popIn = Array.from({ length: K }, () => new Float64Array(x.nItems));
  const seen = new Set<number>();
  s.train.users.forEach((u, k) => {
    const i = s.train.items[k];
    pop[i]++;
    popIn[Number(uc[u])][i]++;
    seen.add(u * x.nItems + i);
  });
  const topFor = (scores: Float64Array, u: number): Set<number> =>
    new Set(
      Array.from(scores.keys())
        .filter((i) => !seen.has(u * x.nItems + i))
        .sort((a, b) => scores[b] - scores[a] || a - b)
        .slice(0, 20),
    );
  const globalTop = new Map<number, Set<number>>();
  const commTop = new Map<number, Set<number>>();
  let hitGlobal = 0;
  let hitComm = 0;
  s.test.users.forEach((u, k) => {
    if (!globalTop.has(u)) {
      globalTop.set(u, topFor(pop, u));
      commTop.set(u, topFor(popIn[Number(uc[u])], u));
    }
    if (globalTop.get(u)?.has(s.test.items[k])) hitGlobal++;
    if (commTop.get(u)?.has(s.test.items[k])) hitComm++;
  });
  assert.ok(hitComm > 1.5 * hitGlobal, `community ${hitComm} vs popularity ${hitGlobal}`);
});

/** Degrees (train + test) of users or items, ascending, with the share the top 10% hold. */
function degreeShape(n: number, train: Int32Array, test: Int32Array) {
  const d = idCounts(n, train);
  const t = idCounts(n, test);
  for (let k = 0; k < n; k++) d[k] += t[k];
  d.sort();
  const at = (p: number): number => d[Math.floor(p * n)];
  const sum = d.reduce((a, b) => a + b, 0);
  const top10 = d.subarray(n - Math.floor(n / 10)).reduce((a, b) => a + b, 0) / sum;
  return { min: d[0], p50: at(0.5), p90: at(0.9), p99: at(0.99), top10 };
}

test("gowalla-like: at Gowalla's size, Gowalla's counts and degree distribution", () => {
  const g = GOWALLA_SHAPE;
  const r = synthesizeGowallaLike({ interactions: g.interactions });
  assert.equal(r.nUsers, 29858);
  assert.equal(r.nItems, 40981);
  assert.equal(r.train.users.length + r.test.users.length, 1027370);
  // Gowalla's users: min 9, median 20, p90 67, p99 229, top 10% hold 39% of the interactions
  const u = degreeShape(r.nUsers, r.train.users, r.test.users);
  assert.ok(u.min >= 9, `user min ${u.min}`);
  assert.ok(u.p50 >= 18 && u.p50 <= 22, `user median ${u.p50}`);
  assert.ok(u.p90 >= 60 && u.p90 <= 75, `user p90 ${u.p90}`);
  assert.ok(u.p99 >= 200 && u.p99 <= 260, `user p99 ${u.p99}`);
  assert.ok(u.top10 > 0.36 && u.top10 < 0.44, `top 10% of users hold ${u.top10}`);
  // items: median 15, p90 43, p99 173, top 10% hold 40%
  const i = degreeShape(r.nItems, r.train.items, r.test.items);
  assert.ok(i.p50 >= 13 && i.p50 <= 18, `item median ${i.p50}`);
  assert.ok(i.p90 >= 38 && i.p90 <= 50, `item p90 ${i.p90}`);
  assert.ok(i.p99 >= 145 && i.p99 <= 200, `item p99 ${i.p99}`);
  assert.ok(i.top10 > 0.35 && i.top10 < 0.44, `top 10% of items hold ${i.top10}`);
});

test('gowalla-like: users and items scale with the interactions, each user split 80/20 without repeats', () => {
  const r = synthesizeGowallaLike({ interactions: 100_000, seed: 3 });
  assert.equal(r.nUsers, Math.round((29858 * 100_000) / 1027370));
  assert.equal(r.nItems, Math.round((40981 * 100_000) / 1027370));
  assert.equal(r.train.users.length + r.test.users.length, 100_000);
  const all = buildCsr(
    r.nUsers,
    r.nItems,
    Int32Array.from([...r.train.users, ...r.test.users]),
    Int32Array.from([...r.train.items, ...r.test.items]),
  );
  sortRows(all);
  const testCount = idCounts(r.nUsers, r.test.users);
  for (let user = 0; user < r.nUsers; user++) {
    const [s, e] = [all.indptr[user], all.indptr[user + 1]];
    for (let p = s + 1; p < e; p++)
      assert.ok(all.indices[p] > all.indices[p - 1], `user ${user} has an item twice`);
    assert.equal(testCount[user], Math.round((e - s) * 0.2), `user ${user}'s test share`);
  }
});

test('gowalla-like: deterministic for a seed, different for another; too few interactions refused', () => {
  const a = synthesizeGowallaLike({ interactions: 50_000, seed: 1 });
  const b = synthesizeGowallaLike({ interactions: 50_000, seed: 1 });
  const c = synthesizeGowallaLike({ interactions: 50_000, seed: 2 });
  assert.deepEqual(a.train.items, b.train.items);
  assert.deepEqual(a.test.users, b.test.users);
  assert.notDeepEqual(a.train.items, c.train.items);
  assert.throws(() => synthesizeGowallaLike({ interactions: 1999 }), /integer >= 2000/);
  assert.throws(() => synthesizeGowallaLike({ interactions: 1e5 + 0.5 }), /integer >= 2000/);
});

test("ml-1m shape: at its size, MovieLens-1M's counts, floor, medians and means", () => {
  const r = synthesizeShaped(ML1M_SHAPE, { interactions: ML1M_SHAPE.interactions });
  assert.equal(r.nUsers, 6040);
  assert.equal(r.nItems, 3706);
  const n = r.train.users.length + r.test.users.length;
  assert.equal(n, 1000209);
  // users: min 20, median 96, mean 165.6; movies: median 123.5, mean 269.9
  const u = degreeShape(r.nUsers, r.train.users, r.test.users);
  assert.ok(u.min >= 20, `user min ${u.min}`);
  assert.ok(u.p50 >= 86 && u.p50 <= 106, `user median ${u.p50}`);
  assert.ok(Math.abs(n / r.nUsers - 165.6) < 0.5, `user mean ${n / r.nUsers}`);
  const i = degreeShape(r.nItems, r.train.items, r.test.items);
  assert.ok(i.p50 >= 105 && i.p50 <= 145, `item median ${i.p50}`);
});
