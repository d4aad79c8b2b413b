import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionByNnz, partitionListByNnz } from '../../../src/graph/partition.js';

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
