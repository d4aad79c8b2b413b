import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interactions } from '../../../src/data/types.js';
import { ItemGraph } from '../../../src/models/itemGraph.js';
import { contextOf, denseR, randomTrain } from './walkContext.js';

/**
 * The file header's definition, dense and in float64: C = R^T R without its diagonal, d its row
 * sums, Ĉ[i, j] = C[i, j] d_i^-r d_j^(r-1), top-k per row (ties to the lower id), s = R Ĉ.
 */
function denseScores(x: Interactions, r: number, k: number): number[][] {
  const R = denseR(x);
  const n = x.nItems;
  const C = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) =>
      i === j ? 0 : R.reduce((a, row) => a + row[i] * row[j], 0),
    ),
  );
  const d = C.map((row) => row.reduce((a, b) => a + b, 0));
  const W = C.map((row, i) => row.map((c, j) => (c === 0 ? 0 : c * d[i] ** -r * d[j] ** (r - 1))));
  for (const row of W) {
    const kept = row
      .map((s, j) => [s, j])
      .filter(([s]) => s !== 0)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, k)
      .map(([, j]) => j);
    row.forEach((_, j) => !kept.includes(j) && (row[j] = 0));
  }
  return R.map((ru) =>
    Array.from({ length: n }, (_, j) => ru.reduce((a, v, i) => a + v * W[i][j], 0)),
  );
}

for (const [r, k] of [
  [0.5, 1000],
  [0, 1000],
  [1, 1000],
  [0.25, 3],
  [0.8, 1],
]) {
  test(`itemgraph scores equal the dense float64 r_u Ĉ (r ${r}, k ${k})`, () => {
    const x = randomTrain(30, 25, 7);
    const m = new ItemGraph(contextOf(x), { r, k });
    const out = new Float32Array(x.nUsers * x.nItems);
    m.score(
      Int32Array.from({ length: x.nUsers }, (_, u) => u),
      out,
    );
    const expected = denseScores(x, r, k);
    expected.forEach((row, u) =>
      row.forEach((e, j) => {
        const a = out[u * x.nItems + j];
        assert.ok(
          Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e)),
          `user ${u} item ${j}: ${a} vs ${e}`,
        );
      }),
    );
  });
}

test('itemgraph refuses r outside [0, 1] and k below 1, naming the hyperparameter', () => {
  const ctx = contextOf(randomTrain(5, 5, 1));
  assert.throws(
    () => new ItemGraph(ctx, { r: -0.1 }),
    /itemgraph hyperparameters.*r to be a number in \[0, 1\]/,
  );
  assert.throws(() => new ItemGraph(ctx, { k: 0 }), /k to be an integer >= 1/);
});
