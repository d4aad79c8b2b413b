/** c x for a constant c (a layer weight, 1/K, a regularisation coefficient). */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function scale(t: Tape, x: Tensor, c: number): Tensor {
  const y = t.output(x.rows, x.cols, [x]);
  const xs = x.data;
  const ys = y.data;
  for (let k = 0; k < ys.length; k++) ys[k] = c * xs[k];
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (!dy || !dx) return;
      for (let k = 0; k < dx.length; k++) dx[k] += c * dy[k];
    });
  return y;
}

registerOp<number>({
  name: 'scale',
  apply: (t, [x], c) => scale(t, x, c),
  reference: ([x], c) => {
    const y = matrix64(x.rows, x.cols);
    for (let k = 0; k < y.data.length; k++) y.data[k] = c * x.data[k];
    return y;
  },
  cases: [{ label: 'by -1.5', inputs: [{ rows: 2, cols: 3 }], args: -1.5 }],
});
