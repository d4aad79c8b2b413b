import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { assertKernelsAgree, put, randomDense, withPool } from './helpers.js';

interface Shape {
  readonly rows: number;
  readonly cols: number;
  readonly skip: number;
}

// cols 1682: ml-100k's items (two columns past the last group of four); 3: no group at all;
// 16: groups only; 7 rows on 3 threads: uneven shares
const SHAPES: Shape[] = [
  { rows: 5, cols: 1682, skip: 1 },
  { rows: 7, cols: 3, skip: 0 },
  { rows: 4, cols: 16, skip: 2 },
  { rows: 3, cols: 37, skip: 3 },
];

function inputs({ rows, cols }: Shape, seed: number) {
  // logits spread over [-12, 12]: the shift by the row's maximum matters
  const x = randomDense(rows * cols, seed, 12);
  const targets = Int32Array.from({ length: rows }, (_, r) => (r * 7919 + seed) % cols);
  // the last row's target is its last column (the tail past the groups of four)
  targets[rows - 1] = cols - 1;
  return { x, targets, acc: randomDense(rows * cols, seed + 1) };
}

type Inputs = ReturnType<typeof inputs>;
const G = -0.37;

function runKernels(p: Pool, s: Shape, i: Inputs): Record<string, Float32Array> {
  const x = put(p, i.x, s.skip);
  const e = p.allocF32(s.rows * s.cols);
  const stats = p.allocF32(s.rows * 2);
  p.softmaxXent(x, e, stats, s.cols);
  const t = p.allocI32(s.rows);
  t.set(i.targets);
  const dx = p.allocF32(s.rows * s.cols);
  p.softmaxXentBack(e, stats, t, G, dx);
  const dxAcc = put(p, i.acc, s.skip + 1);
  p.softmaxXentBack(e, stats, t, G, dxAcc, true);
  // the softmax itself, e / sum
  const soft = e.map((v, k) => v / stats[2 * Math.floor(k / s.cols) + 1]);
  const lse = Float32Array.from(
    { length: s.rows },
    (_, r) => stats[2 * r] + Math.log(stats[2 * r + 1]),
  );
  const out = { e, stats, dx, dxAcc };
  return {
    ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.slice()])),
    soft,
    lse,
  };
}

/** The softmax, log-sum-exp and g (softmax - onehot) in float64, unshifted. */
function reference(s: Shape, i: Inputs): Record<string, Float64Array> {
  const { rows, cols } = s;
  const soft = new Float64Array(rows * cols);
  const lse = new Float64Array(rows);
  const dx = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let z = 0;
    for (let c = 0; c < cols; c++) z += Math.exp(i.x[r * cols + c]);
    lse[r] = Math.log(z);
    for (let c = 0; c < cols; c++) {
      soft[r * cols + c] = Math.exp(i.x[r * cols + c]) / z;
      dx[r * cols + c] = G * (soft[r * cols + c] - (c === i.targets[r] ? 1 : 0));
    }
  }
  return { soft, lse, dx, dxAcc: dx.map((v, k) => v + i.acc[k]) };
}

/** The outputs of every shape under one name each (one pool per kernel set and thread count). */
function prefixed<T>(
  per: (s: Shape, i: Inputs) => Record<string, T>,
  all: Inputs[],
): Record<string, T> {
  const out: Record<string, T> = {};
  SHAPES.forEach((s, n) => {
    for (const [k, v] of Object.entries(per(s, all[n]))) out[`${s.rows} x ${s.cols} ${k}`] = v;
  });
  return out;
}

test('softmaxXent and its backward (the CE over all items): WASM and JS, 1-3 threads, the same bits, within float32 of a float64 reference', async () => {
  const all = SHAPES.map((s, n) => inputs(s, 10 * n + 3));
  await assertKernelsAgree(
    'softmaxXent',
    (p) => prefixed((s, i) => runKernels(p, s, i), all),
    prefixed(reference, all),
    1e-5,
  );
});

test('softmaxXentBack refuses a target outside the row and a short target list', async () => {
  await withPool({ threads: 1 }, (p) => {
    const e = p.allocF32(6);
    const stats = p.shared(Float32Array.from([0, 1, 0, 1]));
    const dx = p.allocF32(6);
    const t = p.allocI32(2);
    t.set([0, 3]);
    assert.throws(() => p.softmaxXentBack(e, stats, t, 1, dx), /rows\[1\] = 3 outside \[0, 3\)/);
    assert.throws(
      () => p.softmaxXentBack(e, stats, t.subarray(0, 1), 1, dx),
      /1 targets for 2 rows/,
    );
  });
});
