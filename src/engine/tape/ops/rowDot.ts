/**
 * s[r] = a[r] . b[r]: one score per row pair ([r x 1]), the dot-product score of every
 * model here (LightGCN eq. 5, y_ui = e_u^T e_i).
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { rowsScaledInto } from './axpy.js';

export function rowDot(t: Tape, a: Tensor, b: Tensor): Tensor {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new RangeError(`rowDot of ${a.shape} and ${b.shape}`);
  const d = a.cols;
  const s = t.output(a.rows, 1, [a, b]);
  const A = a.data;
  const B = b.data;
  rowDots(A, B, s.data, d);
  if (s.requiresGrad)
    t.record(() => {
      const ds = s.grad;
      if (!ds) return;
      // a's gradient is taken (and written, when fresh) before b's, as a and b may be one tensor
      rowsScaledInto(t.pool, t.gradTarget(a), ds, B, d);
      rowsScaledInto(t.pool, t.gradTarget(b), ds, A, d);
    });
  return s;
}

/** out[r] = A[r] . B[r] for each row of d (a loop of its own: see squaredNorm in reduce.ts). */
function rowDots(A: Float32Array, B: Float32Array, out: Float32Array, d: number): void {
  for (let r = 0; r < out.length; r++) {
    let acc = 0;
    for (let c = 0; c < d; c++) acc += A[r * d + c] * B[r * d + c];
    out[r] = acc;
  }
}

registerOp<undefined>({
  name: 'rowDot',
  apply: (t, [a, b]) => rowDot(t, a, b),
  reference: ([a, b]) => {
    const s = matrix64(a.rows, 1);
    for (let r = 0; r < a.rows; r++)
      for (let c = 0; c < a.cols; c++) s.data[r] += a.data[r * a.cols + c] * b.data[r * a.cols + c];
    return s;
  },
  cases: [
    {
      label: '4x3',
      inputs: [
        { rows: 4, cols: 3 },
        { rows: 4, cols: 3 },
      ],
      args: undefined,
    },
  ],
});
