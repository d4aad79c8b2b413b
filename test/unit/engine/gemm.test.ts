import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { GEMM_CHUNK } from '../../../src/engine/pool.js';
import { randomDense, sameBits, withPool } from './helpers.js';

/** c = a b (+ bias) in float64, a [m x k], b [k x n]. */
function refMatmul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  bias?: Float32Array,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let q = 0; q < k; q++) s += a[i * k + q] * b[q * n + j];
      c[i * n + j] = s;
    }
  return c;
}

function close(got: Float32Array, want: Float64Array, k: number, what: string): void {
  for (let i = 0; i < want.length; i++)
    assert.ok(
      Math.abs(got[i] - want[i]) <= 1e-6 * (k + 1) * Math.max(1, Math.abs(want[i])),
      `${what}[${i}]: ${got[i]} vs ${want[i]}`,
    );
}

/** matmul with and without bias, and matmulTN, on one pool. */
function run(p: Pool, m: number, k: number, n: number) {
  const a = p.shared(randomDense(m * k, 1));
  const b = p.shared(randomDense(k * n, 2));
  const bias = p.shared(randomDense(n, 3));
  const c = p.allocF32(m * n);
  const cb = p.allocF32(m * n);
  p.matmul(a, b, c, k, n);
  p.matmul(a, b, cb, k, n, bias);
  // a^T g with a [m x k] as the r = m rows
  const g = p.shared(randomDense(m * n, 4));
  const t = p.allocF32(k * n);
  p.matmulTN(a, g, t, k, n);
  return { c: c.slice(), cb: cb.slice(), t: t.slice() };
}

test('matmul and matmulTN: float64 products to rounding; WASM and JS, 1-3 threads: the same bits', async () => {
  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 7, 3],
    [9, 64, 20],
    [33, 128, 64],
    [40, 64, 128],
    [GEMM_CHUNK + 37, 5, 16],
  ]) {
    const runs: ReturnType<typeof run>[] = [];
    for (const kernels of ['wasm', 'js'] as const)
      for (const threads of [1, 2, 3])
        runs.push(await withPool({ threads, kernels, minParallelWork: 0 }, (p) => run(p, m, k, n)));
    for (const r of runs.slice(1))
      for (const key of ['c', 'cb', 't'] as const)
        assert.ok(sameBits(runs[0][key], r[key]), `${key} differs for ${m} x ${k} x ${n}`);
    const a = randomDense(m * k, 1);
    const b = randomDense(k * n, 2);
    close(runs[0].c, refMatmul(a, b, m, k, n), k, 'c');
    close(runs[0].cb, refMatmul(a, b, m, k, n, randomDense(n, 3)), k, 'c + bias');
    // a^T g: transpose a by hand
    const at = new Float32Array(k * m);
    for (let i = 0; i < m; i++) for (let q = 0; q < k; q++) at[q * m + i] = a[i * k + q];
    close(runs[0].t, refMatmul(at, randomDense(m * n, 4), k, m, n), m, 'a^T g');
  }
});

test('matmul checks shapes; matmulTN of no rows is zero', async () => {
  await withPool({ threads: 2 }, (p) => {
    const a = p.allocF32(6);
    assert.throws(() => p.matmul(a, p.allocF32(5), p.allocF32(4), 3, 2), /b has 5 values/);
    assert.throws(() => p.matmul(a, p.allocF32(6), p.allocF32(4), 3, 2, p.allocF32(3)), /bias/);
    const c = p.shared(Float32Array.from([1, 2, 3, 4]));
    p.matmulTN(p.allocF32(0), p.allocF32(0), c, 2, 2);
    assert.deepEqual([...c], [0, 0, 0, 0]);
  });
});

test('matmul and matmulTN on column blocks: the bits of the same product on the block alone; other columns untouched', async () => {
  // a's columns [3, 3 + k) of rows of 11; c's columns [5, 5 + n) of rows of 9
  const [m, k, n, lda, aCol, ldc, cCol] = [GEMM_CHUNK + 5, 6, 4, 11, 3, 9, 5];
  const wide = randomDense(m * lda, 7);
  const block = new Float32Array(m * k);
  for (let i = 0; i < m; i++) block.set(wide.subarray(i * lda + aCol, i * lda + aCol + k), i * k);
  const b = randomDense(k * n, 8);
  const bias = randomDense(n, 9);
  const g = randomDense(m * n, 10);
  for (const kernels of ['wasm', 'js'] as const)
    for (const threads of [1, 2])
      await withPool({ threads, kernels, minParallelWork: 0 }, (p) => {
        const [pb, pBias, pg] = [p.shared(b), p.shared(bias), p.shared(g)];
        const want = p.allocF32(m * n);
        p.matmul(p.shared(block), pb, want, k, n, pBias);
        const c = p.shared(new Float32Array(m * ldc).fill(-7));
        p.matmul(p.shared(wide), pb, c, k, n, pBias, {
          a: { ld: lda, col: aCol },
          c: { ld: ldc, col: cCol },
        });
        const got = new Float32Array(m * n);
        for (let i = 0; i < m; i++) {
          got.set(c.subarray(i * ldc + cCol, i * ldc + cCol + n), i * n);
          for (let j = 0; j < ldc; j++)
            if (j < cCol || j >= cCol + n) assert.equal(c[i * ldc + j], -7, `c[${i}, ${j}] kept`);
        }
        assert.ok(sameBits(want, got), `${kernels}, ${threads} thread(s): matmul on blocks`);
        const tWant = p.allocF32(k * n);
        const tGot = p.allocF32(k * n);
        p.matmulTN(p.shared(block), pg, tWant, k, n);
        p.matmulTN(p.shared(wide), pg, tGot, k, n, { a: { ld: lda, col: aCol } });
        assert.ok(sameBits(tWant, tGot), `${kernels}, ${threads} thread(s): matmulTN on a block`);
        assert.throws(
          () => p.matmul(p.shared(wide), pb, c, k, n, undefined, { a: { ld: lda, col: 6 } }),
          /columns \[6, 12\) do not fit rows of 11/,
        );
      });
});
