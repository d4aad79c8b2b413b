import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomWalks, walkRows } from '../../../src/graph/walks.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { buildCsr } from '../../../src/data/csr.js';
import type { Csr } from '../../../src/data/types.js';
import { undirected } from './dense.js';

// N(1) = {0, 2, 3, 4}; 2 is also a neighbour of 0, so from 0 -> 1 the walk returns to 0 (1/p),
// stays near 0 through 2 (1), or moves away to 3 or 4 (1/q each)
const g = undirected(6, [
  [0, 1],
  [0, 2],
  [1, 2],
  [1, 3],
  [1, 4],
  [3, 5],
  [4, 5],
  [2, 5],
]);

function neighbours(graph: Csr, v: number): number[] {
  return Array.from(graph.indices.subarray(graph.indptr[v], graph.indptr[v + 1]));
}

/** node2vec's transition probabilities from (t -> v), from the definition. */
function exactNext(graph: Csr, t: number, v: number, p: number, q: number): Map<number, number> {
  const nt = new Set(neighbours(graph, t));
  const f = neighbours(graph, v).map((x) => [x, x === t ? 1 / p : nt.has(x) ? 1 : 1 / q] as const);
  const total = f.reduce((s, [, w]) => s + w, 0);
  return new Map(f.map(([x, w]) => [x, w / total]));
}

/** Counts of x after each (t, v) over all walks: key "t,v" -> x -> count. */
function transitionCounts(nodes: Int32Array, length: number): Map<string, Map<number, number>> {
  const counts = new Map<string, Map<number, number>>();
  for (let at = 0; at < nodes.length; at += length)
    for (let k = 2; k < length && nodes[at + k] >= 0; k++) {
      const key = `${nodes[at + k - 2]},${nodes[at + k - 1]}`;
      const row = counts.get(key) ?? new Map<number, number>();
      row.set(nodes[at + k], (row.get(nodes[at + k]) ?? 0) + 1);
      counts.set(key, row);
    }
  return counts;
}

/** Every (t, v) seen often enough: each next node's frequency within 5 binomial sigmas. */
function assertFrequencies(graph: Csr, p: number, q: number, seed: number): void {
  const walks = randomWalks(graph, { length: 80, walksPerNode: 300, seed, p, q });
  const counts = transitionCounts(walks.nodes, walks.length);
  let checked = 0;
  for (const [key, row] of counts) {
    const n = [...row.values()].reduce((a, b) => a + b, 0);
    if (n < 2000) continue;
    const [t, v] = key.split(',').map(Number);
    for (const [x, prob] of exactNext(graph, t, v, p, q)) {
      const freq = (row.get(x) ?? 0) / n;
      const sigma = Math.sqrt((prob * (1 - prob)) / n);
      assert.ok(
        Math.abs(freq - prob) < 5 * sigma,
        `p=${p} q=${q}: ${t} -> ${v} -> ${x} seen ${freq.toFixed(4)}, exact ${prob.toFixed(4)} (n=${n})`,
      );
    }
    for (const x of row.keys()) assert.ok(exactNext(graph, t, v, p, q).has(x), `${key} -> ${x}`);
    checked++;
  }
  assert.ok(checked >= 10, `only ${checked} (t, v) pairs had enough samples`);
}

test('node2vec transition frequencies match 1/p, 1, 1/q normalised, for several p and q', () => {
  assertFrequencies(g, 0.25, 4, 1); // return dominates: the outlier area
  assertFrequencies(g, 2, 0.5, 2); // moving away dominates: envelope 1/q
  assertFrequencies(g, 1, 1, 3); // uniform
  assertFrequencies(g, 0.5, 2, 4);
});

test('the exact probabilities of the example, by hand: from 0 -> 1 with p = 0.25, q = 4', () => {
  // weights 4 (back to 0), 1 (to 2), 0.25 (to 3), 0.25 (to 4); total 5.5
  const e = exactNext(g, 0, 1, 0.25, 4);
  assert.deepEqual(
    [e.get(0), e.get(2), e.get(3), e.get(4)],
    [4 / 5.5, 1 / 5.5, 0.25 / 5.5, 0.25 / 5.5],
  );
  const counts = transitionCounts(
    randomWalks(g, { length: 80, walksPerNode: 300, seed: 9, p: 0.25, q: 4 }).nodes,
    80,
  ).get('0,1');
  assert.ok(counts);
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  assert.ok(Math.abs((counts.get(0) ?? 0) / n - 4 / 5.5) < 0.02);
});

