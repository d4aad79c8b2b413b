/**
 * y = zeros [n x d], then y[rows[k]] += x[k] for each k in order: gather's transpose (pooling
 * a batch's rows into their nodes, sums of messages by destination). dx[k] = dy[rows[k]].
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function scatterAddRows(t: Tape, x: Tensor, rows: ArrayLike<number>, n: number): Tensor {
  const d = x.cols;
  if (rows.length !== x.rows)
    throw new RangeError(`scatterAddRows: ${rows.length} rows for ${x.shape}`);
  const idx = t.indices(rows);
  const y = t.output(n, d, [x]);
  y.data.fill(0);
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k];
    if (!(r >= 0 && r < n)) throw new RangeError(`scatterAddRows: row ${r} outside [0, ${n})`);
    for (let c = 0; c < d; c++) y.data[r * d + c] += x.data[k * d + c];
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at) return;
      for (let k = 0; k < idx.length; k++)
        for (let c = 0; c < d; c++)
          at.g[k * d + c] = (at.fresh ? 0 : at.g[k * d + c]) + dy[idx[k] * d + c];
    });
  return y;
}

registerOp<{ rows: number[]; n: number }>({
  name: 'scatterAddRows',
  apply: (t, [x], { rows, n }) => scatterAddRows(t, x, rows, n),
  reference: ([x], { rows, n }) => {
    const y = matrix64(n, x.cols);
    rows.forEach((r, k) => {
      for (let c = 0; c < x.cols; c++) y.data[r * x.cols + c] += x.data[k * x.cols + c];
    });
    return y;
  },
  cases: [
    {
      label: '5 rows into 3',
      inputs: [{ rows: 5, cols: 2 }],
      args: { rows: [2, 0, 2, 1, 2], n: 3 },
    },
  ],
});
