import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanAdjacencyWithSelfLoops, normalizedAdjacency } from '../../../src/graph/adjacency.js';
import { transposeCsr } from '../../../src/graph/transpose.js';
import { buildCsr } from '../../../src/data/csr.js';

// users 0..2, items 0..3; user 2 and item 3 have no interaction; (0, 1) is repeated
const train = {
  nUsers: 3,
  nItems: 4,
  users: Int32Array.of(0, 0, 1, 0),
  items: Int32Array.of(1, 0, 1, 1),
};

test('normalizedAdjacency: D^-1/2 A D^-1/2 over users then items, symmetric, binary, sorted rows', () => {
  const a = normalizedAdjacency(train);
  assert.equal(a.nRows, 7);
  assert.equal(a.nCols, 7);
  assert.equal(a.symmetric, true);
  assert.deepEqual([a.nUsers, a.nItems], [3, 4]);
  // deg: u0 = 2 (items 0, 1), u1 = 1; i0 = 1, i1 = 2
  assert.deepEqual(Array.from(a.indptr), [0, 2, 3, 3, 4, 6, 6, 6]);
  assert.deepEqual(Array.from(a.indices), [3, 4, 4, 0, 0, 1]);
  const f = Math.fround;
  assert.deepEqual(Array.from(a.values), [
    f(1 / Math.sqrt(2)),
    f(1 / 2),
    f(1 / Math.sqrt(2)),
    f(1 / Math.sqrt(2)),
    f(1 / 2),
    f(1 / Math.sqrt(2)),
  ]);
  // symmetric: equals its transpose entry for entry
  const t = transposeCsr(a);
  assert.deepEqual(t.indptr, a.indptr);
  assert.deepEqual(t.indices, a.indices);
  assert.deepEqual(t.values, a.values);
});

test('normalizedAdjacency takes a user -> items CSR as well', () => {
  const fromCsr = normalizedAdjacency(buildCsr(3, 4, train.users, train.items));
  assert.deepEqual(fromCsr, normalizedAdjacency(train));
  assert.throws(
    () => normalizedAdjacency({ ...train, items: Int32Array.of(1, 0, 1, 9) }),
    /outside/,
  );
});

test('meanAdjacencyWithSelfLoops: D^-1 (A + I), the diagonal in column order, isolated nodes keep themselves', () => {
  const a = meanAdjacencyWithSelfLoops(train);
  assert.equal(a.nRows, 7);
  // rows: u0 {0, i0=3, i1=4}, u1 {1, 4}, u2 {2}, i0 {0, 3}, i1 {0, 1, 4}, i2 {5}, i3 {6}
  assert.deepEqual(Array.from(a.indptr), [0, 3, 5, 6, 8, 11, 12, 13]);
  assert.deepEqual(Array.from(a.indices), [0, 3, 4, 1, 4, 2, 0, 3, 0, 1, 4, 5, 6]);
  const f = Math.fround;
  assert.deepEqual(
    Array.from(a.values),
    [1 / 3, 1 / 3, 1 / 3, 1 / 2, 1 / 2, 1, 1 / 2, 1 / 2, 1 / 3, 1 / 3, 1 / 3, 1, 1].map(f),
  );
  // each row averages: its weights sum to 1
  for (let r = 0; r < 7; r++) {
    let s = 0;
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) s += a.values[p];
    assert.ok(Math.abs(s - 1) < 1e-6, `row ${r}`);
  }
});

test('normalizedAdjacency with social edges: friends join A before normalisation, degrees count both', () => {
  // users 0..2, items 0..1: u0-i0, u1-i0, u1-i1; friendships 0-2 and 1-2 (2 listens to nothing),
  // 0-0 a self-loop and 2-0 repeated: both ignored
  const ui = { nUsers: 3, nItems: 2, users: Int32Array.of(0, 1, 1), items: Int32Array.of(0, 0, 1) };
  const social = buildCsr(3, 3, Int32Array.of(0, 2, 1, 2, 0, 2), Int32Array.of(2, 0, 2, 1, 0, 0));
  const a = normalizedAdjacency(ui, { social });
  assert.equal(a.symmetric, true);
  // deg: u0 = 1 item + 1 friend = 2, u1 = 2 + 1 = 3, u2 = 0 + 2 = 2; i0 = 2, i1 = 1
  // nodes: u0 u1 u2 i0(3) i1(4); user rows list friends first, then items: ascending
  assert.deepEqual(Array.from(a.indptr), [0, 2, 5, 7, 9, 10]);
  assert.deepEqual(Array.from(a.indices), [2, 3, 2, 3, 4, 0, 1, 0, 1, 1]);
  const f = (x: number): number => Math.fround(1 / Math.sqrt(x));
  assert.deepEqual(Array.from(a.values), [
    f(2 * 2), // u0-u2
    f(2 * 2), // u0-i0
    f(3 * 2), // u1-u2
    f(3 * 2), // u1-i0
    f(3 * 1), // u1-i1
    f(2 * 2), // u2-u0
    f(2 * 3), // u2-u1
    f(2 * 2), // i0-u0
    f(2 * 3), // i0-u1
    f(3 * 1), // i1-u1
  ]);
  // the plain graph is unchanged by an empty options object
  assert.deepEqual(normalizedAdjacency(ui, {}), normalizedAdjacency(ui));
  assert.throws(
    () => normalizedAdjacency(ui, { social: buildCsr(3, 3, Int32Array.of(0), Int32Array.of(1)) }),
    /symmetric: \(0, 1\) without \(1, 0\)/,
  );
  assert.throws(
    () => normalizedAdjacency(ui, { social: buildCsr(2, 2, Int32Array.of(0), Int32Array.of(1)) }),
    /3 x 3/,
  );
});
