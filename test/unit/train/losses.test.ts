import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bceLoss, bprLoss, marginLoss, sigmoid, softplus } from '../../../src/train/losses.js';

const close = (a: number, b: number, tol = 1e-5) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('softplus and sigmoid are stable for large inputs', () => {
  close(softplus(0), Math.log(2));
  close(softplus(100), 100);
  close(softplus(-100), 0);
  close(sigmoid(0), 0.5);
  close(sigmoid(-1000), 0);
  close(sigmoid(1000), 1);
});

test('BPR loss matches -ln sigmoid(pos - neg) averaged, by hand', () => {
  const pos = Float32Array.of(2, 0);
  const neg = Float32Array.of(1, 1);
  const gp = new Float32Array(2);
  const gn = new Float32Array(2);
  const l = bprLoss(pos, neg, gp, gn);
  // -ln s(1) = ln(1+e^-1) = 0.31326; -ln s(-1) = ln(1+e) = 1.31326; mean 0.81326
  close(l, 0.81326);
  // d/dpos = -s(neg-pos)/n: -s(-1)/2 = -0.13446, -s(1)/2 = -0.36553
  close(gp[0], -0.13447, 1e-5);
  close(gp[1], -0.365529, 1e-5);
  close(gn[0], 0.13447, 1e-5);
});

for (const [name, fn] of [
  ['bpr', bprLoss],
  ['bce', bceLoss],
  [
    'margin',
    (p: Float32Array, n: Float32Array, gp: Float32Array, gn: Float32Array) =>
      marginLoss(p, n, gp, gn, 0.5),
  ],
] as const) {
  test(`${name} loss gradient matches finite differences`, () => {
    const pos = Float32Array.of(0.3, -1.2, 2.0);
    const neg = Float32Array.of(0.9, -0.1, 1.0);
    const gp = new Float32Array(3);
    const gn = new Float32Array(3);
    fn(pos, neg, gp, gn);
    const h = 1e-3;
    for (let i = 0; i < 3; i++) {
      for (const [arr, g] of [
        [pos, gp],
        [neg, gn],
      ] as const) {
        const x = arr[i];
        arr[i] = x + h;
        const up = fn(pos, neg, new Float32Array(3), new Float32Array(3));
        arr[i] = x - h;
        const down = fn(pos, neg, new Float32Array(3), new Float32Array(3));
        arr[i] = x;
        close(g[i], (up - down) / (2 * h), 2e-3);
      }
    }
  });
}
