import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizedAdjacency } from '../../../src/graph/adjacency.js';
import { transposeCsr } from '../../../src/graph/transpose.js';
import { partitionByNnz, partitionListByNnz } from '../../../src/graph/partition.js';
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
  assert.deepEqual(Array.from(a.values), [f(1 / Math.sqrt(2)), f(1 / 2), f(1 / Math.sqrt(2)), f(1 / Math.sqrt(2)), f(1 / 2), f(1 / Math.sqrt(2))]);
  // symmetric: equals its transpose entry for entry
  const t = transposeCsr(a);
  assert.deepEqual(t.indptr, a.indptr);
  assert.deepEqual(t.indices, a.indices);
  assert.deepEqual(t.values, a.values);
});

test('normalizedAdjacency takes a user -> items CSR as well', () => {
  const fromCsr = normalizedAdjacency(buildCsr(3, 4, train.users, train.items));
  assert.deepEqual(fromCsr, normalizedAdjacency(train));
  assert.throws(() => normalizedAdjacency({ ...train, items: Int32Array.of(1, 0, 1, 9) }), /outside/);
});

test('transposeCsr of a rectangular matrix', () => {
  const m = buildCsr(2, 3, Int32Array.of(0, 0, 1), Int32Array.of(2, 0, 2), Float32Array.of(1, 2, 3));
  const t = transposeCsr(m);
  assert.equal(t.nRows, 3);
  assert.equal(t.nCols, 2);
  assert.deepEqual(Array.from(t.indptr), [0, 1, 1, 3]);
  assert.deepEqual(Array.from(t.indices), [0, 0, 1]);
  assert.deepEqual(Array.from(t.values ?? []), [2, 1, 3]);
});

test('partitionByNnz balances non-zeros plus a per-row cost', () => {
  // rows with 10, 0, 0, 10, 10, 10 entries
  const indptr = Int32Array.of(0, 10, 10, 10, 20, 30, 40);
  assert.deepEqual(Array.from(partitionByNnz(indptr, 1)), [0, 6]);
  assert.deepEqual(Array.from(partitionByNnz(indptr, 2, 0)), [0, 4, 6]);
  // rows 1, 2 cost nothing; one row each (cost 1) tips the split
  assert.deepEqual(Array.from(partitionByNnz(indptr, 2, 1)), [0, 4, 6]);
  assert.deepEqual(Array.from(partitionByNnz(indptr, 4, 0)), [0, 1, 4, 5, 6]);
  const b = partitionByNnz(indptr, 8);
  assert.equal(b.length, 9);
  for (let t = 0; t < 8; t++) assert.ok(b[t] <= b[t + 1]);
  assert.equal(b[8], 6);
  assert.throws(() => partitionByNnz(indptr, 0), /positive/);
});

test('partitionListByNnz splits a row list by the work of its rows', () => {
  const indptr = Int32Array.of(0, 10, 10, 10, 20, 30, 40);
  const rows = Int32Array.of(1, 0, 2, 5, 3);
  assert.deepEqual(Array.from(partitionListByNnz(indptr, rows, 2, 0)), [0, 4, 5]);
  assert.deepEqual(Array.from(partitionListByNnz(indptr, rows, 1)), [0, 5]);
});
