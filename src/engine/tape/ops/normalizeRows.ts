/**
 * Each row divided by its L2 norm, x / sqrt(max(|x|^2, eps)) as tf.math.l2_normalize (GraphSAGE
 * line 7 of Algorithm 1, NGCF's and LightGCN++'s normalised embeddings), on the pool's kernels;
 * dx = (dy - y (y . dy)) / |x| per row.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function normalizeRows(t: Tape, x: Tensor, eps = 1e-12): Tensor {
  const y = t.output(x.rows, x.cols, [x]);
  if (x.rows > 0) t.pool.normalizeRows(x.data, y.data, x.cols, eps);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at || x.rows === 0) return;
      t.pool.normalizeRowsBack(x.data, dy, at.g, x.cols, eps, { accumulate: !at.fresh });
    });
  return y;
}

registerOp<undefined>({
  name: 'normalizeRows',
  apply: (t, [x]) => normalizeRows(t, x),
  reference: ([x]) => {
    const y = matrix64(x.rows, x.cols);
    for (let r = 0; r < x.rows; r++) {
      let sq = 0;
      for (let c = 0; c < x.cols; c++) sq += x.data[r * x.cols + c] ** 2;
      const inv = 1 / Math.sqrt(Math.max(sq, 1e-12));
      for (let c = 0; c < x.cols; c++) y.data[r * x.cols + c] = x.data[r * x.cols + c] * inv;
    }
    return y;
  },
  cases: [{ label: '4x3', inputs: [{ rows: 4, cols: 3 }], args: undefined }],
});
