import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interactions } from '../../../src/data/types.js';
import { P3Alpha, P3ALPHA_DEFAULTS } from '../../../src/models/p3alpha.js';
import { RP3Beta, RP3BETA_DEFAULTS } from '../../../src/models/rp3beta.js';
import { contextOf, denseR, randomTrain } from './walkContext.js';

/**
 * The papers' formula, dense and in float64, in the reference implementation's order:
 * W = (P_iu)^alpha (P_ui)^alpha, columns times |U_j|^-beta, diagonal 0, top-k per row (ties to
 * the lower id), rows divided by their sums when normalize; scores R W.
 */
function denseScores(
  x: Interactions,
  h: { k: number; alpha: number; beta: number; normalize: boolean },
): number[][] {
  const R = denseR(x);
  const nU = x.nUsers;
  const nI = x.nItems;
  const du = R.map((row) => row.reduce((a, b) => a + b, 0));
  const di = Array.from({ length: nI }, (_, i) => R.reduce((a, row) => a + row[i], 0));
  const W = Array.from({ length: nI }, (_, i) =>
    Array.from({ length: nI }, (_, j) => {
      let s = 0;
      for (let u = 0; u < nU; u++)
        if (R[u][i] && R[u][j]) s += (1 / di[i]) ** h.alpha * (1 / du[u]) ** h.alpha;
      return i === j || di[j] === 0 ? 0 : s * di[j] ** -h.beta;
    }),
  );
  for (const row of W) {
    const kept = row
      .map((s, j) => [s, j])
      .filter(([s]) => s !== 0)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, h.k)
      .map(([, j]) => j);
    row.forEach((_, j) => !kept.includes(j) && (row[j] = 0));
    const sum = row.reduce((a, b) => a + b, 0);
    if (h.normalize && sum > 0) row.forEach((s, j) => (row[j] = s / sum));
  }
  return R.map((r) =>
    Array.from({ length: nI }, (_, j) => r.reduce((a, rv, i) => a + rv * W[i][j], 0)),
  );
}

function modelScores(m: P3Alpha, nUsers: number, nItems: number): Float32Array {
  const out = new Float32Array(nUsers * nItems);
  m.score(
    Int32Array.from({ length: nUsers }, (_, u) => u),
    out,
  );
  return out;
}

function assertClose(actual: Float32Array, expected: number[][], what: string): void {
  const n = expected[0].length;
  expected.forEach((row, u) =>
    row.forEach((e, j) =>
      assert.ok(
        Math.abs(actual[u * n + j] - e) <= 1e-6 * Math.max(1, Math.abs(e)),
        `${what}: user ${u} item ${j}: ${actual[u * n + j]} vs ${e}`,
      ),
    ),
  );
}

// u0 {i0, i1}, u1 {i1, i2} (i1 twice: counts once)
const two: Interactions = {
  nUsers: 2,
  nItems: 3,
  users: Int32Array.of(0, 0, 1, 1, 1),
  items: Int32Array.of(0, 1, 1, 2, 1),
};

test('P3alpha by hand: W[i0, i1] = 1 x 1/2, W[i1, i2] = 1/2 x 1/2; u0 scores i2 at 1/4', () => {
  const m = new P3Alpha(contextOf(two), {});
  const s = modelScores(m, 2, 3);
  // u0: i0 <- W[i1, i0] = 1/4; i1 <- W[i0, i1] = 1/2; i2 <- W[i1, i2] = 1/4
  assert.deepEqual(Array.from(s.subarray(0, 3)), [0.25, 0.5, 0.25]);
  // alpha = 2 squares each step: W[i0, i1] = 1 x 1/4
  const sq = new P3Alpha(contextOf(two), { alpha: 2 });
  assert.equal(modelScores(sq, 2, 3)[1], 0.25);
});

