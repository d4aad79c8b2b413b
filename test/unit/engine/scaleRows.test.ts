/**
 * scaleRows (g = w x, g += w x row by row, in float64 rounded once): WebAssembly and JS on 1-3
 * threads give the bits of the plain JS loops on Float32Arrays it replaces in the backwards of
 * rowDot and the scaled sums.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertKernelsAgree, randomDense, sameBits } from './helpers.js';

/** What the loops wrote before the kernel: JS numbers, one float32 rounding at the store. */
function loops(
  g0: Float32Array,
  x: Float32Array,
  w: (r: number) => number,
  d: number,
  add: boolean,
) {
  const g = g0.slice();
  for (let r = 0; r < x.length / d; r++)
    for (let c = 0; c < d; c++) {
      if (add) g[r * d + c] += w(r) * x[r * d + c];
      else g[r * d + c] = w(r) * x[r * d + c];
    }
  return g;
}

const SHAPES = [
  [300, 64],
  [97, 7],
  [5, 1],
];
// a float64 scalar no float32 holds, as 2 * dy * lambda / B is
const SCALAR = 0.1 + 1e-12;

test('scaleRows: the bits of the JS loops, per-row weights or one float64 scalar, written or added', async () => {
  for (const [rows, d] of SHAPES) {
    const x = randomDense(rows * d, 1, 3);
    x[0] = -0;
    const ds = randomDense(rows, 2);
    const g0 = randomDense(rows * d, 3);
    const want = {
      rowFresh: loops(g0, x, (r) => ds[r], d, false),
      rowAdd: loops(g0, x, (r) => ds[r], d, true),
      scalarFresh: loops(g0, x, () => SCALAR, d, false),
      scalarAdd: loops(g0, x, () => SCALAR, d, true),
    };
    await assertKernelsAgree(
      `${rows} x ${d}`,
      (p) => {
        const run = (w: number | Float32Array, add: boolean): Float32Array => {
          const g = p.shared(g0);
          p.scaleRows(p.shared(x), typeof w === 'number' ? w : p.shared(w), g, d, add);
          return g.slice();
        };
        const got = {
          rowFresh: run(ds, false),
          rowAdd: run(ds, true),
          scalarFresh: run(SCALAR, false),
          scalarAdd: run(SCALAR, true),
        };
        for (const k of Object.keys(got) as (keyof typeof got)[])
          assert.ok(sameBits(got[k], want[k]), `${k}: not the loops' bits, ${rows} x ${d}`);
        return got;
      },
      {},
      0,
    );
  }
});
