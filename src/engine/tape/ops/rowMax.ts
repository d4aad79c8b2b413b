/**
 * m[r] = max_c x[r, c], with the argmax kept for the backward: the gradient flows to the first
 * column reaching the maximum only (max-pooling's subgradient, as torch.max).
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function rowMax(t: Tape, x: Tensor): Tensor {
  const { rows, cols } = x;
  if (cols < 1) throw new RangeError(`rowMax of ${x.shape}`);
  const y = t.output(rows, 1, [x]);
  const arg = t.intBuffer(rows);
  const X = x.data;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (X[r * cols + c] > X[r * cols + best]) best = c;
    arg[r] = best;
    y.data[r] = X[r * cols + best];
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (!dy || !dx) return;
      for (let r = 0; r < rows; r++) dx[r * cols + arg[r]] += dy[r];
    });
  return y;
}

registerOp<undefined>({
  name: 'rowMax',
  apply: (t, [x]) => rowMax(t, x),
  reference: ([x]) => {
    const y = matrix64(x.rows, 1);
    for (let r = 0; r < x.rows; r++)
      y.data[r] = Math.max(...x.data.subarray(r * x.cols, (r + 1) * x.cols));
    return y;
  },
  cases: [{ label: '4x5', inputs: [{ rows: 4, cols: 5 }], args: undefined }],
});