test("the first step is uniform over the start node's neighbours; every step follows an edge", () => {
  const walks = randomWalks(g, {
    length: 5,
    walksPerNode: 20000,
    seed: 5,
    p: 0.25,
    q: 4,
    starts: Int32Array.of(1),
  });
  const first = new Map<number, number>();
  for (let r = 0; r < walks.count; r++) {
    const x = walks.nodes[r * 5 + 1];
    first.set(x, (first.get(x) ?? 0) + 1);
    for (let k = 1; k < 5; k++)
      assert.ok(neighbours(g, walks.nodes[r * 5 + k - 1]).includes(walks.nodes[r * 5 + k]));
  }
  for (const x of [0, 2, 3, 4]) assert.ok(Math.abs((first.get(x) ?? 0) / 20000 - 0.25) < 0.015);
});

test('walks are the same whatever the chunking, and differ with the seed', () => {
  const o = { length: 12, walksPerNode: 7, seed: 42, p: 0.5, q: 2 };
  const all = randomWalks(g, o);
  const chunked = new Int32Array(all.nodes.length);
  // uneven chunks in reverse order, as threads might finish them
  const bounds = [0, 5, 6, 19, 30, all.count];
  for (let c = bounds.length - 2; c >= 0; c--) {
    const out = new Int32Array((bounds[c + 1] - bounds[c]) * o.length);
    walkRows(g, { ...o, starts: all.starts }, bounds[c], bounds[c + 1], out);
    chunked.set(out, bounds[c] * o.length);
  }
  assert.deepEqual(chunked, all.nodes);
  assert.deepEqual(randomWalks(g, o).nodes, all.nodes);
  assert.notDeepEqual(randomWalks(g, { ...o, seed: 43 }).nodes, all.nodes);
  // a walk does not depend on which other start nodes are walked
  const alone = randomWalks(g, { ...o, starts: Int32Array.of(4) });
  for (let w = 0; w < o.walksPerNode; w++)
    assert.deepEqual(
      alone.nodes.subarray(w * 12, w * 12 + 12),
      all.nodes.subarray((w * 6 + 4) * 12, (w * 6 + 5) * 12),
    );
});

test('on a user-item graph the walk alternates users and items; a node without edges ends its walk', () => {
  // user 2 has no item
  const bg = bipartiteGraph(buildCsr(3, 3, Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 1)));
  const walks = randomWalks(bg, { length: 6, walksPerNode: 3, seed: 1, p: 0.25, q: 4 });
  for (let r = 0; r < walks.count; r++) {
    const w = Array.from(walks.nodes.subarray(r * 6, r * 6 + 6));
    if (w[0] === 2) assert.deepEqual(w, [2, -1, -1, -1, -1, -1]);
    else if (w[0] === 5)
      assert.deepEqual(w, [5, -1, -1, -1, -1, -1]); // item 2: no user
    else w.forEach((v, k) => k > 0 && assert.notEqual(v < 3, w[k - 1] < 3));
  }
});

test('walk options are checked before any walk', () => {
  assert.throws(() => randomWalks(g, { length: 0, walksPerNode: 1, seed: 1 }), /walk length/);
  assert.throws(() => randomWalks(g, { length: 3, walksPerNode: 1, seed: 1, p: 0 }), /p, q > 0/);
  assert.throws(
    () => randomWalks(g, { length: 3, walksPerNode: 1, seed: 1, starts: Int32Array.of(6) }),
    /start node 6/,
  );
  const unsorted = { ...g, indices: Int32Array.from(g.indices).reverse() };
  assert.throws(() => randomWalks(unsorted, { length: 3, walksPerNode: 1, seed: 1 }), /not sorted/);
});
