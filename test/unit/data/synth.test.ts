import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe } from '../../../src/data/describe.js';
import { splitDataset } from '../../../src/data/split.js';
import { synthesizeDemo } from '../../../src/data/synth.js';

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
