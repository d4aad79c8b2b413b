import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr, idCounts, rowDegrees } from '../../../src/data/csr.js';

test('idCounts and rowDegrees give the degrees of users and items', () => {
  const users = Int32Array.of(0, 0, 2, 2, 2);
  const items = Int32Array.of(1, 3, 1, 0, 3);
  assert.deepEqual([...idCounts(3, users)], [2, 0, 3]);
  assert.deepEqual([...idCounts(4, items)], [1, 2, 0, 2]);
  assert.deepEqual([...rowDegrees(buildCsr(3, 4, users, items))], [2, 0, 3]);
});
