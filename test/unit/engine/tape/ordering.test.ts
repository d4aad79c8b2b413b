/**
 * The tape's ordering of row-sparse backwards (gather's, run after the other consumers of their
 * input) and parameters' stale gradients (not zeroed after a dense step): the gradients must be
 * those of the function, whatever the order the ops were written in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from '../../../../src/engine/pool.js';
import { Param } from '../../../../src/engine/tape/param.js';
import { Tape } from '../../../../src/engine/tape/tape.js';
import {
  gather,
  rowDot,
  spmm,
  sum,
  type FixedMatrix,
} from '../../../../src/engine/tape/ops/index.js';

/** 3 x 3, not symmetric */
const A: FixedMatrix = {
  nRows: 3,
  nCols: 3,
  indptr: Int32Array.from([0, 2, 3, 5]),
  indices: Int32Array.from([0, 2, 1, 0, 2]),
  values: Float32Array.from([0.5, -1, 2, 0.25, 1.5]),
};

/** sum_k (A X)[ra[k]] . X[rb[rc[k]]], in float64, X row-major 3 x 2 */
function objective(x: Float64Array, ra: number[], rb: number[], rc: number[]): number {
  const ax = new Float64Array(6);
  for (let r = 0; r < 3; r++)
    for (let p = A.indptr[r]; p < A.indptr[r + 1]; p++)
      for (let c = 0; c < 2; c++) ax[r * 2 + c] += A.values[p] * x[A.indices[p] * 2 + c];
  let s = 0;
  ra.forEach((a, k) => {
    const b = rb[rc[k]];
    for (let c = 0; c < 2; c++) s += ax[a * 2 + c] * x[b * 2 + c];
  });
  return s;
}

test('gathers of a parameter, of a gather and of an SpMM output give the gradient of the function', async () => {
  const pool = await Pool.create({ threads: 1 });
  const tape = new Tape(pool);
  const p = new Param(pool, 'x', 3, 2);
  try {
    p.data.set([0.3, -0.7, 1.1, 0.2, -0.4, 0.9]);
    const [ra, rb, rc] = [
      [2, 0],
      [1, 1, 0],
      [2, 0],
    ];
    // gathers first, the dense consumer (spmm) after: the gathers' backwards must still wait
    // for the scores' and add to what the spmm's backward wrote
    const x = tape.param(p);
    const twice = gather(tape, gather(tape, x, rb), rc);
    const y = spmm(tape, A, x);
    const loss = sum(tape, rowDot(tape, gather(tape, y, ra), twice));
    tape.backward(loss);
    const x64 = Float64Array.from(p.data);
    assert.ok(Math.abs(loss.item() - objective(x64, ra, rb, rc)) < 1e-6);
    for (let k = 0; k < 6; k++) {
      const h = 1e-6;
      const up = Float64Array.from(x64);
      const down = Float64Array.from(x64);
      up[k] += h;
      down[k] -= h;
      const fd = (objective(up, ra, rb, rc) - objective(down, ra, rb, rc)) / (2 * h);
      assert.ok(Math.abs(p.grad[k] - fd) < 1e-5, `[${k}] ${p.grad[k]} vs ${fd}`);
    }
  } finally {
    tape.dispose();
    p.free();
    await pool.dispose();
  }
});

test("a parameter's gradient left stale by a dense step is zeroed before a sparse step adds to it", async () => {
  const pool = await Pool.create({ threads: 1 });
  const tape = new Tape(pool);
  const p = new Param(pool, 'x', 3, 2);
  try {
    p.data.set([1, 2, 3, 4, 5, 6]);
    // step 1: dense (the spmm's backward writes the whole gradient)
    tape.backward(sum(tape, spmm(tape, A, tape.param(p))));
    assert.ok(p.dense);
    assert.notDeepEqual([...p.grad], [0, 0, 0, 0, 0, 0]);
    p.clearGrad();
    // step 2: only row 1 is read
    tape.reset();
    tape.backward(sum(tape, gather(tape, tape.param(p), [1])));
    assert.deepEqual([...p.grad], [0, 0, 1, 1, 0, 0]);
    assert.deepEqual([...p.touchedRows()], [1]);
    p.clearGrad();
    // step 3: dense again, then a step that gives no gradient: the optimizer reads zeros
    tape.reset();
    tape.backward(sum(tape, spmm(tape, A, tape.param(p))));
    p.clearGrad();
    assert.deepEqual([...p.readyGrad()], [0, 0, 0, 0, 0, 0]);
  } finally {
    tape.dispose();
    p.free();
    await pool.dispose();
  }
});
