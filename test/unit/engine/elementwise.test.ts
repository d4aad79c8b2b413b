import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EwOp, Pool } from '../../../src/engine/pool.js';
import { put, randomDense, sameBits, withPool } from './helpers.js';

const fround = Math.fround;
const F = {
  add: (x: number, y: number) => x + y,
  sub: (x: number, y: number) => x - y,
  mul: (x: number, y: number) => x * y,
};

/** [rows, cols, skip]: a single float, widths below, at and off a quad, unaligned starts */
const SIZES = [
  [1, 1, 0],
  [5, 3, 1],
  [33, 64, 0],
  [17, 9, 3],
] as const;

/** f on a pool of each kernel set and 1-3 threads (every job split), with its description. */
async function onEveryPool(f: (pool: Pool, where: string) => void): Promise<void> {
  for (const kernels of ['wasm', 'js'] as const)
    for (const threads of [1, 2, 3])
      await withPool({ kernels, threads, minParallelWork: 0 }, (pool) =>
        f(pool, `${kernels}, ${threads} thread(s)`),
      );
}

test('ewBinary: WASM and JS, 1-3 threads, any width and offset, b full, a row or a column, written or added: one float32 rounding per operation', async () => {
  await onEveryPool((pool, on) => {
    for (const [rows, cols, skip] of SIZES)
      for (const [bRows, bCols] of [
        [rows, cols],
        [1, cols],
        [rows, 1],
      ])
        for (const op of ['add', 'sub', 'mul'] as EwOp[])
          for (const accumulate of [false, true]) {
            const a = randomDense(rows * cols, 1);
            const b = randomDense(bRows * bCols, 2);
            const z0 = randomDense(rows * cols, 3);
            const want = new Float32Array(rows * cols);
            for (let r = 0; r < rows; r++)
              for (let c = 0; c < cols; c++) {
                const k = r * cols + c;
                const v = fround(F[op](a[k], b[bRows === 1 ? c : bCols === 1 ? r : k]));
                want[k] = accumulate ? fround(z0[k] + v) : v;
              }
            const z = put(pool, z0, skip);
            pool.ewBinary(
              op,
              put(pool, a, skip + 1),
              put(pool, b, skip),
              z,
              rows,
              cols,
              accumulate,
            );
            const where = `${op} ${accumulate ? '+=' : '='}, [${rows} x ${cols}] and [${bRows} x ${bCols}], ${on}`;
            assert.ok(sameBits(z, want), where);
          }
  });
});

test('ewGradB: WASM and JS, 1-3 threads, a row or a column, written or added: each element summed in order, one float32 rounding per operation', async () => {
  const term = {
    add: (d: number) => d,
    sub: (d: number) => -d,
    mul: (d: number, x: number) => fround(d * x),
  };
  await onEveryPool((pool, on) => {
    for (const [rows, cols, skip] of SIZES)
      for (const column of [false, true])
        for (const op of ['add', 'sub', 'mul'] as EwOp[])
          for (const accumulate of [false, true]) {
            const dz = randomDense(rows * cols, 4);
            const a = randomDense(rows * cols, 5);
            const n = column ? rows : cols;
            const g0 = randomDense(n, 6);
            const want = Float32Array.from(g0, (v) => (accumulate ? v : 0));
            for (let r = 0; r < rows; r++)
              for (let c = 0; c < cols; c++) {
                const k = r * cols + c;
                const i = column ? r : c;
                want[i] = fround(want[i] + term[op](dz[k], a[k]));
              }
            const g = put(pool, g0, skip);
            pool.ewGradB(
              op,
              put(pool, dz, skip),
              put(pool, a, skip + 2),
              g,
              rows,
              cols,
              column,
              accumulate,
            );
            const where = `${op}, ${column ? 'column' : 'row'} ${accumulate ? '+=' : '='}, [${rows} x ${cols}], ${on}`;
            assert.ok(sameBits(g, want), where);
          }
  });
});

test('ewBinary refuses a b of no broadcastable shape', async () => {
  await withPool({ threads: 1 }, (pool) => {
    const a = pool.allocF32(12);
    assert.throws(
      () => pool.ewBinary('add', a, pool.allocF32(5), a, 3, 4),
      /b has 5 values, expected 3 x 1/,
    );
  });
});
