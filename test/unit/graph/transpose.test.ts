import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transposeCsr } from '../../../src/graph/transpose.js';
import { buildCsr } from '../../../src/data/csr.js';

test('transposeCsr of a rectangular matrix', () => {
  const m = buildCsr(
    2,
    3,
    Int32Array.of(0, 0, 1),
    Int32Array.of(2, 0, 2),
    Float32Array.of(1, 2, 3),
  );
  const t = transposeCsr(m);
  assert.equal(t.nRows, 3);
  assert.equal(t.nCols, 2);
  assert.deepEqual(Array.from(t.indptr), [0, 1, 1, 3]);
  assert.deepEqual(Array.from(t.indices), [0, 0, 1]);
  assert.deepEqual(Array.from(t.values ?? []), [2, 1, 3]);
});

test('transposeCsr of a pattern-only matrix and of the transpose gives back the matrix', () => {
  const m = buildCsr(3, 2, Int32Array.of(2, 0, 1, 2), Int32Array.of(1, 1, 0, 0));
  const t = transposeCsr(m);
  assert.equal(t.values, undefined);
  const back = transposeCsr(t);
  assert.deepEqual(back.indptr, m.indptr);
  assert.deepEqual(Array.from(back.indices), [1, 0, 0, 1]); // rows come out sorted
});
