/**
 * Elementwise ops with pool kernels run them on large tensors and a JS loop on small ones: both
 * must give the kernels' bits, so a result does not depend on a tensor's size, the kernel set
 * or the thread count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Param, Tape, ops } from '../../../../src/engine/tape/index.js';
import { randomDense, sameBits, withPool } from '../helpers.js';

const COLS = 50;

test('leakyRelu: the JS loop (small tensors) and the pool kernels (large) give the bits of pool.leakyRelu and leakyReluBack, on JS and WASM, 1 or 2 threads', async () => {
  // below and above KERNEL_MIN elements
  for (const ROWS of [37, 101]) {
    const x0 = randomDense(ROWS * COLS, 11, 3);
    x0[0] = 0;
    const dy0 = randomDense(ROWS * COLS, 12);
    for (const kernels of ['js', 'wasm'] as const)
      for (const threads of [1, 2])
        await withPool({ kernels, threads, minParallelWork: 0 }, (pool) => {
          const t = new Tape(pool);
          const p = new Param(pool, 'x', ROWS, COLS);
          p.data.set(x0);
          // through scale(1), an intermediate: its gradient buffer is written, not added to
          const y = ops.leakyRelu(t, ops.scale(t, t.param(p), 1));
          t.backward(y, dy0);
          const want = pool.allocF32(ROWS * COLS);
          pool.leakyRelu(p.data, want, 0.2);
          const g = pool.allocF32(ROWS * COLS);
          pool.leakyReluBack(pool.shared(dy0), p.data, g, 0.2);
          const where = `${kernels}, ${threads} thread(s), ${ROWS} x ${COLS}`;
          assert.ok(sameBits(y.data, want), `forward: ${where}`);
          assert.ok(sameBits(p.grad, g), `gradient: ${where}`);
          t.dispose();
        });
  }
});
