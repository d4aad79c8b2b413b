import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { randomDense, sameBits, withPool } from './helpers.js';

const fround = Math.fround;
const SLOPE = 0.2;

/** A pool copy of `src` that starts `skip` floats into a block (no 16-byte alignment). */
function put(pool: Pool, src: Float32Array, skip: number): Float32Array {
  const a = pool.allocF32(src.length + skip).subarray(skip);
  a.set(src);
  return a;
}

/** A dropout-like mask: 0 or 1/(1 - 0.1), with some exact zeros and negative inputs around. */
function mask(n: number, seed: number): Float32Array {
  const r = randomDense(n, seed);
  return r.map((v) => (v > -0.8 ? 1 / 0.9 : 0));
}

interface Results {
  x: Float32Array;
  xNoAdd: Float32Array;
  prodOnly: Float32Array;
  y: Float32Array;
  yNoMask: Float32Array;
  g: Float32Array;
  gNoMask: Float32Array;
  set: Float32Array;
  acc: Float32Array;
}

/** Every layer op on one pool over rows x dim inputs, its outputs copied out. */
function runOps(pool: Pool, rows: number, dim: number, skip: number): Results {
  const n = rows * dim;
  const a = put(pool, randomDense(n, 1), skip);
  const b = put(pool, randomDense(n, 2), skip + 1);
  const m = put(pool, mask(n, 3), skip);
  const dy = put(pool, randomDense(n, 4), skip);
  const x = pool.allocF32(2 * n);
  pool.sumProd(a, b, x, dim);
  const xNoAdd = pool.allocF32(2 * n);
  pool.sumProd(a, b, xNoAdd, dim, false);
  const y = pool.allocF32(n);
  const yNoMask = pool.allocF32(n);
  pool.leakyRelu(a, y, SLOPE, m);
  pool.leakyRelu(a, yNoMask, SLOPE);
  const g = pool.allocF32(n);
  const gNoMask = pool.allocF32(n);
  pool.leakyReluBack(dy, a, g, SLOPE, m);
  pool.leakyReluBack(dy, a, gNoMask, SLOPE);
  const dx = put(pool, randomDense(2 * n, 5), skip);
  const set = pool.allocF32(n);
  pool.sumProdBack(dx, b, set, dim);
  // accumulate into rows listed in reverse order of a bigger array
  const acc = put(pool, randomDense((rows + 2) * dim, 6), 0);
  const list = pool.allocI32(rows);
  for (let i = 0; i < rows; i++) list[i] = rows + 1 - i;
  pool.sumProdBack(dx, b, acc, dim, { rows: list, accumulate: true });
  const prodOnly = pool.allocF32(n);
  pool.sumProdBack(dx, b, prodOnly, dim, { productOnly: true });
  return {
    x: x.slice(),
    xNoAdd: xNoAdd.slice(),
    prodOnly: prodOnly.slice(),
    y: y.slice(),
    yNoMask: yNoMask.slice(),
    g: g.slice(),
    gNoMask: gNoMask.slice(),
    set: set.slice(),
    acc: acc.slice(),
  };
}

