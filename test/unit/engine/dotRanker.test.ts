import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDotRanker } from '../../../src/engine/ranker/dotRanker.js';
import { Pool } from '../../../src/engine/pool.js';
import type { Csr } from '../../../src/data/types.js';
import { randomCsr, randomDense } from './helpers.js';

/** Brute force with the same float32 arithmetic: sequential fround sums in dimension order. */
function bruteTopK(
  u: Float32Array,
  it: Float32Array,
  dim: number,
  users: Int32Array,
  k: number,
  exclude: readonly Csr[],
): Int32Array {
  const nItems = it.length / dim;
  const out = new Int32Array(users.length * k).fill(-1);
  users.forEach((user, j) => {
    const banned = new Set<number>();
    for (const m of exclude)
      if (user < m.nRows)
        for (let p = m.indptr[user]; p < m.indptr[user + 1]; p++) banned.add(m.indices[p]);
    const cand: { i: number; s: number }[] = [];
    for (let i = 0; i < nItems; i++) {
      if (banned.has(i)) continue;
      let s = 0;
      for (let d = 0; d < dim; d++)
        s = Math.fround(s + Math.fround(u[user * dim + d] * it[i * dim + d]));
      if (s > -Infinity) cand.push({ i, s });
    }
    cand.sort((a, b) => b.s - a.s || a.i - b.i);
    cand.slice(0, k).forEach((c, r) => (out[j * k + r] = c.i));
  });
  return out;
}

const dim = 12;
const nUsers = 150;
const nItems = 1203; // several tiles of 512, a ragged last panel
const U = randomDense(nUsers * dim, 1);
const I = randomDense(nItems * dim, 2);
const train = randomCsr(nUsers, nItems, 0.05, 3);
const extra: Csr = {
  nRows: 10,
  nCols: nItems,
  indptr: Int32Array.from({ length: 11 }, (_, r) => Math.min(r, 10) * 2),
  indices: Int32Array.from({ length: 20 }, (_, p) => (p * 37) % nItems),
};
const users = Int32Array.from({ length: nUsers }, (_, j) => (j * 7) % nUsers);

for (const kernels of ['wasm', 'js'] as const) {
  for (const threads of [1, 2]) {
    test(`dot ranker (${kernels}, ${threads} threads) equals brute force, with exclusions from two CSRs`, async () => {
      const r = createDotRanker(U, I, dim, { threads, kernels });
      try {
        for (const k of [1, 20]) {
          const got = await r.topK(users, k, [train, extra]);
          assert.deepEqual(got, bruteTopK(U, I, dim, users, k, [train, extra]));
        }
      } finally {
        await r.dispose();
      }
    });
  }
}

test('ties go to the lower item id; -1 pads when fewer than k items are eligible', async () => {
  const u = Float32Array.of(1, 0);
  const items = Float32Array.of(1, 0, 2, 0, 1, 0, 2, 0, 0, 5); // scores 1 2 1 2 0
  const r = createDotRanker(u, items, 2, { threads: 1 });
  try {
    assert.deepEqual(await r.topK(Int32Array.of(0), 5, []), Int32Array.of(1, 3, 0, 2, 4));
    const ex: Csr = {
      nRows: 1,
      nCols: 5,
      indptr: Int32Array.of(0, 3),
      indices: Int32Array.of(3, 0, 4),
    };
    assert.deepEqual(await r.topK(Int32Array.of(0), 4, [ex]), Int32Array.of(1, 2, -1, -1));
    assert.deepEqual(await r.topK(Int32Array.of(0, 0), 0, []), new Int32Array(0));
    await assert.rejects(r.topK(Int32Array.of(1), 1, []), /out of range/);
  } finally {
    await r.dispose();
  }
});

test('a ranker on a shared pool leaves the pool running after dispose', async () => {
  const pool = await Pool.create({ threads: 2 });
  try {
    const r = createDotRanker(U, I, dim, { pool });
    const a = await r.topK(users, 10, [train]);
    await r.dispose();
    const r2 = createDotRanker(U, I, dim, { pool });
    assert.deepEqual(await r2.topK(users, 10, [train]), a);
    await r2.dispose();
  } finally {
    await pool.dispose();
  }
});
