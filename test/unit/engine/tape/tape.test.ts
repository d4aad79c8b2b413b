/**
 * The tape itself: gradients of a value used twice add up, the arena allocates nothing after
 * the first step, parameters keep row-sparse gradients, and sparse Adam leaves the rows a step
 * did not use alone where dense Adam moves them by their momentum.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from '../../../../src/engine/pool.js';
import { Param, Tape, ops, type Tensor } from '../../../../src/engine/tape/index.js';
import { TapeAdam } from '../../../../src/train/tapeAdam.js';

async function withTape<T>(f: (t: Tape, pool: Pool) => T | Promise<T>): Promise<T> {
  const pool = await Pool.create({ threads: 1 });
  const t = new Tape(pool);
  try {
    return await f(t, pool);
  } finally {
    t.dispose();
    await pool.dispose();
  }
}

function fill(p: Param, f: (k: number) => number): Param {
  for (let k = 0; k < p.size; k++) p.data[k] = f(k);
  return p;
}

/** loss = bpr(<h[a], h[b]>, <h[a], h[c]>) with h = tanh(x W): x's rows reach the loss twice. */
function chain(t: Tape, x: Tensor, w: Tensor): Tensor {
  const h = ops.tanh(t, ops.matmul(t, x, w));
  const a = ops.gather(t, h, [0, 1, 0]);
  return ops.bpr(
    t,
    ops.rowDot(t, a, ops.gather(t, h, [2, 3, 1])),
    ops.rowDot(t, a, ops.gather(t, h, [3, 0, 2])),
  );
}

test('a chain of ops: the tape gradient equals finite differences (uses of one value add up)', () =>
  withTape((t, pool) => {
    const x = fill(new Param(pool, 'x', 4, 3), (k) => Math.sin(k + 1));
    const w = fill(new Param(pool, 'w', 3, 5), (k) => Math.cos(2 * k + 1) * 0.7);
    t.reset();
    const loss = chain(t, t.param(x), t.param(w));
    t.backward(loss);
    const analytic = x.grad.slice();
    const f = (): number => {
      t.reset();
      const v = chain(t, t.input(x.data, 4, 3), t.input(w.data, 3, 5)).item();
      return v;
    };
    const h = 1e-2;
    for (let k = 0; k < x.size; k++) {
      const v = x.data[k];
      x.data[k] = v + h;
      const up = f();
      x.data[k] = v - h;
      const down = f();
      x.data[k] = v;
      const numeric = (up - down) / (2 * h);
      assert.ok(
        Math.abs(analytic[k] - numeric) < 2e-3 * (1 + Math.abs(numeric)),
        `x[${k}]: ${analytic[k]} vs ${numeric}`,
      );
    }
  }));

test('the arena allocates nothing after the first step, and backward runs once per step', () =>
  withTape((t, pool) => {
    const x = fill(new Param(pool, 'x', 4, 3), (k) => k / 7);
    const w = fill(new Param(pool, 'w', 3, 5), (k) => 1 - k / 9);
    const step = () => {
      t.reset();
      const loss = chain(t, t.param(x), t.param(w));
      t.backward(loss);
      assert.throws(() => t.backward(loss), /ran already/);
      x.clearGrad();
      w.clearGrad();
    };
    step();
    const held = t.heldFloats();
    step();
    step();
    assert.equal(t.heldFloats(), held);
  }));

test('a table read by gather gets row-sparse gradient; clearGrad zeroes exactly those rows', () =>
  withTape((t, pool) => {
    const e = fill(new Param(pool, 'e', 6, 2), (k) => k);
    t.reset();
    const g = ops.gather(t, t.param(e), [4, 1, 4]);
    t.backward(ops.sum(t, g));
    assert.equal(e.dense, false);
    assert.deepEqual([...e.touchedRows()], [4, 1]);
    assert.deepEqual([...e.grad], [0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0]);
    e.clearGrad();
    assert.ok(e.grad.every((v) => v === 0));
    assert.equal(e.touchedRows().length, 0);
    // a product with the whole table marks it dense
    t.reset();
    const w = t.constant([1, 1], 2, 1);
    t.backward(ops.sum(t, ops.matmul(t, t.param(e), w)));
    assert.equal(e.dense, true);
    e.clearGrad();
    // a dense gradient is left as it is (no 18 MB zeroing per step on Gowalla) until read
    assert.ok(e.readyGrad().every((v) => v === 0));
  }));

test('sparse Adam updates only the rows a step used; dense Adam keeps moving the others', () =>
  withTape(async (t, pool) => {
    const run = (sparse: boolean) => {
      const e = fill(new Param(pool, 'e', 4, 2), (k) => k / 10);
      const adam = new TapeAdam(pool, [e], { lr: 0.1, sparse });
      for (const rows of [[1, 3], [0]]) {
        t.reset();
        t.backward(ops.sum(t, ops.gather(t, t.param(e), rows)));
        adam.step();
      }
      return e.data.slice();
    };
    const sparse = run(true);
    const dense = run(false);
    const start = Float32Array.from({ length: 8 }, (_, k) => k / 10);
    // row 2 never had gradient: unchanged by either
    assert.deepEqual([sparse[4], sparse[5]], [start[4], start[5]]);
    assert.deepEqual([dense[4], dense[5]], [start[4], start[5]]);
    // row 0 was used in step 2 only: the same update (first moment from one gradient) either way
    assert.deepEqual([sparse[0], sparse[1]], [dense[0], dense[1]]);
    // row 1 was used in step 1: step 2 moves it again under dense Adam (momentum), not sparse
    assert.ok(dense[2] < sparse[2] && dense[3] < sparse[3], `${dense[2]} vs ${sparse[2]}`);
  }));