/** The same ops written out with one float32 rounding per operation. */
function reference(rows: number, dim: number): Results {
  const n = rows * dim;
  const a = randomDense(n, 1);
  const b = randomDense(n, 2);
  const m = mask(n, 3);
  const dy = randomDense(n, 4);
  const dx = randomDense(2 * n, 5);
  const x = new Float32Array(2 * n);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < dim; c++) {
      x[2 * i * dim + c] = a[i * dim + c] + b[i * dim + c];
      x[2 * i * dim + dim + c] = a[i * dim + c] * b[i * dim + c];
    }
  const xNoAdd = x.slice();
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < dim; c++) xNoAdd[2 * i * dim + c] = a[i * dim + c];
  const prodOnly = new Float32Array(n);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < dim; c++)
      prodOnly[i * dim + c] = dx[2 * i * dim + dim + c] * b[i * dim + c];
  const leaky = (v: number) => (v > 0 ? v : fround(fround(SLOPE) * v));
  const y = a.map((v, k) => leaky(v) * m[k]);
  const yNoMask = a.map(leaky);
  const g = dy.map((d, k) => fround(d * m[k]) * (a[k] > 0 ? 1 : fround(SLOPE)));
  const gNoMask = dy.map((d, k) => d * (a[k] > 0 ? 1 : fround(SLOPE)));
  const term = (i: number, c: number) =>
    fround(dx[2 * i * dim + c] + fround(dx[2 * i * dim + dim + c] * b[i * dim + c]));
  const set = new Float32Array(n);
  const acc = randomDense((rows + 2) * dim, 6);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < dim; c++) {
      set[i * dim + c] = term(i, c);
      acc[(rows + 1 - i) * dim + c] += term(i, c);
    }
  return { x, xNoAdd, prodOnly, y, yNoMask, g, gNoMask, set, acc };
}

test('layer ops (sumProd, leakyRelu, their backwards): WASM and JS, 1-3 threads, any dim: the bits of a float32 reference', async () => {
  for (const [rows, dim, skip] of [
    [1, 1, 0],
    [5, 3, 1],
    [33, 64, 0],
    [101, 7, 3],
    [600, 64, 5],
  ]) {
    const want = reference(rows, dim);
    for (const kernels of ['wasm', 'js'] as const)
      for (const threads of [1, 2, 3]) {
        const got = await withPool({ threads, kernels, minParallelWork: 0 }, (p) =>
          runOps(p, rows, dim, skip),
        );
        for (const k of Object.keys(want) as (keyof Results)[])
          assert.ok(
            sameBits(got[k], want[k]),
            `${k}: ${kernels}, ${threads} thread(s), ${rows} x ${dim}`,
          );
      }
  }
});

test('leakyRelu: slope 0.2 below zero, exact zeros stay zero, the mask scales', async () => {
  await withPool({ threads: 1 }, (p) => {
    const x = p.shared(Float32Array.from([-5, -0.5, 0, 0.5, 5]));
    const m = p.shared(Float32Array.from([2, 2, 2, 2, 0]));
    const y = p.allocF32(5);
    p.leakyRelu(x, y, SLOPE, m);
    assert.deepEqual([...y], [-2, -0.2, 0, 1, 0].map(fround));
    const g = p.allocF32(5);
    p.leakyReluBack(p.shared(Float32Array.from([1, 1, 1, 1, 1])), x, g, SLOPE, m);
    // at 0 the gradient takes the slope side, as the comparison x > 0 decides it
    assert.deepEqual([...g], [0.4, 0.4, 0.4, 2, 0].map(fround));
  });
});