test('RP3beta by hand: P3 divided by the target popularity^beta, then rows normalised', () => {
  const raw = new RP3Beta(contextOf(two), { beta: 0.5, normalize: false });
  // W[i0, i1] = 1/2 / sqrt(2); W[i1, i2] = 1/4 / 1
  const s = modelScores(raw, 2, 3);
  assert.equal(s[1], Math.fround(0.5 / Math.SQRT2));
  assert.equal(s[2], 0.25);
  // normalised: row i0 = {i1: 1}, row i1 = {i0: 1/2, i2: 1/2}; u0 scores i2 at 1/2
  const norm = modelScores(new RP3Beta(contextOf(two), { beta: 0.5 }), 2, 3);
  assert.deepEqual(Array.from(norm.subarray(0, 3)), [0.5, 1, 0.5]);
});

test('P3alpha and RP3beta equal the dense float64 formula on a random graph, with and without pruning', () => {
  const x = randomTrain(30, 20, 5);
  const p3 = (h: typeof P3ALPHA_DEFAULTS): P3Alpha => new P3Alpha(contextOf(x), h);
  const rp3 = (h: typeof RP3BETA_DEFAULTS): P3Alpha => new RP3Beta(contextOf(x), h);
  const cases = [
    { build: p3, h: { k: 100, alpha: 1, beta: 0, normalize: false } },
    { build: p3, h: { k: 3, alpha: 0.7, beta: 0, normalize: false } },
    { build: p3, h: { k: 3, alpha: 0.7, beta: 0, normalize: true } },
    { build: rp3, h: { ...RP3BETA_DEFAULTS } },
    { build: rp3, h: { k: 4, alpha: 1.3, beta: 0.3, normalize: true } },
    { build: rp3, h: { k: 5, alpha: 0.5, beta: 0.8, normalize: false } },
  ];
  for (const { build, h } of cases)
    assertClose(modelScores(build(h), 30, 20), denseScores(x, h), JSON.stringify(h));
});

test('P3alpha at alpha 1 without pruning: each item row is the 3-step distribution less the return', () => {
  const x = randomTrain(40, 25, 9);
  const m = new P3Alpha(contextOf(x), { k: 1000 });
  const w = m.similarity;
  const R = denseR(x);
  for (let i = 0; i < w.nRows; i++) {
    const users = R.filter((r) => r[i]);
    if (users.length === 0) continue;
    // P(i -> i) = mean over its users u of 1 / |I_u|
    const back = users.reduce((a, r) => a + 1 / r.reduce((s, v) => s + v, 0), 0) / users.length;
    let sum = 0;
    for (let p = w.indptr[i]; p < w.indptr[i + 1]; p++) sum += w.values[p];
    assert.ok(Math.abs(sum + back - 1) < 1e-6, `item ${i}: ${sum} + ${back}`);
  }
});

test("the walk models keep at most k neighbours per item, and the defaults are the reference code's", () => {
  const x = randomTrain(50, 30, 2);
  const w = new RP3Beta(contextOf(x), { k: 2 }).similarity;
  for (let i = 0; i < w.nRows; i++) assert.ok(w.indptr[i + 1] - w.indptr[i] <= 2);
  assert.deepEqual(P3ALPHA_DEFAULTS, { k: 100, alpha: 1, normalize: false });
  assert.deepEqual(RP3BETA_DEFAULTS, { k: 100, alpha: 1, beta: 0.6, normalize: true });
});

test('bad hyperparameters are refused with the model and the value', () => {
  const ctx = contextOf(two);
  assert.throws(
    () => new P3Alpha(ctx, { k: 0 }),
    /p3alpha hyperparameters: expected k to be an integer >= 1 \(found "k=0"\)/,
  );
  assert.throws(() => new P3Alpha(ctx, { alpha: -1 }), /alpha to be a number >= 0/);
  assert.throws(() => new RP3Beta(ctx, { beta: NaN }), /rp3beta hyperparameters: expected beta/);
  assert.throws(() => new RP3Beta(ctx, { k: 2.5 }), /found "k=2.5"/);
});
