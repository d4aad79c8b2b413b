/**
 * y = a b^T: a [m x d], b [n x d], y [m x n]: every row of a scored against every row of b by
 * dot product (TwHIN's shared negatives: a batch's m queries against n candidate nodes), on
 * the pool's gemm.
 *   da = dy b     (the pool's matmul)
 *   db = dy^T a   (the pool's matmulTN, summed in fixed chunks)
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function matmulNT(t: Tape, a: Tensor, b: Tensor): Tensor {
  const { pool } = t;
  const d = a.cols;
  const m = a.rows;
  const n = b.rows;
  if (b.cols !== d) throw new RangeError(`matmulNT of ${a.shape} by ${b.shape} transposed`);
  const y = t.output(m, n, [a, b]);
  if (m > 0 && n > 0) {
    // b^T in the arena, on the pool (GRU4Rec's b is every item's output row: a JS loop here
    // was a seventh of its step)
    const bT = t.buffer(d * n);
    const B = b.data;
    if (pool.heap.owns(B)) pool.transpose(B, bT, n, d);
    else for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) bT[c * n + r] = B[r * d + c];
    pool.matmul(a.data, bT, y.data, d, n);
  } else y.data.fill(0);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy || m === 0 || n === 0) return;
      const daAt = t.gradTarget(a);
      if (daAt) {
        const out = daAt.fresh ? daAt.g : t.buffer(a.size);
        pool.matmul(dy, b.data, out, n, d);
        if (!daAt.fresh) for (let e = 0; e < out.length; e++) daAt.g[e] += out[e];
      }
      const dbAt = t.gradTarget(b);
      if (dbAt) {
        const out = dbAt.fresh ? dbAt.g : t.buffer(b.size);
        pool.matmulTN(dy, a.data, out, n, d);
        if (!dbAt.fresh) for (let e = 0; e < out.length; e++) dbAt.g[e] += out[e];
      }
    });
  return y;
}

registerOp<undefined>({
  name: 'matmulNT',
  apply: (t, [a, b]) => matmulNT(t, a, b),
  reference: ([a, b]) => {
    const y = matrix64(a.rows, b.rows);
    for (let r = 0; r < a.rows; r++)
      for (let c = 0; c < b.rows; c++) {
        let s = 0;
        for (let k = 0; k < a.cols; k++) s += a.data[r * a.cols + k] * b.data[c * a.cols + k];
        y.data[r * b.rows + c] = s;
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
