/**
 * The squash kernels (VRKG4Rec's NORM) and their gradient: WebAssembly and JS on 1-3 threads
 * give the same bits, and both agree with float64 arithmetic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { randomDense, sameBits, withPool } from './helpers.js';

/** squash and squashBack (written, then added) over rows x dim inputs, with a zero row. */
function runSquash(p: Pool, rows: number, dim: number) {
  const n = rows * dim;
  const x = p.shared(randomDense(n, 11).map((v, k) => v * (1 + (k % 5))));
  if (rows > 2) x.fill(0, 2 * dim, 3 * dim);
  const y = p.allocF32(n);
  p.squash(x, y, dim);
  const dy = p.shared(randomDense(n, 12));
  const back = p.allocF32(n);
  p.squashBack(x, dy, back, dim);
  const acc = p.shared(randomDense(n, 13));
  p.squashBack(x, dy, acc, dim, true);
  return { x: x.slice(), dy: dy.slice(), y: y.slice(), back: back.slice(), acc: acc.slice() };
}

const SHAPES = [
  [1, 1],
  [5, 3],
  [40, 64],
  [97, 7],
];

test('squash, squashBack: WASM and JS, 1-3 threads: the same bits, and the float64 math', async () => {
  // runs[config][shape], one pool per kernel set and thread count
  const runs: ReturnType<typeof runSquash>[][] = [];
  for (const kernels of ['wasm', 'js'] as const)
    for (const threads of [1, 2, 3])
      runs.push(
        await withPool({ threads, kernels, minParallelWork: 0 }, (p) =>
          SHAPES.map(([rows, dim]) => runSquash(p, rows, dim)),
        ),
      );
  SHAPES.forEach(([rows, dim], at) => {
    for (const r of runs.slice(1))
      for (const k of ['y', 'back', 'acc'] as const)
        assert.ok(sameBits(runs[0][at][k], r[at][k]), `${k} differs, ${rows} x ${dim}`);
    checkMath(runs[0][at], rows, dim);
  });
});

function checkMath(r: ReturnType<typeof runSquash>, rows: number, dim: number): void {
  const { x, dy, y, back, acc } = r;
  const acc0 = randomDense(rows * dim, 13);
  for (let i = 0; i < rows; i++) {
    const row = Array.from(x.subarray(i * dim, (i + 1) * dim));
    const g = Array.from(dy.subarray(i * dim, (i + 1) * dim));
    const q = row.reduce((a, v) => a + v * v, 0);
    const xdy = row.reduce((a, v, c) => a + v * g[c], 0);
    const norm = Math.sqrt(q);
    const s = q > 0 ? norm / (1 + q) : 0;
    const k = q > 0 ? (xdy * (1 - q)) / (norm * (1 + q) ** 2) : 0;
    for (let c = 0; c < dim; c++) {
      const at = i * dim + c;
      const wantY = s * row[c];
      assert.ok(Math.abs(y[at] - wantY) <= 1e-6 * Math.max(1, Math.abs(wantY)), `y ${at}`);
      const want = s * g[c] + k * row[c];
      assert.ok(
        Math.abs(back[at] - want) <= 1e-5 * Math.max(1, Math.abs(want)),
        `row ${i} col ${c}: ${back[at]} vs ${want}`,
      );
      assert.ok(Math.abs(acc[at] - (acc0[at] + want)) <= 1e-5 * Math.max(1, Math.abs(want)));
    }
    if (q === 0) assert.ok(row.every((_, c) => y[i * dim + c] === 0 && back[i * dim + c] === 0));
  }
}

test('squash checks its arrays', async () => {
  await withPool({ threads: 2, minParallelWork: 0 }, (p) => {
    assert.throws(
      () => p.squash(p.allocF32(12), p.allocF32(8), 4),
      /y has 8 values, expected 3 x 4/,
    );
    assert.throws(
      () => p.squashBack(p.allocF32(8), p.allocF32(8), new Float32Array(8), 4),
      /out must live in the pool's memory/,
    );
  });
});
