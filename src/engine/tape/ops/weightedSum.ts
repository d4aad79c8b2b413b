/**
 * y = sum_k w_k x_k over tensors of one shape with constant weights: a layer combination
 * (LightGCN eq. 8, sum_k alpha_k E(k); JK-style pooling) in one pass per input instead of a
 * scale and an add each. Backward: dx_k = w_k dy, written straight into a fresh gradient.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { scaledInto } from './axpy.js';

export function weightedSum(t: Tape, xs: readonly Tensor[], weights: readonly number[]): Tensor {
  const first = xs[0];
  if (!first || weights.length !== xs.length)
    throw new RangeError(`weightedSum of ${xs.length} tensors with ${weights.length} weights`);
  for (const x of xs)
    if (x.rows !== first.rows || x.cols !== first.cols)
      throw new RangeError(`weightedSum of ${first.shape} and ${x.shape}`);
  const y = t.output(first.rows, first.cols, xs);
  const ys = y.data;
  const w0 = weights[0];
  const x0 = first.data;
  for (let e = 0; e < ys.length; e++) ys[e] = w0 * x0[e];
  for (let k = 1; k < xs.length; k++) {
    const w = weights[k];
    const xk = xs[k].data;
    for (let e = 0; e < ys.length; e++) ys[e] += w * xk[e];
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      xs.forEach((x, k) => scaledInto(t.pool, t.gradTarget(x), dy, weights[k]));
    });
  return y;
}

registerOp<number[]>({
  name: 'weightedSum',
  apply: (t, xs, w) => weightedSum(t, xs, w),
  reference: (xs, w) => {
    const y = matrix64(xs[0].rows, xs[0].cols);
    xs.forEach((x, k) => x.data.forEach((v, e) => (y.data[e] += w[k] * v)));
    return y;
  },
  cases: [
    {
      label: 'three 3x2 by 0.5, -1.25, 2',
      inputs: [
        { rows: 3, cols: 2 },
        { rows: 3, cols: 2 },
        { rows: 3, cols: 2 },
      ],
      args: [0.5, -1.25, 2],
    },
  ],
});
