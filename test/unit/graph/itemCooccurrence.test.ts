import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Csr } from '../../../src/data/types.js';
import {
  itemCooccurrence,
  normalizedItemGraph,
  sessionGroups,
} from '../../../src/graph/itemCooccurrence.js';
import type { WeightedCsr } from '../../../src/graph/types.js';

/** Groups as rows of item ids. */
function groupsOf(nItems: number, rows: number[][]): Csr {
  const rs = rows.flatMap((row, g) => row.map(() => g));
  return buildCsr(rows.length, nItems, Int32Array.from(rs), Int32Array.from(rows.flat()));
}

function dense(m: WeightedCsr): number[][] {
  const out = Array.from({ length: m.nRows }, () => new Array<number>(m.nCols).fill(0));
  for (let i = 0; i < m.nRows; i++)
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) out[i][m.indices[p]] = m.values[p];
  return out;
}

function assertMatrixClose(actual: number[][], expected: number[][]): void {
  expected.forEach((row, i) =>
    row.forEach((e, j) =>
      assert.ok(
        Math.abs(actual[i][j] - e) <= 1e-6 * Math.max(1, Math.abs(e)),
        `[${i}][${j}]: ${actual[i][j]} vs ${e}`,
      ),
    ),
  );
}

// Groups {0,1,2}, {0,1}, {1,3} and a repeat of item 2 in the first: C counts groups, not repeats.
//   C = [[0,2,1,0],[2,0,1,1],[1,1,0,0],[0,1,0,0]],  d = (3, 4, 2, 1)
const toy = groupsOf(4, [
  [0, 1, 2, 2],
  [0, 1],
  [1, 3],
]);
const C = [
  [0, 2, 1, 0],
  [2, 0, 1, 1],
  [1, 1, 0, 0],
  [0, 1, 0, 0],
];
const d = [3, 4, 2, 1];

test('co-occurrence counts the groups holding both items, repeats once, no diagonal', () => {
  assert.deepEqual(dense(itemCooccurrence(toy)), C);
});

test('r-normalisation: C[i, j] / (d_i^r d_j^(1-r)) on the toy, by hand for r = 0, 0.5, 1', () => {
  // r = 1: rows are the seed's random-walk step (row 1: 2/4, 1/4, 1/4)
  assertMatrixClose(dense(normalizedItemGraph(toy, { r: 1, k: 10 })), [
    [0, 2 / 3, 1 / 3, 0],
    [2 / 4, 0, 1 / 4, 1 / 4],
    [1 / 2, 1 / 2, 0, 0],
    [0, 1, 0, 0],
  ]);
  // r = 0: divided by the target's degree (column 1 by 4)
  assertMatrixClose(dense(normalizedItemGraph(toy, { r: 0, k: 10 })), [
    [0, 2 / 4, 1 / 2, 0],
    [2 / 3, 0, 1 / 2, 1 / 1],
    [1 / 3, 1 / 4, 0, 0],
    [0, 1 / 4, 0, 0],
  ]);
  // r = 0.5: LightGCN's symmetric D^-1/2 C D^-1/2
  const half = dense(normalizedItemGraph(toy, { r: 0.5, k: 10 }));
  assertMatrixClose(
    half,
    C.map((row, i) => row.map((c, j) => c / Math.sqrt(d[i] * d[j]))),
  );
  assert.ok(half.every((row, i) => row.every((v, j) => v === half[j][i])));
  // r = 0.3, one entry: 1 / (3^0.3 * 2^0.7)
  assert.ok(
    Math.abs(dense(normalizedItemGraph(toy, { r: 0.3, k: 10 }))[0][2] - 1 / (3 ** 0.3 * 2 ** 0.7)) <
      1e-7,
  );
});

test('top-k keeps the k largest entries of each row, ties to the lower id', () => {
  // r = 1, k = 1: row 1 keeps item 0 (2/4); row 2's tie 1/2, 1/2 keeps item 0
  assert.deepEqual(dense(normalizedItemGraph(toy, { r: 1, k: 1 })), [
    [0, 2 / 3, 0, 0].map(Math.fround),
    [0.5, 0, 0, 0],
    [0.5, 0, 0, 0],
    [0, 1, 0, 0],
  ]);
});

test('sessions are groups: items of one session co-occur, whatever their order', () => {
  const sessions = sessionGroups({
    nSessions: 2,
    nItems: 3,
    offsets: Int32Array.from([0, 3, 5]),
    items: Int32Array.from([2, 0, 2, 1, 0]),
    sessionIds: { ids: ['a', 'b'], index: new Map() },
    itemIds: { ids: ['x', 'y', 'z'], index: new Map() },
  });
  assert.deepEqual(dense(itemCooccurrence(sessions)), [
    [0, 1, 1],
    [1, 0, 0],
    [1, 0, 0],
  ]);
});

test('bad r and k are refused', () => {
  assert.throws(() => normalizedItemGraph(toy, { r: 1.5, k: 1 }), /r must be a number in \[0, 1\]/);
  assert.throws(() => normalizedItemGraph(toy, { r: 0.5, k: 0 }), /k must be an integer >= 1/);
});
