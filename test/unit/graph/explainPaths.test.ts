import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { explainPaths } from '../../../src/graph/explainPaths.js';
import { threeStepItemGraph } from '../../../src/graph/threeStep.js';

/**
 * A toy graph whose degrees are all powers of two, so every path probability and every sum of
 * them is exact in binary floating point:
 *   u0: i0 i1        u1: i0 i1 i2 i3        u2: i1 i2 i3 i4        u3: i1 i4
 *   deg: u0 2, u1 4, u2 4, u3 2; i0 2, i1 4, i2 2, i3 2, i4 2
 */
const HISTORY = [
  [0, 1],
  [0, 1, 2, 3],
  [1, 2, 3, 4],
  [1, 4],
];
function toy() {
  const rows = HISTORY.flatMap((items, u) => items.map(() => u));
  const cols = HISTORY.flat();
  return buildCsr(4, 5, Int32Array.from(rows), Int32Array.from(cols));
}

test('paths from u0 to i2, by hand: u0 -> i0 -> u1 -> i2 first, then the two through i1', () => {
  const [e] = explainPaths(bipartiteGraph(toy()), 0, [2]);
  // i0: v in U(i0) ∩ U(i2) = {u1}: 1/2 * 1/2 * 1/4; i1: v in {u1, u2}: 1/2 * 1/4 * 1/4 each
  assert.deepEqual(e.paths, [
    { via: 0, through: 1, probability: 1 / 16 },
    { via: 1, through: 1, probability: 1 / 32 },
    { via: 1, through: 2, probability: 1 / 32 },
  ]);
  assert.equal(e.pathCount, 3);
  assert.equal(e.probability, 1 / 8);
  assert.deepEqual(e.byHistoryItem, [
    { item: 0, probability: 1 / 16, share: 0.5, paths: 1 },
    { item: 1, probability: 1 / 16, share: 0.5, paths: 2 },
  ]);
});

test('paths to i4 all go through i1; the low-degree user u3 carries twice the mass of u2', () => {
  const [e] = explainPaths(bipartiteGraph(toy()), 0, [4]);
  assert.deepEqual(e.paths, [
    { via: 1, through: 3, probability: 1 / 16 },
    { via: 1, through: 2, probability: 1 / 32 },
  ]);
  assert.equal(e.probability, 3 / 32);
  assert.deepEqual(e.byHistoryItem, [{ item: 1, probability: 3 / 32, share: 1, paths: 2 }]);
});

test('the path probabilities are the 3-step walk distribution of u: they sum to 1 over all items', () => {
  const all = explainPaths(bipartiteGraph(toy()), 0, [0, 1, 2, 3, 4]);
  // by hand: P^3[u0, .] = 9/32, 12/32, 4/32, 4/32, 3/32
  assert.deepEqual(
    all.map((e) => e.probability * 32),
    [9, 12, 4, 4, 3],
  );
  assert.equal(
    all.reduce((s, e) => s + e.probability, 0),
    1,
  );
});

test("the paths sum exactly to P3alpha's score (r_u W, no pruning) over deg(u), for every user", () => {
  const csr = toy();
  const g = bipartiteGraph(csr);
  const W = threeStepItemGraph(g, { alpha: 1, beta: 0, k: 100, normalize: false });
  for (let u = 0; u < 4; u++) {
    const mine = HISTORY[u];
    const others = [0, 1, 2, 3, 4].filter((i) => !mine.includes(i));
    const explained = explainPaths(g, u, others);
    for (const e of explained) {
      let score = 0; // P3alpha: sum over j in I_u of W[j, i]
      for (const j of mine)
        for (let p = W.indptr[j]; p < W.indptr[j + 1]; p++)
          if (W.indices[p] === e.item) score += W.values[p];
      assert.equal(e.probability * mine.length, score, `user ${u}, item ${e.item}`);
      // and the history items' parts add up to it
      assert.equal(
        e.byHistoryItem.reduce((s, h) => s + h.probability, 0),
        e.probability,
      );
    }
  }
});

test("alpha raises every step's probability; topPaths lists the most probable paths only", () => {
  const g = bipartiteGraph(toy());
  const [e] = explainPaths(g, 0, [2], { alpha: 2, topPaths: 1 });
  assert.deepEqual(e.paths, [{ via: 0, through: 1, probability: 1 / 256 }]);
  assert.equal(e.pathCount, 3);
  assert.equal(e.probability, 1 / 256 + 2 / 1024);
});

test('an item no walk reaches, and an index out of range, have no paths; a bad user throws', () => {
  // u0 has i0, u1 has i1: no user has both, so no walk from u0 reaches i1
  const csr = buildCsr(2, 3, Int32Array.of(0, 1), Int32Array.of(0, 1));
  const [none, out] = explainPaths(bipartiteGraph(csr), 0, [1, 7]);
  assert.deepEqual(none, { item: 1, probability: 0, pathCount: 0, byHistoryItem: [], paths: [] });
  assert.equal(out.pathCount, 0);
  assert.throws(() => explainPaths(bipartiteGraph(csr), 2, [0]), /user must be an index below 2/);
});
