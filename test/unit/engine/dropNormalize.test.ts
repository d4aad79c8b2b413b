/**
 * dropNormalize (dropout then L2 normalisation of each row, fused): the bits of dropoutMask,
 * maskedLeakyRelu of slope 1 and normalizeRows composed, forward and backward (written and
 * added), on WebAssembly and JS with 1-3 threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { Tape } from '../../../src/engine/tape/tape.js';
import type { Tensor } from '../../../src/engine/tape/tensor.js';
import {
  dropNormalize,
  dropoutMask,
  maskedLeakyRelu,
  mul,
  normalizeRows,
  sum,
} from '../../../src/engine/tape/ops/index.js';
import { assertKernelsAgree, randomDense, sameBits } from './helpers.js';

const SHAPES = [
  [300, 64],
  [41, 7],
  [3, 1],
];
const DROPOUT = { rate: 0.1, seeds: [12345, 678] as const };

/** Forward, and backward into a gradient written (fresh) then one added to (x used twice). */
function run(p: Pool, rows: number, dim: number, fused: boolean) {
  const t = new Tape(p);
  const x = t.input(p.shared(randomDense(rows * dim, 5, 2)), rows, dim, true);
  const f = (v: Tensor): Tensor =>
    fused
      ? dropNormalize(t, v, DROPOUT)
      : normalizeRows(
          t,
          maskedLeakyRelu(t, v, dropoutMask(t, v.size, DROPOUT.rate, DROPOUT.seeds), 1),
        );
  const y = f(x);
  const weights = t.input(p.shared(randomDense(rows * dim, 6)), rows, dim);
  // x also feeds a second consumer, so one of the two backwards adds into its gradient
  t.backward(sum(t, mul(t, mul(t, y, weights), mul(t, x, weights))));
  const out = { y: y.data.slice(), dx: (x.grad ?? new Float32Array(0)).slice() };
  t.reset();
  return out;
}

test('dropNormalize: the bits of dropoutMask, maskedLeakyRelu (slope 1) and normalizeRows', async () => {
  for (const [rows, dim] of SHAPES)
    await assertKernelsAgree(
      `${rows} x ${dim}`,
      (p) => {
        const a = run(p, rows, dim, true);
        const b = run(p, rows, dim, false);
        assert.ok(sameBits(a.y, b.y), `forward bits, ${rows} x ${dim}`);
        assert.ok(sameBits(a.dx, b.dx), `gradient bits, ${rows} x ${dim}`);
        return a;
      },
      {},
      0,
    );
});
