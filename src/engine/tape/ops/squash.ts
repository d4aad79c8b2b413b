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

/** below this squared norm a row counts as zero (the kernels' threshold) */
const TINY = 1e-30;

/** On the pool's kernels (src/engine/kernels/squash.ts and its WebAssembly twin). */
export function squash(t: Tape, x: Tensor): Tensor {
  const y = t.output(x.rows, x.cols, [x]);
  if (x.rows > 0) t.pool.squash(x.data, y.data, x.cols);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at || x.rows === 0) return;
      t.pool.squashBack(x.data, dy, at.g, x.cols, !at.fresh);
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
