/**
 * y = x w^T: x [m x k], w [n x k] (rows of w are the vectors scored against, e.g. the output
 * item embeddings of a batch's candidates), on the pool's gemm.
 *   forward: w^T built in the arena, then x (w^T)
 *   dx = dy w      (the pool's matmul: dy [m x n] by w [n x k])
 *   dw = dy^T x    (the pool's matmulTN, summed in fixed chunks)
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function matmulNT(t: Tape, x: Tensor, w: Tensor): Tensor {
  const { pool } = t;
  const k = x.cols;
  const n = w.rows;
  if (w.cols !== k) throw new RangeError(`matmulNT of ${x.shape} by (${w.shape})^T`);
  const y = t.output(x.rows, n, [x, w]);
  if (x.rows > 0 && n > 0) {
    const wT = t.buffer(k * n);
    const W = w.data;
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) wT[c * n + r] = W[r * k + c];
    pool.matmul(x.data, wT, y.data, k, n);
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy || x.rows === 0 || n === 0) return;
      const dxAt = t.gradTarget(x);
      if (dxAt) {
        const out = dxAt.fresh ? dxAt.g : t.buffer(x.size);
        pool.matmul(dy, w.data, out, n, k);
        if (!dxAt.fresh) for (let e = 0; e < out.length; e++) dxAt.g[e] += out[e];
      }
      const dw = t.grad(w);
      if (dw) {
        const part = t.buffer(n * k);
        pool.matmulTN(dy, x.data, part, n, k);
        for (let e = 0; e < part.length; e++) dw[e] += part[e];
      }
    });
  return y;
}

registerOp<undefined>({
  name: 'matmulNT',
  apply: (t, [x, w]) => matmulNT(t, x, w),
  reference: ([x, w]) => {
    const y = matrix64(x.rows, w.rows);
    for (let r = 0; r < x.rows; r++)
      for (let c = 0; c < w.rows; c++) {
        let s = 0;
        for (let i = 0; i < x.cols; i++) s += x.data[r * x.cols + i] * w.data[c * w.cols + i];
        y.data[r * w.rows + c] = s;
      }
    return y;
  },
  cases: [
    {
      label: '[5x3][4x3]^T',
      inputs: [
        { rows: 5, cols: 3 },
        { rows: 4, cols: 3 },
      ],
      args: undefined,
    },
  ],
});
