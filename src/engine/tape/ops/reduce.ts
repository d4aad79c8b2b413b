/**
 * Reductions to one value ([1 x 1]): sum, mean, and sumSquares (||x||^2, the L2 penalty);
 * and per row: rowSum ([r x 1]) and rowMean.
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { scaledInto } from './axpy.js';

/** sum of every element times `c` (1 for sum, 1/n for mean) */
function scaledSum(t: Tape, x: Tensor, c: number): Tensor {
  const y = t.output(1, 1, [x]);
  let acc = 0;
  for (let k = 0; k < x.data.length; k++) acc += x.data[k];
  y.data[0] = c * acc;
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (!dy || !dx) return;
      const g = c * dy[0];
      for (let k = 0; k < dx.length; k++) dx[k] += g;
    });
  return y;
}

export const sum = (t: Tape, x: Tensor): Tensor => scaledSum(t, x, 1);
export const mean = (t: Tape, x: Tensor): Tensor => scaledSum(t, x, 1 / Math.max(1, x.size));

/**
 * sum a[k]^2 in four float64 chains (one add chain each runs four times faster than one chain),
 * added at the end: the order differs from one sum by ~1e-16 relative, under float32's ulp. A
 * function of its own: the op around it stays small, so V8 optimizes the loop on its own
 * instead of replacing the op's frame mid-loop and deoptimizing at the code after it.
 */
function squaredNorm(a: Float32Array): number {
  const n4 = a.length & ~3;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < n4; k += 4) {
    s0 += a[k] * a[k];
    s1 += a[k + 1] * a[k + 1];
    s2 += a[k + 2] * a[k + 2];
    s3 += a[k + 3] * a[k + 3];
  }
  for (let k = n4; k < a.length; k++) s0 += a[k] * a[k];
  return s0 + s1 + (s2 + s3);
}

/** ||x||^2 (the caller scales: lambda/2 ||E||^2 / B) */
export function sumSquares(t: Tape, x: Tensor): Tensor {
  const y = t.output(1, 1, [x]);
  y.data[0] = squaredNorm(x.data);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (dy) scaledInto(t.pool, t.gradTarget(x), x.data, 2 * dy[0]);
    });
  return y;
}

/** per-row sums times c: [r x cols] -> [r x 1] */
function rowScaledSum(t: Tape, x: Tensor, c: number): Tensor {
  const y = t.output(x.rows, 1, [x]);
  const d = x.cols;
  for (let r = 0; r < x.rows; r++) {
    let acc = 0;
    for (let k = 0; k < d; k++) acc += x.data[r * d + k];
    y.data[r] = c * acc;
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (!dy || !dx) return;
      for (let r = 0; r < x.rows; r++) for (let k = 0; k < d; k++) dx[r * d + k] += c * dy[r];
    });
  return y;
}

export const rowSum = (t: Tape, x: Tensor): Tensor => rowScaledSum(t, x, 1);
export const rowMean = (t: Tape, x: Tensor): Tensor => rowScaledSum(t, x, 1 / Math.max(1, x.cols));

const total = (x: Matrix64, f: (v: number) => number, c: number): Matrix64 => {
  const y = matrix64(1, 1);
  for (const v of x.data) y.data[0] += f(v);
  y.data[0] *= c;
  return y;
};
const perRow = (x: Matrix64, c: number): Matrix64 => {
  const y = matrix64(x.rows, 1);
  for (let r = 0; r < x.rows; r++)
    for (let k = 0; k < x.cols; k++) y.data[r] += c * x.data[r * x.cols + k];
  return y;
};
const one = [{ label: '3x4', inputs: [{ rows: 3, cols: 4 }], args: undefined }];
registerOp<undefined>({
  name: 'sum',
  apply: (t, [x]) => sum(t, x),
  reference: ([x]) => total(x, (v) => v, 1),
  cases: one,
});
registerOp<undefined>({
  name: 'mean',
  apply: (t, [x]) => mean(t, x),
  reference: ([x]) => total(x, (v) => v, 1 / x.data.length),
  cases: one,
});
registerOp<undefined>({
  name: 'sumSquares',
  apply: (t, [x]) => sumSquares(t, x),
  reference: ([x]) => total(x, (v) => v * v, 1),
  cases: one,
});
registerOp<undefined>({
  name: 'rowSum',
  apply: (t, [x]) => rowSum(t, x),
  reference: ([x]) => perRow(x, 1),
  cases: one,
});
registerOp<undefined>({
  name: 'rowMean',
  apply: (t, [x]) => rowMean(t, x),
  reference: ([x]) => perRow(x, 1 / x.cols),
  cases: one,
});