test('layer ops reject arrays outside the pool, wrong sizes and repeated rows', async () => {
  await withPool({ threads: 2, minParallelWork: 0 }, (p) => {
    const a = p.allocF32(12);
    const x = p.allocF32(24);
    assert.throws(() => p.sumProd(a, new Float32Array(12), x, 4), /pool's memory/);
    assert.throws(() => p.sumProd(a, a, p.allocF32(12), 4), /x has 12 values, expected 3 x 8/);
    assert.throws(() => p.sumProd(p.allocF32(10), p.allocF32(10), x, 4), /a has 10 values/);
    const out = p.allocF32(20);
    const rows = p.shared(Int32Array.from([4, 1, 4]));
    assert.throws(
      () => p.sumProdBack(x, a, out, 4, { rows, accumulate: true }),
      /rows\[2\] = 4 is listed twice/,
    );
    assert.throws(
      () => p.sumProdBack(x, a, out, 4, { rows: p.shared(Int32Array.from([0, 5, 1])) }),
      /rows\[1\] = 5 outside \[0, 5\)/,
    );
    assert.throws(() => p.leakyRelu(a, p.allocF32(11), SLOPE), /y has 11 values/);
  });
});

/** A dropout mask of n elements from a pool array `skip` floats into its block. */
function poolMask(p: Pool, n: number, skip: number, rate: number, seeds: [number, number]) {
  const m = p.allocF32(n + skip).subarray(skip);
  p.dropoutMask(m, rate, seeds);
  return m.slice();
}

test('dropoutMask: WASM and JS, 1-3 threads, any length and offset: the same bits', async () => {
  for (const [n, skip] of [
    [1, 0],
    [13, 1],
    [1000, 3],
    [4099, 0],
  ]) {
    const masks: Float32Array[] = [];
    for (const kernels of ['wasm', 'js'] as const)
      for (const threads of [1, 2, 3])
        masks.push(
          await withPool({ threads, kernels, minParallelWork: 0 }, (p) =>
            poolMask(p, n, skip, 0.1, [12345, 678]),
          ),
        );
    for (const m of masks.slice(1)) assert.ok(sameBits(masks[0], m), `n ${n}`);
  }
});

test('dropoutMask keeps 1 - rate of the elements, scaled by 1/(1 - rate), independently', async () => {
  await withPool({ threads: 2 }, (p) => {
    const n = 400_000;
    const m = poolMask(p, n, 0, 0.1, [1, 2]);
    const scale = fround(1 / 0.9);
    let kept = 0;
    // pairs dropped together: neighbours (consecutive counters), and the elements k and k + 4
    // of a block of 8, which take the two halves of one hash
    let neighbours = 0;
    let halves = 0;
    for (let k = 0; k < n; k++) {
      assert.ok(m[k] === 0 || m[k] === scale, `element ${k} is ${m[k]}`);
      if (m[k]) kept++;
      if (k > 0 && !m[k] && !m[k - 1]) neighbours++;
      if ((k & 4) === 0 && !m[k] && !m[k + 4]) halves++;
    }
    // binomial standard deviation of the kept fraction: sqrt(0.09 / n) = 0.00047
    assert.ok(Math.abs(kept / n - 0.9) < 0.003, `kept ${kept / n}`);
    // as often as independent draws would be: 0.1^2 of the pairs
    assert.ok(Math.abs(neighbours / n - 0.01) < 0.002, `neighbours ${neighbours / n}`);
    assert.ok(Math.abs(halves / (n / 2) - 0.01) < 0.002, `halves of a hash ${halves / (n / 2)}`);
    const other = poolMask(p, n, 0, 0.1, [1, 3]);
    let same = 0;
    for (let k = 0; k < n; k++) if (other[k] === m[k]) same++;
    // another seed draws another mask: agreement 0.9^2 + 0.1^2 = 0.82, not 1
    assert.ok(Math.abs(same / n - 0.82) < 0.005, `agreement ${same / n}`);
    assert.ok(poolMask(p, 100, 0, 0, [1, 2]).every((v) => v === 1));
    assert.throws(() => poolMask(p, 10, 0, 1, [1, 2]), /rate must be in \[0, 1\)/);
  });
});

const EPS = 1e-12;

/** gatherRows, normalizeRows and normalizeRowsBack on one pool, into column blocks. */
function runRowOps(p: Pool, rows: number, dim: number) {
  const n = rows + 3;
  const x = put(p, randomDense(n * dim, 7), 1);
  // a zero row: below eps, normalisation divides by sqrt(eps)
  x.fill(0, 2 * dim, 3 * dim);
  const list = p.allocI32(rows);
  for (let k = 0; k < rows; k++) list[k] = (k * 7 + 2) % n;
  const ld = 3 * dim + 1;
  const wide = p.allocF32(rows * ld);
  p.gatherRows(x, list, wide, dim, { ld, col: dim });
  const picked = p.allocF32(rows * dim);
  p.gatherRows(x, list, picked, dim);
  p.normalizeRows(picked, wide, dim, EPS, { ld, col: 2 * dim });
  const dy = put(p, randomDense(rows * ld, 8), 0);
  const back = p.allocF32(rows * dim);
  p.normalizeRowsBack(picked, dy, back, dim, EPS, { ld, col: dim + 1 });
  const acc = put(p, randomDense(n * dim, 9), 0);
  const distinct = p.allocI32(rows);
  for (let k = 0; k < rows; k++) distinct[k] = (k * 5 + 1) % n;
  const ok = new Set(distinct).size === rows;
  if (ok)
    p.normalizeRowsBack(picked, dy, acc, dim, EPS, {
      ld,
      col: dim + 1,
      rows: distinct,
      accumulate: true,
    });
  return { x: x.slice(), wide: wide.slice(), back: back.slice(), acc: acc.slice(), list, ok };
}

test('gatherRows, normalizeRows, normalizeRowsBack: WASM and JS, 1-3 threads: the same bits, and the math of l2_normalize', async () => {
  for (const [rows, dim] of [
    [1, 1],
    [4, 5],
    [40, 64],
    [97, 7],
  ]) {
    const runs: ReturnType<typeof runRowOps>[] = [];
    for (const kernels of ['wasm', 'js'] as const)
      for (const threads of [1, 2, 3])
        runs.push(
          await withPool({ threads, kernels, minParallelWork: 0 }, (p) => {
            const r = runRowOps(p, rows, dim);
            return { ...r, list: r.list.slice() };
          }),
        );
    for (const r of runs.slice(1))
      for (const k of ['wide', 'back', 'acc'] as const)
        assert.ok(sameBits(runs[0][k], r[k]), `${k} differs, ${rows} x ${dim}`);
    // against float64: gathered rows exact, normalised rows and their gradient to float32 rounding
    const { x, wide, back, list } = runs[0];
    const ld = 3 * dim + 1;
    const dy = randomDense(rows * ld, 8);
    for (let k = 0; k < rows; k++) {
      const row = Array.from(x.subarray(list[k] * dim, list[k] * dim + dim));
      const q = row.reduce((a, v) => a + v * v, 0);
      const s = 1 / Math.sqrt(Math.max(q, EPS));
      const g = row.map((_, c) => dy[k * ld + dim + 1 + c]);
      const yg = q >= EPS ? row.reduce((a, v, c) => a + v * s * g[c], 0) : 0;
      for (let c = 0; c < dim; c++) {
        assert.equal(wide[k * ld + dim + c], row[c]);
        assert.ok(
          Math.abs(wide[k * ld + 2 * dim + c] - row[c] * s) <=
            1e-6 * Math.max(1, Math.abs(row[c] * s)),
        );
        const want = (g[c] - row[c] * s * yg) * s;
        assert.ok(
          Math.abs(back[k * dim + c] - want) <= 1e-5 * Math.max(1, Math.abs(want)),
          `row ${k} col ${c}: ${back[k * dim + c]} vs ${want}`,
        );
      }
    }
  }
});

test('row ops check their blocks and rows', async () => {
  await withPool({ threads: 2, minParallelWork: 0 }, (p) => {
    const x = p.allocF32(12);
    const y = p.allocF32(12);
    const rows = p.shared(Int32Array.from([0, 2]));
    assert.throws(
      () => p.gatherRows(x, rows, y, 4, { ld: 6, col: 3 }),
      /columns \[3, 7\) do not fit rows of 6/,
    );
    assert.throws(
      () => p.gatherRows(x, p.shared(Int32Array.from([3])), p.allocF32(4), 4),
      /rows\[0\] = 3 outside/,
    );
    assert.throws(
      () =>
        p.normalizeRowsBack(p.allocF32(8), p.allocF32(8), y, 4, EPS, {
          rows: p.shared(Int32Array.from([1, 1])),
        }),
      /listed twice/,
    );
  });
});
