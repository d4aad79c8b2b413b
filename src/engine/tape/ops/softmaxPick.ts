/**
 * y[p] = softmax(x[p, :] / tau)[pick[p]]: each row's probability of one chosen column (the
 * confidence of the virtual relation an original relation is assigned to, in VRKG4Rec:
 * scores r_p^T v_k, the pick their argmax). With q = softmax(x[p, :] / tau):
 *   dx[p, j] = dy[p] y[p] ([j = pick[p]] - q_j) / tau
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { softmaxOf } from './softmaxBlockSum.js';

export function softmaxPick(t: Tape, x: Tensor, pick: ArrayLike<number>, tau: number): Tensor {
  const { rows, cols } = x;
  if (pick.length !== rows || !(tau > 0))
    throw new RangeError(`softmaxPick: ${pick.length} picks, tau ${tau}, for ${x.shape}`);
  for (let p = 0; p < rows; p++)
    if (!(pick[p] >= 0 && pick[p] < cols))
      throw new RangeError(`softmaxPick: column ${pick[p]} of ${cols} in row ${p}`);
  const q = new Float64Array(rows * cols);
  const y = t.output(rows, 1, [x]);
  for (let p = 0; p < rows; p++) {
    const row = softmaxOf(Array.from(x.data.subarray(p * cols, (p + 1) * cols), (v) => v / tau));
    for (let j = 0; j < cols; j++) q[p * cols + j] = row[j];
    y.data[p] = row[pick[p]];
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at) return;
      for (let p = 0; p < rows; p++) {
        const f = (dy[p] * q[p * cols + pick[p]]) / tau;
        for (let j = 0; j < cols; j++) {
          const v = f * ((j === pick[p] ? 1 : 0) - q[p * cols + j]);
          at.g[p * cols + j] = at.fresh ? v : at.g[p * cols + j] + v;
        }
      }
    });
  return y;
}

registerOp<{ pick: number[]; tau: number }>({
  name: 'softmaxPick',
  apply: (t, [x], { pick, tau }) => softmaxPick(t, x, pick, tau),
  reference: ([x], { pick, tau }) => {
    const y = matrix64(x.rows, 1);
    for (let p = 0; p < x.rows; p++) {
      let z = 0;
      for (let j = 0; j < x.cols; j++) z += Math.exp(x.data[p * x.cols + j] / tau);
      y.data[p] = Math.exp(x.data[p * x.cols + pick[p]] / tau) / z;
    }
    return y;
  },
  cases: [
    {
      label: '4 rows of 3, tau 0.5',
      inputs: [{ rows: 4, cols: 3 }],
      args: { pick: [0, 2, 1, 2], tau: 0.5 },
    },
  ],
});
