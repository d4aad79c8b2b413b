import { test } from 'node:test';
import assert from 'node:assert/strict';
import { personalizedPageRank } from '../../../src/graph/pagerank.js';
import { PushPpr, pushPersonalizedPageRank } from '../../../src/graph/ppr.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { buildCsr } from '../../../src/data/csr.js';
import { Rng } from '../../../src/util/rng.js';
import type { Csr } from '../../../src/data/types.js';
import { undirected } from './dense.js';

/** A random bipartite graph: each user picks a few items, popular ones more often. */
function randomBipartite(nUsers: number, nItems: number, seed: number): Csr {
  const rng = new Rng(seed);
  const us: number[] = [];
  const is: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = 1 + rng.int(8);
    for (let k = 0; k < n; k++) {
      us.push(u);
      is.push(Math.floor(nItems * rng.next() ** 2));
    }
  }
  return bipartiteGraph(buildCsr(nUsers, nItems, Int32Array.from(us), Int32Array.from(is)));
}

/** ACL's guarantee on an undirected graph: 0 <= ppr(t) - p(t) < eps d(t) for every node t. */
function assertWithinGuarantee(g: Csr, source: number, alpha: number, eps: number): void {
  const exact = personalizedPageRank(g, source, { alpha, tol: 1e-15 }).scores;
  const push = pushPersonalizedPageRank(g, source, { alpha, eps });
  for (let t = 0; t < g.nRows; t++) {
    const d = g.indptr[t + 1] - g.indptr[t];
    const gap = exact[t] - push[t];
    assert.ok(gap >= -1e-12, `node ${t}: push ${push[t]} above the exact ${exact[t]}`);
    assert.ok(gap < eps * d + 1e-12, `node ${t}: gap ${gap} >= eps d = ${eps * d}`);
  }
}

test('push on a star and a path stays within eps x degree under power iteration', () => {
  const star = undirected(6, [
    [0, 1],
    [0, 2],
    [0, 3],
    [0, 4],
    [0, 5],
  ]);
  const path = undirected(
    8,
    Array.from({ length: 7 }, (_, v) => [v, v + 1] as const),
  );
  for (const eps of [1e-2, 1e-4, 1e-7]) {
    assertWithinGuarantee(star, 0, 0.15, eps);
    assertWithinGuarantee(star, 3, 0.15, eps);
    assertWithinGuarantee(path, 0, 0.15, eps);
    assertWithinGuarantee(path, 4, 0.5, eps);
  }
});

test('push on a random user-item graph: within eps x degree for several users, alphas and eps', () => {
  const g = randomBipartite(60, 40, 7);
  for (const source of [0, 13, 59])
    for (const alpha of [0.15, 0.5])
      for (const eps of [1e-3, 1e-5]) assertWithinGuarantee(g, source, alpha, eps);
});

test('push does less work at a larger eps and converges to power iteration as eps shrinks', () => {
  const g = randomBipartite(200, 100, 11);
  const push = new PushPpr(g);
  const exact = personalizedPageRank(g, 5, { tol: 1e-15 }).scores;
  let lastErr = Infinity;
  let lastPushes = 0;
  for (const eps of [1e-3, 1e-5, 1e-7, 1e-9]) {
    push.run(5, 0.15, eps);
    const err = exact.reduce((s, x, v) => s + Math.abs(x - push.estimate[v]), 0);
    assert.ok(err < lastErr, `L1 error ${err} at eps ${eps} not below ${lastErr}`);
    assert.ok(push.pushes > lastPushes);
    lastErr = err;
    lastPushes = push.pushes;
  }
  assert.ok(lastErr < 1e-6, `L1 error ${lastErr} at eps 1e-9`);
});

test('a PushPpr reused for another source forgets the previous one', () => {
  const g = randomBipartite(50, 30, 3);
  const push = new PushPpr(g);
  push.run(4, 0.15, 1e-6);
  const touched = push.run(9, 0.15, 1e-6);
  const fresh = pushPersonalizedPageRank(g, 9, { alpha: 0.15, eps: 1e-6 });
  assert.deepEqual(Array.from(push.estimate), Array.from(fresh));
  // the touched list covers every non-zero estimate
  const listed = new Set(touched);
  fresh.forEach((x, v) => assert.ok(x === 0 || listed.has(v), `node ${v} missing from touched`));
});

test('an isolated source keeps its mass (the walk restarts there), to within eps', () => {
  // node 2 has no edge
  const g = undirected(3, [[0, 1]]);
  const p = pushPersonalizedPageRank(g, 2, { alpha: 0.15, eps: 1e-8 });
  assert.ok(Math.abs(p[2] - 1) < 1e-8);
  assert.equal(p[0] + p[1], 0);
  assert.deepEqual(personalizedPageRank(g, 2).scores, Float64Array.of(0, 0, 1));
});

test('push refuses a bad source, alpha or eps', () => {
  const push = new PushPpr(undirected(2, [[0, 1]]));
  assert.throws(() => push.run(2, 0.15, 1e-4), /source 2 is not a node/);
  assert.throws(() => push.run(0, 1.5, 1e-4), /restart probability/);
  assert.throws(() => push.run(0, 0.15, 0), /eps must be > 0/);
});
