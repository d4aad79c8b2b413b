import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertKernelsAgree, put, randomDense, withPool } from './helpers.js';

// 1682 x 129: GRU4Rec's output rows on ml-100k; 13 x 5: blocks of eight rows and a rest
const SHAPES = [
  { rows: 1682, cols: 129, skip: 1 },
  { rows: 13, cols: 5, skip: 0 },
  { rows: 1, cols: 7, skip: 2 },
];

test('transpose: WASM and JS, 1-3 threads, the same bits, each element where s^T puts it', async () => {
  const inputs = SHAPES.map((s, n) => randomDense(s.rows * s.cols, n + 1));
  const want: Record<string, Float64Array> = {};
  SHAPES.forEach((s, n) => {
    const t = new Float64Array(s.rows * s.cols);
    for (let r = 0; r < s.rows; r++)
      for (let c = 0; c < s.cols; c++) t[c * s.rows + r] = inputs[n][r * s.cols + c];
    want[`${s.rows} x ${s.cols}`] = t;
  });
  await assertKernelsAgree(
    'transpose',
    (p) => {
      const out: Record<string, Float32Array> = {};
      SHAPES.forEach((s, n) => {
        const d = p.allocF32(s.rows * s.cols);
        p.transpose(put(p, inputs[n], s.skip), d, s.rows, s.cols);
        out[`${s.rows} x ${s.cols}`] = d.slice();
      });
      return out;
    },
    want,
    // a copy: exact
    1e-30,
  );
});

test('transpose refuses a destination of the wrong size and one that overlaps the source', async () => {
  await withPool({ threads: 1 }, (p) => {
    const s = p.allocF32(6);
    assert.throws(() => p.transpose(s, p.allocF32(5), 2, 3), /d has 5 values, expected 3 x 2/);
    assert.throws(() => p.transpose(s, s, 2, 3), /overlap/);
  });
});
