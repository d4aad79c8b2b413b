/**
 * The squash of capsule networks, VRKG4Rec's NORM (Lu et al. 2023, eq. 6), row by row:
 *   y = (|x|^2 / (1 + |x|^2)) x / |x| = s x,  s = |x| / (1 + |x|^2)
 * a vector's direction kept and its length mapped into [0, 1). Backward, with n = |x|^2:
 *   dx = s dy + x (x . dy) (1 - n) / (|x| (1 + n)^2)
 * A zero row stays zero with a zero gradient (the limit: y ~ x |x| near 0).
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

/** below this squared norm a row counts as zero */
const TINY = 1e-30;

export function squash(t: Tape, x: Tensor): Tensor {
  const { rows, cols: d } = x;
  const y = t.output(rows, d, [x]);
  const xs = x.data;
  const ys = y.data;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let n = 0;
    for (let c = 0; c < d; c++) n += xs[o + c] * xs[o + c];
    const s = n > TINY ? Math.sqrt(n) / (1 + n) : 0;
    for (let c = 0; c < d; c++) ys[o + c] = s * xs[o + c];
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at) return;
      const g = at.g;
      for (let r = 0; r < rows; r++) {
        const o = r * d;
        let n = 0;
        let xdy = 0;
        for (let c = 0; c < d; c++) {
          n += xs[o + c] * xs[o + c];
          xdy += xs[o + c] * dy[o + c];
        }
        const norm = Math.sqrt(n);
        const s = n > TINY ? norm / (1 + n) : 0;
        const k = n > TINY ? (xdy * (1 - n)) / (norm * (1 + n) * (1 + n)) : 0;
        for (let c = 0; c < d; c++) {
          const v = s * dy[o + c] + k * xs[o + c];
          g[o + c] = at.fresh ? v : g[o + c] + v;
        }
      }
    });
  return y;
}

registerOp<undefined>({
  name: 'squash',
  apply: (t, [x]) => squash(t, x),
  reference: ([x]) => {
    const y = matrix64(x.rows, x.cols);
    for (let r = 0; r < x.rows; r++) {
      let n = 0;
      for (let c = 0; c < x.cols; c++) n += x.data[r * x.cols + c] ** 2;
      const s = n > TINY ? n / (1 + n) / Math.sqrt(n) : 0;
      for (let c = 0; c < x.cols; c++) y.data[r * x.cols + c] = s * x.data[r * x.cols + c];
    }
    return y;
  },
  cases: [
    { label: '4x3', inputs: [{ rows: 4, cols: 3 }], args: undefined },
    {
      label: '3x5, norms above 1',
      inputs: [{ rows: 3, cols: 5, positive: true }],
      args: undefined,
    },
  ],
});
