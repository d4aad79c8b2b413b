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

const fround = Math.fround;
type Partial2 = (x: number, y: number) => number;
const ARITH: Record<'add' | 'sub' | 'mul', { f: Partial2; da: Partial2; db: Partial2 }> = {
  add: { f: (x, y) => fround(x + y), da: () => 1, db: () => 1 },
  sub: { f: (x, y) => fround(x - y), da: () => 1, db: () => -1 },
  mul: { f: (x, y) => fround(x * y), da: (_x, y) => y, db: (x) => x },
};

/** add, sub or mul of a [rows x COLS] and b [bRows x bCols] in float32, one rounding an operation. */
function arithReference(name: keyof typeof ARITH, rows: number, bRows: number, bCols: number) {
  const d = ARITH[name];
  const a = randomDense(rows * COLS, 21);
  const b = randomDense(bRows * bCols, 22);
  const dz = randomDense(rows * COLS, 23);
  const full = bRows * bCols === rows * COLS;
  const z = new Float32Array(rows * COLS);
  const dA = new Float32Array(rows * COLS);
  // dB sums its broadcast elements in row-major order, from 0
  const dB = new Float32Array(bRows * bCols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < COLS; c++) {
      const k = r * COLS + c;
      const j = bRows === 1 ? c : bCols === 1 ? r : k;
      z[k] = d.f(a[k], b[j]);
      dA[k] = fround(dz[k] * d.da(a[k], b[j]));
      const v = fround(dz[k] * d.db(a[k], b[j]));
      dB[j] = full ? v : dB[j] + v;
    }
  return { a, b, dz, z, dA, dB };
}

test('add, sub, mul: the JS loop (small tensors) and the pool kernel (large) give the bits of one float32 rounding per operation, b full or broadcast, on JS and WASM, 1 or 2 threads', async () => {
  for (const kernels of ['js', 'wasm'] as const)
    for (const threads of [1, 2])
      await withPool({ kernels, threads, minParallelWork: 0 }, (pool) => {
        // below and above KERNEL_MIN elements
        for (const rows of [37, 101])
          for (const [bRows, bCols] of [
            [rows, COLS],
            [1, COLS],
            [rows, 1],
          ])
            for (const name of ['add', 'sub', 'mul'] as const) {
              const want = arithReference(name, rows, bRows, bCols);
              const t = new Tape(pool);
              const pa = new Param(pool, 'a', rows, COLS);
              const pb = new Param(pool, 'b', bRows, bCols);
              pa.data.set(want.a);
              pb.data.set(want.b);
              // scale(1) makes intermediates: their gradients are the op's own, written
              const x = ops.scale(t, t.param(pa), 1);
              const y = ops.scale(t, t.param(pb), 1);
              const out = ops[name](t, x, y);
              t.backward(out, want.dz);
              const where = `${name}, b [${bRows} x ${bCols}], ${rows} rows, ${kernels}, ${threads} thread(s)`;
              assert.ok(sameBits(out.data, want.z), `forward: ${where}`);
              assert.ok(sameBits(x.grad as Float32Array, want.dA), `da: ${where}`);
              assert.ok(sameBits(y.grad as Float32Array, want.dB), `db: ${where}`);
              t.dispose();
            }
      });
});
