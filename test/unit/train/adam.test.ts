import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam } from '../../../src/train/adam.js';

test('Adam first step moves each parameter by lr against the gradient sign (bias correction)', () => {
  const p = Float32Array.of(1, -1, 0.5);
  const adam = new Adam(3, { lr: 0.1 });
  adam.step(p, Float32Array.of(2, -3, 0));
  // m_hat = g, v_hat = g^2 -> step = lr * g / (|g| + eps)
  assert.ok(Math.abs(p[0] - 0.9) < 1e-6);
  assert.ok(Math.abs(p[1] - -0.9) < 1e-6);
  assert.equal(p[2], 0.5);
});

test('Adam second step matches the formula computed by hand', () => {
  const p = Float32Array.of(0);
  const adam = new Adam(1, { lr: 0.01 });
  adam.step(p, Float32Array.of(1));
  adam.step(p, Float32Array.of(0.5));
  // t=2: m = 0.9*0.1 + 0.1*0.5 = 0.14; v = 0.999*0.001 + 0.001*0.25 = 0.001249
  const m = 0.14 / (1 - 0.81);
  const v = 0.001249 / (1 - 0.999 ** 2);
  const expected = -0.01 - (0.01 * m) / (Math.sqrt(v) + 1e-8);
  assert.ok(Math.abs(p[0] - expected) < 1e-6, `${p[0]} vs ${expected}`);
});

test('Adam minimises a quadratic', () => {
  const p = Float32Array.of(3, -2);
  const adam = new Adam(2, { lr: 0.1 });
  for (let i = 0; i < 500; i++) adam.step(p, Float32Array.of(2 * p[0], 2 * p[1]));
  assert.ok(Math.abs(p[0]) < 0.05 && Math.abs(p[1]) < 0.05, `${p}`);
});
