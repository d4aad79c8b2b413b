import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageRank, personalizedPageRank, powerIteration } from '../../../src/graph/pagerank.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { buildCsr } from '../../../src/data/csr.js';
import { denseRwr, directed, undirected } from './dense.js';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `entry ${i}: ${actual[i]} vs ${expected[i]}`,
    );
}

test('PageRank of a star: the centre (1 + d n) / (N (1 + d)), each leaf the rest shared', () => {
  // centre 0 and n = 4 leaves; by symmetry c = (1-d)/N + d n l and l = (1-d)/N + d c / n
  const n = 4;
  const N = n + 1;
  const g = undirected(N, [
    [0, 1],
    [0, 2],
    [0, 3],
    [0, 4],
  ]);
  for (const d of [0.85, 0.5]) {
    const r = pageRank(g, { damping: d });
    assert.ok(r.converged);
    const centre = (1 + d * n) / (N * (1 + d));
    const leaf = (1 - centre) / n;
    close(r.scores, [centre, leaf, leaf, leaf, leaf], 1e-12);
  }
  // d = 0.85: 4.4 / 9.25
  assert.ok(Math.abs(pageRank(g).scores[0] - 4.4 / 9.25) < 1e-12);
});

test('PageRank of a path: ends (1 + d/2) / (3 (1 + d)), the middle the rest; a longer path equals the dense solve', () => {
  const d = 0.85;
  const r = pageRank(
    undirected(3, [
      [0, 1],
      [1, 2],
    ]),
  );
  const end = (1 + d / 2) / (3 * (1 + d));
  close(r.scores, [end, 1 - 2 * end, end], 1e-12);

  const path = undirected(
    7,
    Array.from({ length: 6 }, (_, v) => [v, v + 1] as const),
  );
  const uniform = Array<number>(7).fill(1 / 7);
  close(pageRank(path).scores, denseRwr(path, uniform, 0.15), 1e-12);
});

test('dangling nodes jump by the restart distribution: uniform for PageRank, the sources for PPR', () => {
  // 0 -> 1 -> 2, and 2 has no out-edge
  const g = directed(3, [
    [0, 1],
    [1, 2],
  ]);
  // by hand, d = 0.85, c = 0.15/3 + 0.85 x2 / 3 (everyone gets the dangling share):
  // x0 = c, x1 = c + 0.85 x0, x2 = c + 0.85 x1
  const r = pageRank(g);
  const [x0, x1, x2] = r.scores;
  const c = 0.05 + (0.85 * x2) / 3;
  close([x0, x1, x2], [c, c + 0.85 * x0, c + 0.85 * x1], 1e-12);
  close(r.scores, denseRwr(g, [1 / 3, 1 / 3, 1 / 3], 0.15), 1e-12);
  assert.ok(Math.abs(x0 + x1 + x2 - 1) < 1e-12);
  // PPR from 1: 2's mass returns to 1, never to 0
  const p = personalizedPageRank(g, 1, { alpha: 0.2 });
  close(p.scores, denseRwr(g, [0, 1, 0], 0.2), 1e-12);
  assert.equal(p.scores[0], 0);
});

test('PPR on a single user-item edge: 1 / (2 - alpha) at the user, (1 - alpha) / (2 - alpha) at the item', () => {
  const g = bipartiteGraph(buildCsr(1, 1, Int32Array.of(0), Int32Array.of(0)));
  for (const alpha of [0.15, 0.5]) {
    const r = personalizedPageRank(g, 0, { alpha });
    close(r.scores, [1 / (2 - alpha), (1 - alpha) / (2 - alpha)], 1e-12);
  }
});

test('PPR on a bipartite toy equals the dense solve and ranks the items a user reaches through co-users', () => {
  // users 0..2, items 0..3: u0 {i0, i1}, u1 {i1, i2}, u2 {i2, i3}; nodes: users 0..2, items 3..6
  const g = bipartiteGraph(
    buildCsr(3, 4, Int32Array.of(0, 0, 1, 1, 2, 2), Int32Array.of(0, 1, 1, 2, 2, 3)),
  );
  const alpha = 0.3;
  const r = personalizedPageRank(g, 0, { alpha });
  const s = [1, 0, 0, 0, 0, 0, 0];
  close(r.scores, denseRwr(g, s, alpha), 1e-12);
  // u0's unseen items: i2 (two hops through u1) before i3 (four hops)
  const item = (i: number): number => r.scores[3 + i];
  assert.ok(item(2) > item(3));
  assert.ok(item(1) > item(0), 'i1, shared with u1, gets more than i0, only u0s');
});

test('PPR from a set is the mean of the PPRs from its members (the restart is uniform over the set)', () => {
  const g = undirected(6, [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [1, 4],
  ]);
  const a = personalizedPageRank(g, 0).scores;
  const b = personalizedPageRank(g, 3).scores;
  const both = personalizedPageRank(g, [0, 3, 3]).scores;
  close(
    both,
    a.map((x, v) => (x + b[v]) / 2),
    1e-12,
  );
});

test('power iteration refuses what it cannot compute', () => {
  const g = undirected(2, [[0, 1]]);
  assert.throws(() => personalizedPageRank(g, 2), /source 2 is not a node/);
  assert.throws(() => personalizedPageRank(g, []), /at least one source/);
  assert.throws(() => personalizedPageRank(g, 0, { alpha: 0 }), /restart probability/);
  assert.throws(
    () => powerIteration(g, Float64Array.of(0.5, 0.6), 0.15),
    /probability distribution/,
  );
  const r = pageRank(g, { maxIter: 1, tol: 0 });
  assert.equal(r.iterations, 1);
  assert.equal(r.converged, false);
});
