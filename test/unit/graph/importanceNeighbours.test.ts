import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import { Tape, ops } from '../../../src/engine/tape/index.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import {
  computationGraph,
  importanceNeighbourhoods,
} from '../../../src/graph/importanceNeighbours.js';
import { randomWalks, type Walks } from '../../../src/graph/walks.js';
import { withPool } from '../engine/helpers.js';

/** Row v of a weighted CSR as {node: weight}. */
const row = (m: { indptr: Int32Array; indices: Int32Array; values: Float32Array }, v: number) =>
  Object.fromEntries(
    [...m.indices.subarray(m.indptr[v], m.indptr[v + 1])].map((x, k) => [
      x,
      m.values[m.indptr[v] + k],
    ]),
  );

test('top-T by visit count over the walks from each node, the start not counted, counts normalised', () => {
  // 2 walks of 4 nodes from each of nodes 0, 1, 2 (walk w of start k is row w * 3 + k)
  const walks: Walks = {
    starts: Int32Array.of(0, 1, 2),
    length: 4,
    count: 6,
    nodes: Int32Array.of(
      ...[0, 3, 4, 3],
      ...[1, 2, 1, 2],
      ...[2, -1, -1, -1],
      ...[0, 4, 0, 5],
      ...[1, 0, 1, 3],
      ...[2, -1, -1, -1],
    ),
  };
  const n = importanceNeighbourhoods(walks, 6, 2);
  // node 0 visits 3 twice, 4 twice, 5 once: the top 2 are 3 and 4, 2/4 each
  assert.deepEqual(row(n, 0), { 3: 0.5, 4: 0.5 });
  // node 1 visits 2 twice, 0 once, 3 once: 2, then 0 (the lower id of the tie)
  const r1 = row(n, 1);
  assert.deepEqual(Object.keys(r1), ['0', '2']);
  assert.ok(Math.abs(r1[2] - 2 / 3) < 1e-6 && Math.abs(r1[0] - 1 / 3) < 1e-6);
  // node 2 has no edges; nodes 3..5 started no walks
  for (const v of [2, 3, 4, 5]) assert.deepEqual(row(n, v), {});
});

test("a hand-built graph's importance neighbourhood follows the walk's visit probabilities", () => {
  // user 0 has items a (0) and b (1); a is shared with users 1, 2, 3, b with user 4.
  // Walks of 3 nodes from user 0 visit a and b 1/2 each, user 4 1/4, users 1..3 1/8 each.
  const users = Int32Array.of(0, 0, 1, 2, 3, 4);
  const items = Int32Array.of(0, 1, 0, 0, 0, 1);
  const g = bipartiteGraph(buildCsr(5, 2, users, items));
  const walks = randomWalks(g, { length: 3, walksPerNode: 4000, seed: 7 });
  const n = importanceNeighbourhoods(walks, g.nRows, 3);
  const r = row(n, 0);
  // node ids: users 0..4, items 5 (a) and 6 (b); the top 3: a, b, user 4 at .5 : .5 : .25
  assert.deepEqual(Object.keys(r), ['4', '5', '6']);
  for (const [v, want] of [
    [5, 0.4],
    [6, 0.4],
    [4, 0.2],
  ])
    assert.ok(Math.abs(r[v] - want) < 0.03, `node ${v}: ${r[v]} vs ${want}`);
});

test('importance pooling is the weighted mean of the neighbours by their weights; mean pooling ignores them', async () => {
  const walks: Walks = {
    starts: Int32Array.of(0),
    length: 5,
    count: 1,
    nodes: Int32Array.of(0, 1, 2, 1, 1),
  };
  const n = importanceNeighbourhoods(walks, 3, 2);
  const x = Float32Array.of(0, 0, 10, 20, 40, 80);
  await withPool({ threads: 1 }, (pool) => {
    const t = new Tape(pool);
    const input = t.input(t.buffer(6), 3, 2);
    input.data.set(x);
    // node 0: node 1 weighs 3/4, node 2 1/4
    assert.deepEqual([...ops.neighbourWeighted(t, input, n).data.subarray(0, 2)], [17.5, 35]);
    assert.deepEqual([...ops.neighbourMean(t, input, n).data.subarray(0, 2)], [25, 50]);
    t.dispose();
  });
});

test("Algorithm 2's computation graph: targets first, each layer's nodes a prefix of the next, weights kept", () => {
  // a path 0 - 1 - 2 - 3 - 4 as neighbourhoods with weights
  const nb = {
    nRows: 5,
    nCols: 5,
    indptr: Int32Array.of(0, 1, 3, 5, 7, 8),
    indices: Int32Array.of(1, 0, 2, 1, 3, 2, 4, 3),
    values: Float32Array.of(1, 0.25, 0.75, 0.5, 0.5, 0.9, 0.1, 1),
  };
  const cg = computationGraph(nb, [2, 2], 2);
  assert.deepEqual([...cg.targetRows], [0, 0]);
  assert.deepEqual(cg.sizes, [5, 3, 1]);
  assert.deepEqual([...cg.nodes], [2, 1, 3, 0, 4]);
  const [b1, b2] = cg.blocks;
  // layer 2: node 2 over rows of 1 and 3
  assert.deepEqual([...b2.indices], [1, 2]);
  assert.deepEqual([...b2.values], [0.5, 0.5]);
  // layer 1: nodes 2, 1, 3 over S^(0) = [2, 1, 3, 0, 4]
  assert.deepEqual([...b1.indptr], [0, 2, 4, 6]);
  assert.deepEqual([...b1.indices], [1, 2, 3, 0, 0, 4]);
  assert.deepEqual(b1.values, Float32Array.of(0.5, 0.5, 0.25, 0.75, 0.9, 0.1));
});
