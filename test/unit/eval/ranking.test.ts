import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Csr } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { JsDotRanker, ScoreFnRanker } from '../../../src/eval/ranking.js';

const csr = (nRows: number, nCols: number, pairs: [number, number][]): Csr =>
  buildCsr(
    nRows,
    nCols,
    Int32Array.from(pairs.map((p) => p[0])),
    Int32Array.from(pairs.map((p) => p[1])),
  );

// dim 2; user 0 = (1, 0) scores items by their first coordinate: [0.5, 1, 1, 0.5, 0]
// user 1 = (0, 1) scores them by the second: [0, 0, 5, 9, 0]
const USERS = Float32Array.of(1, 0, 0, 1);
const ITEMS = Float32Array.of(0.5, 0, 1, 0, 1, 5, 0.5, 9, 0, 0);

test('JsDotRanker: best first, ties to the lower id, -1 pads past the catalogue', async () => {
  const r = new JsDotRanker(USERS, ITEMS, 2);
  assert.deepEqual(
    [...(await r.topK(Int32Array.of(0, 1), 7, []))],
    [1, 2, 0, 3, 4, -1, -1, 3, 2, 0, 1, 4, -1, -1],
  );
  assert.deepEqual([...(await r.topK(Int32Array.of(1, 1, 0), 1, []))], [3, 3, 1]);
  assert.deepEqual([...(await r.topK(Int32Array.of(), 3, []))], []);
});

test('JsDotRanker: excluded items are never recommended, from every exclusion matrix', async () => {
  const r = new JsDotRanker(USERS, ITEMS, 2);
  const train = csr(2, 5, [
    [0, 2],
    [1, 3],
    [1, 2],
  ]);
  const valid = csr(2, 5, [[0, 1]]);
  assert.deepEqual([...(await r.topK(Int32Array.of(0, 1), 4, [train]))], [1, 0, 3, 4, 0, 1, 4, -1]);
  assert.deepEqual([...(await r.topK(Int32Array.of(0), 5, [train, valid]))], [0, 3, 4, -1, -1]);
});

test('JsDotRanker validates its inputs', async () => {
  assert.throws(() => new JsDotRanker(new Float32Array(3), new Float32Array(4), 2), RangeError);
  assert.throws(() => new JsDotRanker(new Float32Array(2), new Float32Array(2), 0), RangeError);
  const r = new JsDotRanker(USERS, ITEMS, 2);
  await assert.rejects(r.topK(Int32Array.of(2), 1, []), RangeError);
  await assert.rejects(r.topK(Int32Array.of(0), 1.5, []), RangeError);
});

/** Reference: every score by a plain loop (double sum in dimension order, stored as float32), full sort. */
function bruteTopK(
  u: Float32Array,
  it: Float32Array,
  dim: number,
  users: Int32Array,
  k: number,
  exclude: Csr[],
): number[] {
  const nItems = it.length / dim;
  const out: number[] = [];
  for (const user of users) {
    const banned = new Set<number>();
    for (const m of exclude)
      if (user < m.nRows)
        for (let p = m.indptr[user]; p < m.indptr[user + 1]; p++) banned.add(m.indices[p]);
    const scored: { id: number; s: number }[] = [];
    for (let i = 0; i < nItems; i++) {
      if (banned.has(i)) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += u[user * dim + d] * it[i * dim + d];
      scored.push({ id: i, s: Math.fround(s) });
    }
    scored.sort((a, b) => b.s - a.s || a.id - b.id);
    for (let r = 0; r < k; r++) out.push(scored[r]?.id ?? -1);
  }
  return out;
}

test('JsDotRanker top-K equals a brute-force full sort on random data', async () => {
  const rng = new Rng(42);
  for (let trial = 0; trial < 40; trial++) {
    const dim = 1 + rng.int(13); // not a multiple of the 4-wide panels on purpose
    const nUsers = 1 + rng.int(30);
    const nItems = 1 + rng.int(150);
    // coarse values on some trials so exact ties happen
    const coarse = trial % 3 === 0;
    const draw = (): number => (coarse ? rng.int(3) - 1 : rng.normal());
    const u = Float32Array.from({ length: nUsers * dim }, draw);
    const it = Float32Array.from({ length: nItems * dim }, draw);
    const users = Int32Array.from({ length: 1 + rng.int(40) }, () => rng.int(nUsers)); // repeats allowed
    const pairs: [number, number][] = [];
    for (let e = rng.int(nUsers * 6); e > 0; e--) pairs.push([rng.int(nUsers), rng.int(nItems)]);
    const exclude = [csr(nUsers, nItems, pairs)];
    const k = 1 + rng.int(nItems + 4);
    const block = 1 + rng.int(9); // odd blocks exercise padded user panels
    const got = await new JsDotRanker(u, it, dim, { block }).topK(users, k, exclude);
    assert.deepEqual([...got], bruteTopK(u, it, dim, users, k, exclude), `trial ${trial}`);
  }
});

test('ScoreFnRanker ranks any score function in blocks, zeroing the buffer for each', async () => {
  const S = [
    [0.9, 0.8, 0.8, 0.1],
    [0, 0, 0, 0],
    [1, 2, 3, 4],
  ];
  const calls: number[][] = [];
  const r = new ScoreFnRanker(
    async (users, out) => {
      calls.push([...users]);
      assert.equal(out.length, users.length * 4);
      assert.ok(out.every((x) => x === 0));
      users.forEach((u, row) => out.set(S[u], row * 4));
    },
    4,
    { block: 2 },
  );
  const exclude = [csr(3, 4, [[0, 0]])];
  const got = await r.topK(Int32Array.of(0, 1, 2), 3, exclude);
  assert.deepEqual([...got], [1, 2, 3, 0, 1, 2, 3, 2, 1]);
  assert.deepEqual(calls, [[0, 1], [2]]);
});
