/**
 * y = sum_k alpha_k X_k with alpha = softmax(w): K row blocks of x [K*n x d] fused into one
 * [n x d] by learned attention weights w [1 x K] (VRKG4Rec's fusion of the item encodings of
 * the K virtual relational sub-graphs, eq. 8, as the authors' code: one softmax over K scalars
 * per layer). Backward, with g_k = <dy, X_k>:
 *   dX_k = alpha_k dy,  dw_j = alpha_j (g_j - sum_k alpha_k g_k)
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

/** softmax of a row of numbers, max-shifted */
export function softmaxOf(w: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let k = 0; k < w.length; k++) m = Math.max(m, w[k]);
  const e = Array.from({ length: w.length }, (_, k) => Math.exp(w[k] - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

export function softmaxBlockSum(t: Tape, w: Tensor, x: Tensor): Tensor {
  const K = w.size;
  if (w.rows !== 1 || K < 1 || x.rows % K !== 0)
    throw new RangeError(`softmaxBlockSum: weights ${w.shape} over ${x.shape} (K row blocks)`);
  const n = x.rows / K;
  const block = n * x.cols;
  const alpha = softmaxOf(w.data);
  const y = t.output(n, x.cols, [w, x]);
  const ys = y.data;
  const xs = x.data;
  ys.fill(0);
  for (let k = 0; k < K; k++) {
    const a = alpha[k];
    const o = k * block;
    for (let e = 0; e < block; e++) ys[e] += a * xs[o + e];
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      const dX = t.gradTarget(x);
      if (dX)
        for (let k = 0; k < K; k++) {
          const a = alpha[k];
          const o = k * block;
          const g = dX.g;
          if (dX.fresh) for (let e = 0; e < block; e++) g[o + e] = a * dy[e];
          else for (let e = 0; e < block; e++) g[o + e] += a * dy[e];
        }
      const dW = t.gradTarget(w);
      if (dW) {
        const gk = new Float64Array(K);
        for (let k = 0; k < K; k++) {
          let s = 0;
          const o = k * block;
          for (let e = 0; e < block; e++) s += dy[e] * xs[o + e];
          gk[k] = s;
        }
        let mean = 0;
        for (let k = 0; k < K; k++) mean += alpha[k] * gk[k];
        for (let j = 0; j < K; j++) {
          const v = alpha[j] * (gk[j] - mean);
          dW.g[j] = dW.fresh ? v : dW.g[j] + v;
        }
      }
    });
  return y;
}

registerOp<undefined>({
  name: 'softmaxBlockSum',
  apply: (t, [w, x]) => softmaxBlockSum(t, w, x),
  reference: ([w, x]: readonly Matrix64[]) => {
    const K = w.cols;
    const n = x.rows / K;
    const z = Array.from(w.data).reduce((s, v) => s + Math.exp(v), 0);
    const y = matrix64(n, x.cols);
    for (let k = 0; k < K; k++)
      for (let e = 0; e < n * x.cols; e++)
        y.data[e] += (Math.exp(w.data[k]) / z) * x.data[k * n * x.cols + e];
    return y;
  },
  cases: [
    {
      label: '3 blocks of 2x4',
      inputs: [
        { rows: 1, cols: 3 },
        { rows: 6, cols: 4 },
      ],
      args: undefined,
    },
  ],
});
