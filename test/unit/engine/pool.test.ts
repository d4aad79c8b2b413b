import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from '../../../src/engine/pool.js';
import { maxAbsDiff, randomCsr, randomDense, refSpmm, sameBits, withPool } from './helpers.js';

// dims that exercise every pass of the kernels: 16-wide, 4-wide and single columns
const DIMS = [1, 3, 4, 7, 16, 21, 64];

function spmmOn(
  pool: Pool,
  a: ReturnType<typeof randomCsr>,
  x: Float32Array,
  dim: number,
): Float32Array {
  const d = pool.upload(a);
  const xs = pool.shared(x);
  const y = pool.allocF32(a.nRows * dim);
  pool.spmm(d, xs, y, dim);
  const out = y.slice();
  pool.free(y);
  pool.release(xs, x);
  return out;
}

test('spmm matches a float64 reference for every dim, with the WASM and the JS kernels', async () => {
  const a = randomCsr(57, 43, 0.15, 1);
  for (const kernels of ['wasm', 'js'] as const) {
    await withPool({ threads: 1, kernels }, (pool) => {
      assert.equal(pool.kernelKind, kernels === 'wasm' ? 'wasm-simd' : 'js');
      for (const dim of DIMS) {
        const x = randomDense(a.nCols * dim, dim);
        const y = spmmOn(pool, a, x, dim);
        assert.ok(maxAbsDiff(y, refSpmm(a, x, dim)) < 1e-5, `${kernels} dim ${dim}`);
      }
    });
  }
});

test('JS and WASM kernels give the same bits (both round in float32 after each operation)', async () => {
  const a = randomCsr(80, 80, 0.2, 2);
  for (const dim of DIMS) {
    const x = randomDense(a.nCols * dim, 100 + dim);
    const w = await withPool({ threads: 1, kernels: 'wasm' }, (p) => spmmOn(p, a, x, dim));
    const j = await withPool({ threads: 1, kernels: 'js' }, (p) => spmmOn(p, a, x, dim));
    assert.ok(maxAbsDiff(w, j) <= 1e-6, `dim ${dim}: ${maxAbsDiff(w, j)}`);
    assert.ok(sameBits(w, j), `dim ${dim}: not bit-identical`);
  }
});

test('1, 2 and 3 threads give identical bits', async () => {
  const a = randomCsr(300, 200, 0.05, 3);
  const dim = 24;
  const x = randomDense(a.nCols * dim, 4);
  const results: Float32Array[] = [];
  for (const threads of [1, 2, 3]) {
    results.push(await withPool({ threads, minParallelWork: 0 }, (p) => spmmOn(p, a, x, dim)));
  }
  assert.ok(sameBits(results[0], results[1]));
  assert.ok(sameBits(results[0], results[2]));
});

test('spmmRows computes listed rows compactly; scatterRows is its transpose', async () => {
  const a = randomCsr(40, 30, 0.2, 5);
  const dim = 6;
  await withPool({ threads: 2, minParallelWork: 0 }, (pool) => {
    const d = pool.upload(a);
    const x = pool.shared(randomDense(a.nCols * dim, 6));
    const rows = pool.shared(Int32Array.of(7, 0, 39, 7, 12));
    const y = pool.allocF32(rows.length * dim);
    pool.spmmRows(d, x, rows, y, dim);
    const full = refSpmm(a, x, dim);
    rows.forEach((r, k) => {
      for (let c = 0; c < dim; c++) assert.ok(Math.abs(y[k * dim + c] - full[r * dim + c]) < 1e-5);
    });
    // <A[rows] x, dy> = <x, A[rows]^T dy>
    const dy = pool.shared(randomDense(rows.length * dim, 7));
    const out = pool.allocF32(a.nCols * dim);
    pool.scatterRows(d, dy, rows, out, dim);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < y.length; i++) lhs += y[i] * dy[i];
    for (let i = 0; i < out.length; i++) rhs += x[i] * out[i];
    assert.ok(Math.abs(lhs - rhs) < 1e-4, `${lhs} vs ${rhs}`);
  });
});

