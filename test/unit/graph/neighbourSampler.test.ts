import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Csr } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { samplePositions, sampleBlocks } from '../../../src/graph/neighbourSampler.js';

/**
 * 3 users, 4 items (nodes 3..6): user 0 has every item, user 1 items 0 and 1, user 2 item 3;
 * item 0 has users 0 and 1, item 2 user 0 only.
 */
const GRAPH = bipartiteGraph(
  buildCsr(3, 4, Int32Array.of(0, 0, 0, 0, 1, 1, 2), Int32Array.of(0, 1, 2, 3, 0, 1, 3)),
);

const neighbours = (g: Csr, v: number): number[] => [
  ...g.indices.subarray(g.indptr[v], g.indptr[v + 1]),
];

const rowOf = (b: Csr, r: number): number[] => [
  ...b.indices.subarray(b.indptr[r], b.indptr[r + 1]),
];

test('samplePositions: fanout distinct ascending positions, all of them when the degree is no more', () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 200; trial++) {
    const degree = 1 + rng.int(40);
    const fanout = 1 + rng.int(12);
    const p = samplePositions(degree, fanout, rng);
    assert.equal(p.length, Math.min(degree, fanout));
    assert.ok(
      p.every((x, k) => Number.isInteger(x) && x >= 0 && x < degree && (k === 0 || x > p[k - 1])),
    );
  }
  const before = new Rng(9);
  const after = new Rng(9);
  assert.deepEqual(samplePositions(4, 4, before), [0, 1, 2, 3]);
  assert.deepEqual(samplePositions(3, 10, before), [0, 1, 2]);
  assert.equal(before.nextU32(), after.nextU32(), 'no draw when every neighbour is kept');
});

test('samplePositions: every position equally likely (not the first ones, not a biased draw)', () => {
  const rng = new Rng(11);
  const degree = 10;
  const fanout = 3;
  const counts = new Array<number>(degree).fill(0);
  const trials = 20000;
  for (let k = 0; k < trials; k++)
    for (const p of samplePositions(degree, fanout, rng)) counts[p]++;
  const expected = (trials * fanout) / degree;
  for (const c of counts) assert.ok(Math.abs(c - expected) < 0.05 * expected, `counts ${counts}`);
});

test('sampleBlocks: Algorithm 2 sets, fanouts respected, neighbours only, B^k a prefix of B^(k-1)', () => {
  const fanouts = [1, 2];
  const s = sampleBlocks(GRAPH, [0, 4, 0], fanouts, new Rng(3));
  assert.equal(s.sizes.length, 3);
  assert.equal(s.sizes[2], 2, 'B^2: the distinct targets');
  assert.deepEqual([...s.nodes.subarray(0, 2)], [0, 4]);
  assert.deepEqual([...s.targetRows], [0, 1, 0], 'a repeated target shares its row');
  assert.equal(s.nodes.length, s.sizes[0]);
  assert.equal(new Set(s.nodes).size, s.nodes.length, 'each node once');
  for (let k = 1; k <= 2; k++) {
    const b = s.blocks[k - 1];
    assert.equal(b.nRows, s.sizes[k]);
    assert.equal(b.nCols, s.sizes[k - 1]);
    for (let r = 0; r < b.nRows; r++) {
      const drawn = rowOf(b, r).map((c) => s.nodes[c]);
      const all = neighbours(GRAPH, s.nodes[r]);
      assert.equal(drawn.length, Math.min(all.length, fanouts[k - 1]), `layer ${k} row ${r}`);
      assert.ok(
        drawn.every((u) => all.includes(u)),
        `layer ${k} row ${r}: ${drawn} not in ${all}`,
      );
      assert.equal(new Set(drawn).size, drawn.length, 'without replacement');
    }
  }
  // user 0 (degree 4) draws 2 of its items at layer 2, item 1 (users 0 and 1) both
  assert.equal(rowOf(s.blocks[1], 0).length, 2);
  assert.deepEqual(
    rowOf(s.blocks[1], 1).map((c) => s.nodes[c]),
    [0, 1],
  );
});

test('sampleBlocks: the same seed draws the same blocks, another seed other ones', () => {
  const draw = (seed: number) => sampleBlocks(GRAPH, [0, 1, 5], [2, 2], new Rng(seed));
  const key = (seed: number) => {
    const s = draw(seed);
    return JSON.stringify([[...s.nodes], ...s.blocks.map((b) => [[...b.indptr], [...b.indices]])]);
  };
  assert.equal(key(7), key(7));
  const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(key));
  assert.ok(seen.size > 1, 'user 0 has 4 items and draws 2: the seed matters');
});

test('sampleBlocks: fanouts at least every degree give the full neighbourhoods', () => {
  const s = sampleBlocks(GRAPH, [2, 6], [10, 10], new Rng(1));
  for (let k = 1; k <= 2; k++) {
    const b = s.blocks[k - 1];
    for (let r = 0; r < b.nRows; r++)
      assert.deepEqual(
        rowOf(b, r).map((c) => s.nodes[c]),
        neighbours(GRAPH, s.nodes[r]),
      );
  }
  // user 2 -> item 3 (node 6) -> users 0 and 2 -> user 0's items; user 1 is three hops away
  assert.deepEqual([...s.nodes.subarray(0, s.sizes[1])], [2, 6, 0]);
  assert.deepEqual([...s.nodes].sort(), [0, 2, 3, 4, 5, 6]);
});

test('sampleBlocks refuses a target outside the graph and a fanout below 1', () => {
  assert.throws(() => sampleBlocks(GRAPH, [7], [2], new Rng(1)), /target node 7 outside \[0, 7\)/);
  assert.throws(() => sampleBlocks(GRAPH, [0], [0], new Rng(1)), /fanout 0/);
});
