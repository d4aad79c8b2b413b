import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr, sortRows } from '../../../src/data/csr.js';
import type { Csr } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import {
  ADAMIC_ADAR,
  COMMON_NEIGHBOURS,
  holdOutEdges,
  neighbourScores,
} from '../../../src/graph/linkPrediction.js';

/** A symmetric CSR from undirected edges. */
function undirected(n: number, edges: readonly [number, number][]): Csr {
  const rows = edges.flatMap(([a, b]) => [a, b]);
  const cols = edges.flatMap(([a, b]) => [b, a]);
  return sortRows(buildCsr(n, n, Int32Array.from(rows), Int32Array.from(cols)));
}

const row = (m: Csr, r: number): number[] =>
  Array.from(m.indices.subarray(m.indptr[r], m.indptr[r + 1]));

/**
 *   0 - 1 - 3
 *   |   |
 *   2 --+      4 - 3 (4's only friend is 3)
 * edges: 0-1, 0-2, 1-2, 1-3, 3-4
 */
const toy = undirected(5, [
  [0, 1],
  [0, 2],
  [1, 2],
  [1, 3],
  [3, 4],
]);

test('common neighbours and Adamic-Adar on a hand-made graph', () => {
  const out = new Float32Array(2 * 5);
  neighbourScores(toy, Int32Array.of(0, 3), COMMON_NEIGHBOURS, out);
  // 0: via 1 -> 2, 3; via 2 -> 1. 3: via 1 -> 0, 2; via 4 -> nothing else
  assert.deepEqual(Array.from(out), [0, 1, 1, 1, 0, 1, 0, 1, 0, 0]);
  out.fill(0);
  neighbourScores(toy, Int32Array.of(0, 3), ADAMIC_ADAR, out);
  const f = Math.fround;
  // d(1) = 3, d(2) = 2
  assert.deepEqual(Array.from(out), [
    0,
    f(1 / Math.log(2)),
    f(1 / Math.log(3)),
    f(1 / Math.log(3)),
    0,
    f(1 / Math.log(3)),
    0,
    f(1 / Math.log(3)),
    0,
    0,
  ]);
});

/** A random undirected graph: n nodes, each pair an edge with probability p. */
function randomGraph(n: number, p: number, seed: number): Csr {
  const rng = new Rng(seed);
  const edges: [number, number][] = [];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) if (rng.next() < p) edges.push([a, b]);
  return undirected(n, edges);
}

test('holdOutEdges: about 20% of each user held out in both directions, none beyond its share, seeded', () => {
  const g = randomGraph(200, 0.08, 7);
  const { train, test: held } = holdOutEdges(g, 0.2, 2020);
  let total = 0;
  let heldTotal = 0;
  for (let u = 0; u < g.nRows; u++) {
    const all = row(g, u);
    const kept = row(train, u);
    const out = row(held, u);
    // a partition of u's friends
    assert.deepEqual(
      [...kept, ...out].sort((a, b) => a - b),
      all,
      `user ${u}`,
    );
    assert.ok(kept.every((v) => !out.includes(v)));
    // both directions
    for (const v of out) assert.ok(row(held, v).includes(u), `(${v}, ${u}) held out too`);
    for (const v of kept) assert.ok(row(train, v).includes(u));
    assert.ok(out.length <= Math.round(0.2 * all.length), `user ${u} lost more than its share`);
    if (all.length > 0) assert.ok(kept.length > 0, `user ${u} keeps a friend`);
    total += all.length;
    heldTotal += out.length;
  }
  const share = heldTotal / total;
  assert.ok(share > 0.17 && share <= 0.2, `held out ${share}`);
  const again = holdOutEdges(g, 0.2, 2020);
  assert.deepEqual(Array.from(again.test.indices), Array.from(held.indices));
  const other = holdOutEdges(g, 0.2, 2021);
  assert.notDeepEqual(Array.from(other.test.indices), Array.from(held.indices));
});

test('holdOutEdges: users with one or two friends keep them all', () => {
  const { train, test: held } = holdOutEdges(toy, 0.2, 1);
  // degrees 2, 3, 2, 2, 1: round(0.2 d) is 0 for all but node 1 (round(0.6) = 1), whose
  // neighbours' shares are all 0, so nothing can be held out
  assert.equal(held.indptr[5], 0);
  assert.deepEqual(Array.from(train.indices), Array.from(toy.indices));
});