test('scatterRows: WASM and JS agree bit for bit, and it accumulates into out', async () => {
  const a = randomCsr(25, 33, 0.3, 8);
  const dim = 21;
  const rows = Int32Array.of(3, 3, 24, 0, 11);
  const dy = randomDense(rows.length * dim, 9);
  const run = (kernels: 'wasm' | 'js'): Promise<Float32Array> =>
    withPool({ threads: 1, kernels }, (p) => {
      const out = p.shared(new Float32Array(a.nCols * dim).fill(1));
      p.scatterRows(p.upload(a), p.shared(dy), p.shared(rows), out, dim);
      return out.slice();
    });
  const w = await run('wasm');
  const j = await run('js');
  assert.ok(sameBits(w, j));
  const ref = refSpmm({ ...a, nRows: rows.length, ...gatherRows(a, rows) }, dy, dim, true);
  for (let i = 0; i < w.length; i++) assert.ok(Math.abs(w[i] - (1 + ref[i])) < 1e-5);
});

test('scatterRows split over 1, 2 and 3 threads (by output row) gives the same bits', async () => {
  // a square matrix and a list with repeats, so output rows get several additions each
  const a = randomCsr(120, 120, 0.1, 11);
  const rows = Int32Array.from({ length: 90 }, (_, k) => (k * 37) % 120);
  for (const dim of [3, 16, 21]) {
    const dy = randomDense(rows.length * dim, 12 + dim);
    const results: Float32Array[] = [];
    for (const kernels of ['wasm', 'js'] as const) {
      for (const threads of [1, 2, 3]) {
        results.push(
          await withPool({ threads, kernels, minParallelWork: 0 }, (p) => {
            const d = p.upload(a);
            assert.equal(d.colBounds.length, threads + 1);
            const out = p.shared(new Float32Array(a.nCols * dim).fill(0.5));
            p.scatterRows(d, p.shared(dy), p.shared(rows), out, dim);
            return out.slice();
          }),
        );
      }
    }
    for (const r of results.slice(1)) assert.ok(sameBits(results[0], r), `dim ${dim}`);
    const ref = refSpmm({ ...a, nRows: rows.length, ...gatherRows(a, rows) }, dy, dim, true);
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(results[0][i] - (0.5 + ref[i])) < 1e-5);
  }
});

test('zero clears exactly the array, split over 1, 2 and 3 threads', async () => {
  for (const threads of [1, 2, 3]) {
    for (const n of [1, 17, 1000, 4099]) {
      await withPool({ threads, minParallelWork: 0 }, (p) => {
        // neighbours on both sides must keep their values
        const before = p.shared(new Float32Array(5).fill(7));
        const x = p.shared(Float32Array.from({ length: n }, (_, i) => i + 1));
        const after = p.shared(new Float32Array(5).fill(9));
        p.zero(x);
        assert.ok(
          x.every((v) => v === 0),
          `threads ${threads}, n ${n}`,
        );
        assert.ok(before.every((v) => v === 7) && after.every((v) => v === 9));
        assert.throws(() => p.zero(new Float32Array(3)), /pool's memory/);
      });
    }
  }
});

function gatherRows(
  a: ReturnType<typeof randomCsr>,
  rows: Int32Array,
): { indptr: Int32Array; indices: Int32Array; values: Float32Array } {
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
  return { indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

test('upload rejects out-of-range columns; arrays must live in the pool', async () => {
  await withPool({ threads: 1 }, (pool) => {
    const bad = {
      nRows: 1,
      nCols: 2,
      indptr: Int32Array.of(0, 1),
      indices: Int32Array.of(2),
      values: Float32Array.of(1),
    };
    assert.throws(() => pool.upload(bad), /outside/);
    const a = randomCsr(3, 3, 1, 1);
    assert.throws(
      () => pool.spmm(pool.upload(a), new Float32Array(3), pool.allocF32(3), 1),
      /pool's memory/,
    );
  });
});

test('a disposed pool refuses work; the heap reuses freed blocks', async () => {
  const pool = await Pool.create({ threads: 2 });
  const a = pool.allocF32(1000);
  const off = a.byteOffset;
  pool.free(a);
  const b = pool.allocF32(500);
  assert.equal(b.byteOffset, off);
  await pool.dispose();
  assert.throws(() => pool.run(1, () => undefined), /dispose/);
});

test('the heap grows on demand and old arrays stay valid', async () => {
  await withPool({ threads: 2, initialMemoryMB: 1, minParallelWork: 0 }, (pool) => {
    const a = pool.allocF32(10);
    a[3] = 42;
    const big = pool.allocF32(4 << 20); // 16 MiB: forces grows
    big[big.length - 1] = 1;
    assert.equal(a[3], 42);
    assert.ok(pool.heap.byteLength >= 16 << 20);
    const d = pool.upload(randomCsr(10, 10, 0.5, 2));
    const x = pool.shared(randomDense(10 * 4, 3));
    const y = pool.allocF32(40);
    pool.spmm(d, x, y, 4); // workers see the grown memory
  });
});
