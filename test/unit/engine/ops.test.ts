import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/backend.js';
import { initPool, setDefaultPool } from '../../../src/engine/defaultPool.js';
import { propagate, propagateRows, scatterRows } from '../../../src/engine/ops/propagate.js';
import { normalizedAdjacency } from '../../../src/graph/adjacency.js';
import type { WeightedCsr } from '../../../src/graph/types.js';
import { randomCsr, randomDense, refSpmm } from './helpers.js';

/**
 * Gradient check: L(x) = sum(W * f(x)). The analytic gradient comes from tfjs autodiff through
 * the custom kernels (float32); the numeric one from central differences of a float64
 * reference of f.
 */
function checkGradient(
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  ref: (x: Float64Array) => Float64Array,
  xShape: [number, number],
  seed: number,
): void {
  const x0 = randomDense(xShape[0] * xShape[1], seed);
  const yLen = ref(Float64Array.from(x0)).length;
  const w = randomDense(yLen, seed + 1);
  const loss64 = (x: Float64Array): number => ref(x).reduce((s, v, i) => s + v * w[i], 0);
  const yShape = tf.tidy(() => f(tf.zeros(xShape) as tf.Tensor2D).shape);
  const analytic = tf.tidy(() => {
    const wt = tf.tensor(w, yShape);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D), wt)));
    return g(tf.tensor2d(x0, xShape)).dataSync().slice();
  });
  const h = 1e-3;
  const x = Float64Array.from(x0);
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    x[i] = keep + h;
    const up = loss64(x);
    x[i] = keep - h;
    const down = loss64(x);
    x[i] = keep;
    const numeric = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(1, Math.abs(numeric)));
  }
  assert.ok(worst < 1e-4, `worst relative gradient error ${worst}`);
}

function gather(a: WeightedCsr, rows: Int32Array): WeightedCsr {
  const indptr = new Int32Array(rows.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  rows.forEach((r, k) => {
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      idx.push(a.indices[p]);
      val.push(a.values[p]);
    }
    indptr[k + 1] = idx.length;
  });
  return {
    nRows: rows.length,
    nCols: a.nCols,
    indptr,
    indices: Int32Array.from(idx),
    values: Float32Array.from(val),
  };
}

const graph = normalizedAdjacency({
  nUsers: 5,
  nItems: 4,
  users: Int32Array.of(0, 0, 1, 2, 2, 2, 3, 3, 4),
  items: Int32Array.of(0, 1, 1, 0, 2, 3, 3, 3, 2), // (3, 3) repeats: counted once
});
const rect = randomCsr(7, 5, 0.4, 11);
const rows = Int32Array.of(6, 0, 3, 3);

for (const backend of ['cpu', 'wasm'] as const) {
  test(`[${backend}] gradient checks of propagate, propagateRows, scatterRows`, async () => {
    const info = await initBackend({ prefer: [backend] });
    assert.equal(info.name, backend);
    const pool = await initPool({ threads: 2, minParallelWork: 0 });
    try {
      const dim = 3;
      // symmetric Ã (LightGCN): backward uses Ã itself
      checkGradient(
        (x) => propagate(graph, x),
        (x) => refSpmm(graph, x, dim),
        [graph.nRows, dim],
        1,
      );
      // three layers and their mean, as LightGCN's forward pass
      checkGradient(
        (x) => {
          const e1 = propagate(graph, x);
          const e2 = propagate(graph, e1);
          const e3 = propagate(graph, e2);
          return tf.div(tf.addN([x, e1, e2, e3]), 4) as tf.Tensor2D;
        },
        (x) => {
          const e1 = refSpmm(graph, x, dim);
          const e2 = refSpmm(graph, e1, dim);
          const e3 = refSpmm(graph, e2, dim);
          return x.map((v, i) => (v + e1[i] + e2[i] + e3[i]) / 4);
        },
        [graph.nRows, dim],
        2,
      );
      // non-symmetric: the backward needs the transpose, and the transposed op A^T's needs A
      checkGradient(
        (x) => propagate(rect, x),
        (x) => refSpmm(rect, x, dim),
        [rect.nCols, dim],
        3,
      );
      checkGradient(
        (x) => propagate(rect, x, { transpose: true }),
        (x) => refSpmm(rect, x, dim, true),
        [rect.nRows, dim],
        4,
      );
      // rows of the product, and the scatter (its transpose)
      const sub = gather(rect, rows);
      checkGradient(
        (x) => propagateRows(rect, x, rows),
        (x) => refSpmm(sub, x, dim),
        [rect.nCols, dim],
        5,
      );
      checkGradient(
        (dy) => scatterRows(rect, dy, rows),
        (dy) => refSpmm(sub, dy, dim, true),
        [rows.length, dim],
        6,
      );
      // second order: the gradient of the gradient goes through the kernels again
      const x = tf.tensor2d(randomDense(rect.nCols * dim, 7), [rect.nCols, dim]);
      const gg = tf.grad((v: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.grad((u: tf.Tensor) => tf.sum(tf.square(propagate(rect, u as tf.Tensor2D))))(v),
          ),
        ),
      )(x);
      assert.ok(gg.dataSync().every(Number.isFinite));
    } finally {
      setDefaultPool(undefined);
      await pool.dispose();
    }
  });
}

test('forward values equal the float64 reference; shapes are checked', async () => {
  await initBackend({ prefer: ['cpu'] });
  const dim = 5;
  const x = randomDense(graph.nRows * dim, 9);
  const y = propagate(graph, tf.tensor2d(x, [graph.nRows, dim]));
  assert.deepEqual(y.shape, [graph.nRows, dim]);
  const ref = refSpmm(graph, x, dim);
  y.dataSync().forEach((v, i) => assert.ok(Math.abs(v - ref[i]) < 1e-6));
  assert.throws(() => propagate(graph, tf.zeros([3, dim]) as tf.Tensor2D), /rows/);
  assert.throws(
    () => propagateRows(rect, tf.zeros([rect.nCols, dim]) as tf.Tensor2D, Int32Array.of(7)),
    /outside/,
  );
});
