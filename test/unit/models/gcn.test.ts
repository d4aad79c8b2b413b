/**
 * GCN against Kipf & Welling's equations on a hand-built graph: the renormalised adjacency
 * D̃^-1/2 (A + I) D̃^-1/2 entry by entry, and eq. 2's two layers (ReLU between, the last
 * linear) in float64 from the model's own parameters, in both forms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gcnAdjacency } from '../../../src/graph/adjacency.js';
import { Gcn } from '../../../src/models/gcn.js';
import { contextOf } from './walkContext.js';

// users 0, 1; items 0, 1 (nodes 2, 3): u0-i0, u0-i1, u1-i1
const train = {
  nUsers: 2,
  nItems: 2,
  users: Int32Array.from([0, 0, 1]),
  items: Int32Array.from([0, 1, 1]),
};
const s6 = 1 / Math.sqrt(6);
// degrees with the self-loop: u0 3, u1 2, i0 2, i1 3
const A_HAT = [
  [1 / 3, 0, s6, 1 / 3],
  [0, 1 / 2, 0, s6],
  [s6, 0, 1 / 2, 0],
  [1 / 3, s6, 0, 1 / 3],
];
// D^-1 A without self-loops (selfNeighbour form's neighbour mean)
const MEAN = [
  [0, 0, 1 / 2, 1 / 2],
  [0, 0, 0, 1],
  [1, 0, 0, 0],
  [1 / 2, 1 / 2, 0, 0],
];

type M = number[][];
const mm = (a: M, b: M): M =>
  a.map((r) => b[0].map((_, c) => r.reduce((s, v, k) => s + v * b[k][c], 0)));
const plus = (a: M, b: M): M => a.map((r, i) => r.map((v, j) => v + b[i][j]));
const relu = (a: M): M => a.map((r) => r.map((v) => Math.max(0, v)));
const rows = (x: Float32Array, n: number, d: number): M =>
  Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));

test('the renormalised adjacency is D̃^-1/2 (A + I) D̃^-1/2', () => {
  const a = gcnAdjacency(train);
  const dense = A_HAT.map((r) => r.map(() => 0));
  for (let r = 0; r < 4; r++)
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) dense[r][a.indices[p]] = a.values[p];
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++)
      assert.ok(Math.abs(dense[r][c] - A_HAT[r][c]) < 1e-7, `(${r}, ${c})`);
});

for (const form of ['renormalized', 'selfNeighbour'] as const) {
  test(`eq. 2, two layers (${form}): the model's vectors equal the float64 product`, async () => {
    const d = 3;
    const m = await Gcn.create({ ...contextOf(train), threads: 1 }, { dim: d, layers: 2, form });
    try {
      const s = m.state();
      const W = [rows(s.W0, d, d), rows(s.W1, d, d)];
      const h0 = rows(s.ego, 4, d);
      const layer = (h: M, l: number): M =>
        form === 'renormalized'
          ? mm(A_HAT, mm(h, W[l]))
          : plus(mm(mm(MEAN, h), W[l]), mm(h, rows(s[`B${l}`], d, d)));
      const want = layer(relu(layer(h0, 0)), 1);
      const e = m.embeddings();
      const got = [...rows(e.users, 2, d), ...rows(e.items, 2, d)];
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < d; c++)
          assert.ok(Math.abs(got[r][c] - want[r][c]) < 1e-5, `node ${r}, column ${c}`);
    } finally {
      await m.dispose();
    }
  });
}
