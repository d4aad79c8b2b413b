/**
 * [a | b | ...]: inputs of the same row count side by side (GraphSAGE's [h_v || AGG], GAT's
 * concatenated heads, NGCF's layer outputs); sliceCols takes columns [from, from + n) back out.
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function concatCols(t: Tape, parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) throw new RangeError('concatCols of nothing');
  const rows = parts[0].rows;
  for (const p of parts)
    if (p.rows !== rows)
      throw new RangeError(`concatCols of ${parts.map((q) => q.shape).join(', ')}`);
  const cols = parts.reduce((s, p) => s + p.cols, 0);
  const y = t.output(rows, cols, parts);
  let c0 = 0;
  const offsets = parts.map((p) => {
    const at = c0;
    for (let r = 0; r < rows; r++)
      y.data.set(p.data.subarray(r * p.cols, (r + 1) * p.cols), r * cols + at);
    c0 += p.cols;
    return at;
  });
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      parts.forEach((p, i) => {
        const dp = t.grad(p);
        if (!dp) return;
        const at = offsets[i];
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < p.cols; c++) dp[r * p.cols + c] += dy[r * cols + at + c];
      });
    });
  return y;
}

export function sliceCols(t: Tape, x: Tensor, from: number, n: number): Tensor {
  if (!(Number.isInteger(from) && Number.isInteger(n) && from >= 0 && n > 0 && from + n <= x.cols))
    throw new RangeError(`sliceCols ${from}..${from + n} of ${x.shape}`);
  const y = t.output(x.rows, n, [x]);
  for (let r = 0; r < x.rows; r++)
    y.data.set(x.data.subarray(r * x.cols + from, r * x.cols + from + n), r * n);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (!dy || !dx) return;
      for (let r = 0; r < x.rows; r++)
        for (let c = 0; c < n; c++) dx[r * x.cols + from + c] += dy[r * n + c];
    });
  return y;
}

registerOp<undefined>({
  name: 'concatCols',
  apply: (t, parts) => concatCols(t, parts),
  reference: (parts): Matrix64 => {
    const cols = parts.reduce((s, p) => s + p.cols, 0);
    const y = matrix64(parts[0].rows, cols);
    let at = 0;
    for (const p of parts) {
      for (let r = 0; r < p.rows; r++)
        for (let c = 0; c < p.cols; c++) y.data[r * cols + at + c] = p.data[r * p.cols + c];
      at += p.cols;
    }
    return y;
  },
  cases: [
    {
      label: '[3x2 | 3x1 | 3x3]',
      inputs: [
        { rows: 3, cols: 2 },
        { rows: 3, cols: 1 },
        { rows: 3, cols: 3 },
      ],
      args: undefined,
    },
  ],
});

registerOp<{ from: number; n: number }>({
  name: 'sliceCols',
  apply: (t, [x], { from, n }) => sliceCols(t, x, from, n),
  reference: ([x], { from, n }) => {
    const y = matrix64(x.rows, n);
    for (let r = 0; r < x.rows; r++)
      for (let c = 0; c < n; c++) y.data[r * n + c] = x.data[r * x.cols + from + c];
    return y;
  },
  cases: [
    { label: 'columns 1..3 of 3x5', inputs: [{ rows: 3, cols: 5 }], args: { from: 1, n: 3 } },
  ],
});
