import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parallelWalks, splitRange } from '../../../src/engine/parallelWalks.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { randomWalks } from '../../../src/graph/walks.js';
import { buildCsr } from '../../../src/data/csr.js';
import { Rng } from '../../../src/util/rng.js';

// a random user-item graph with a user and an item that have no edges (walks from them stop)
function graph(): ReturnType<typeof bipartiteGraph> {
  const rng = new Rng(7);
  const nUsers = 40;
  const nItems = 30;
  const pairs = new Set<number>();
  while (pairs.size < 200) {
    const u = 1 + rng.int(nUsers - 1);
    const i = 1 + rng.int(nItems - 1);
    pairs.add(u * nItems + i);
  }
  const keys = [...pairs];
  const users = Int32Array.from(keys, (k) => Math.floor(k / nItems));
  const items = Int32Array.from(keys, (k) => k % nItems);
  return bipartiteGraph(buildCsr(nUsers, nItems, users, items));
}

test('parallel walks are the same walks, bit for bit, on 1, 2 and 3 threads', async () => {
  const g = graph();
  for (const [p, q] of [
    [1, 1],
    [0.25, 4],
  ]) {
    const o = { length: 12, walksPerNode: 3, seed: 11, p, q };
    const serial = randomWalks(g, o);
    // the walks are not all alike: a seed that ignored the walk's key would repeat them
    const walk = (r: number) => serial.nodes.subarray(r * 12, (r + 1) * 12);
    assert.notDeepEqual(walk(1), walk(g.nRows + 1));
    assert.ok(serial.nodes.includes(-1), 'the edgeless nodes end their walks');
    for (const threads of [1, 2, 3]) {
      const w = await parallelWalks(g, o, threads);
      assert.equal(w.count, serial.count);
      assert.deepEqual(w.nodes, serial.nodes, `p=${p} q=${q}, ${threads} threads`);
    }
  }
});

test('parallel walks from chosen starts, and with more threads than walks', async () => {
  const g = graph();
  const o = { length: 8, walksPerNode: 2, seed: 3, p: 4, q: 0.5, starts: Int32Array.of(5, 50, 5) };
  const serial = randomWalks(g, o);
  for (const threads of [2, 3, 8])
    assert.deepEqual((await parallelWalks(g, o, threads)).nodes, serial.nodes);
});

test('parallel walks refuse bad options before starting workers', async () => {
  const g = graph();
  await assert.rejects(parallelWalks(g, { length: 0, walksPerNode: 1, seed: 1 }, 2), /walk length/);
  await assert.rejects(parallelWalks(g, { length: 4, walksPerNode: 1, seed: 1 }, 0), /threads/);
});

test('splitRange covers [0, n) in contiguous near-equal parts', () => {
  assert.deepEqual(splitRange(10, 3), [
    [0, 3],
    [3, 6],
    [6, 10],
  ]);
});
