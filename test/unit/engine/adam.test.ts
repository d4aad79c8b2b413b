import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adamConstants } from '../../../src/engine/kernels/adam.js';
import { Pool } from '../../../src/engine/pool.js';
import { Adam } from '../../../src/train/adam.js';
import { PoolAdam } from '../../../src/train/poolAdam.js';
import { randomDense, sameBits, withPool } from './helpers.js';

/** Gradients of step s: random, with some exact zeros (rows outside a batch). */
function grads(n: number, s: number): Float32Array {
  const g = randomDense(n, 1000 + s, 0.5);
  for (let i = s % 3; i < n; i += 3) g[i] = 0;
  return g;
}

const STEPS = 8;
const HP = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** params, m, v after STEPS steps of PoolAdam on this pool (length n, from offset `skip`). */
function poolRun(pool: Pool, n: number, skip = 0): Float32Array[] {
  // a start not on a 16-byte boundary when skip is odd: the kernels need no alignment
  const block = pool.allocF32(n + skip);
  const params = block.subarray(skip);
  params.set(randomDense(n, 77));
  const g = pool.allocF32(n);
  const adam = new PoolAdam(pool, n, HP);
  for (let s = 1; s <= STEPS; s++) {
    g.set(grads(n, s));
    adam.step(params, g);
  }
  assert.equal(adam.steps, STEPS);
  const out = [params.slice(), adam.m.slice(), adam.v.slice()];
  adam.free();
  pool.free(g);
  pool.free(block);
  return out;
}

test('adam kernel: WASM and JS, 1, 2 and 3 threads, any length and offset: the same bits', async () => {
  for (const [n, skip] of [
    [1, 0],
    [7, 1],
    [37, 3],
    [1000, 0],
    [4099, 5],
  ]) {
    const runs: Float32Array[][] = [];
    for (const kernels of ['wasm', 'js'] as const)
      for (const threads of [1, 2, 3])
        runs.push(
          await withPool({ threads, kernels, minParallelWork: 0 }, (p) => poolRun(p, n, skip)),
        );
    for (const r of runs.slice(1))
      r.forEach((a, k) => assert.ok(sameBits(runs[0][k], a), `n ${n}: array ${k} differs`));
  }
});

test('PoolAdam matches the JS Adam of src/train/adam.ts to float32 rounding', async () => {
  const n = 2053;
  for (const kernels of ['wasm', 'js'] as const) {
    for (const threads of [1, 2]) {
      const [got] = await withPool({ threads, kernels, minParallelWork: 0 }, (p) => poolRun(p, n));
      const want = randomDense(n, 77);
      const start = want.slice();
      const adam = new Adam(n, HP);
      for (let s = 1; s <= STEPS; s++) adam.step(want, grads(n, s));
      // relative to the parameter's size over the run (a parameter that crosses zero keeps the
      // absolute float32 error of its larger values)
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const size = Math.max(Math.abs(want[i]), Math.abs(start[i]));
        worst = Math.max(worst, Math.abs(got[i] - want[i]) / size);
        // and the step itself (lr-sized) agrees to float32 precision
        const dGot = got[i] - start[i];
        const dWant = want[i] - start[i];
        assert.ok(
          Math.abs(dGot - dWant) <= 1e-6 * Math.abs(start[i]) + 1e-4 * Math.abs(dWant) + 1e-9,
          `${kernels} x${threads} [${i}]: moved ${dGot} vs ${dWant}`,
        );
      }
      assert.ok(worst < 1e-6, `${kernels} x${threads}: relative difference ${worst}`);
    }
  }
});

test('adam: bias correction of step 1 moves each parameter by lr against the gradient', async () => {
  await withPool({ threads: 1 }, (pool) => {
    const p = pool.shared(Float32Array.of(1, -1, 0.5));
    const g = pool.shared(Float32Array.of(2, -3, 0));
    const adam = new PoolAdam(pool, 3, { lr: 0.1 });
    adam.step(p, g);
    assert.ok(Math.abs(p[0] - 0.9) < 1e-6);
    assert.ok(Math.abs(p[1] - -0.9) < 1e-6);
    assert.equal(p[2], 0.5);
  });
});

test('adam: constants are float32, t counts from 1, arrays must be pool arrays of one length', async () => {
  const c = adamConstants({ lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, t: 2 });
  assert.equal(c.stepSize, Math.fround(0.001 / (1 - 0.81)));
  assert.equal(c.sqrtC2, Math.fround(Math.sqrt(1 - 0.999 ** 2)));
  assert.throws(() => adamConstants({ lr: 1, beta1: 0.9, beta2: 0.9, eps: 0, t: 0 }), /t must/);
  await withPool({ threads: 1 }, (pool) => {
    const adam = new PoolAdam(pool, 4, { lr: 0.1 });
    assert.throws(() => adam.step(new Float32Array(4), pool.allocF32(4)), /pool's memory/);
    assert.throws(() => adam.step(pool.allocF32(5), pool.allocF32(5)), /expected 5/);
    assert.equal(adam.steps, 0);
  });
});

test('PoolAdam state/load resumes exactly where an uninterrupted run would be', async () => {
  await withPool({ threads: 2, minParallelWork: 0 }, (pool) => {
    const n = 101;
    const straight = pool.shared(randomDense(n, 5));
    const resumed = pool.shared(straight.slice());
    const g = pool.allocF32(n);
    const a = new PoolAdam(pool, n, HP);
    for (let s = 1; s <= 4; s++) {
      g.set(grads(n, s));
      a.step(straight, g);
    }
    const first = new PoolAdam(pool, n, HP);
    for (let s = 1; s <= 2; s++) {
      g.set(grads(n, s));
      first.step(resumed, g);
    }
    const saved = Object.fromEntries(
      Object.entries(first.state('adam')).map(([k, x]) => [k, x.slice()]),
    );
    const second = new PoolAdam(pool, n, HP);
    second.load('adam', saved);
    assert.equal(second.steps, 2);
    for (let s = 3; s <= 4; s++) {
      g.set(grads(n, s));
      second.step(resumed, g);
    }
    assert.ok(sameBits(straight, resumed));
  });
});
