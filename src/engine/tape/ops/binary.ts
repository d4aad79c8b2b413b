/**
 * The shape every elementwise function of two inputs shares: z = f(a, b), with b of a's shape,
 * or broadcast: one row [1 x cols] added to every row (a bias), or one column [rows x 1]
 * applied across each row (a per-row weight). Each op file gives f and its two partials.
 */
import { matrix64, registerOp, type GradCase, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export interface BinaryDefinition {
  readonly name: string;
  readonly f: (a: number, b: number) => number;
  readonly da: (a: number, b: number) => number;
  readonly db: (a: number, b: number) => number;
}

export type BinaryOp = (t: Tape, a: Tensor, b: Tensor) => Tensor;

/** How b's element for a's element (r, c) is found: b is full, a row, or a column. */
function broadcastOf(a: { rows: number; cols: number }, b: { rows: number; cols: number }) {
  if (b.rows === a.rows && b.cols === a.cols) return (r: number, c: number) => r * a.cols + c;
  if (b.rows === 1 && b.cols === a.cols) return (_r: number, c: number) => c;
  if (b.cols === 1 && b.rows === a.rows) return (r: number) => r;
  throw new RangeError(
    `cannot broadcast [${b.rows} x ${b.cols}] to [${a.rows} x ${a.cols}] (same shape, one row or one column)`,
  );
}

export function binaryOp(def: BinaryDefinition): BinaryOp {
  const { f, da, db } = def;
  const apply = (t: Tape, a: Tensor, b: Tensor): Tensor => {
    const at = broadcastOf(a, b);
    const z = t.output(a.rows, a.cols, [a, b]);
    const A = a.data;
    const B = b.data;
    const Z = z.data;
    const { rows, cols } = a;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) Z[r * cols + c] = f(A[r * cols + c], B[at(r, c)]);
    if (z.requiresGrad)
      t.record(() => {
        const dz = z.grad;
        if (!dz) return;
        const dA = t.grad(a);
        const dB = t.grad(b);
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) {
            const k = r * cols + c;
            const j = at(r, c);
            if (dA) dA[k] += dz[k] * da(A[k], B[j]);
            if (dB) dB[j] += dz[k] * db(A[k], B[j]);
          }
      });
    return z;
  };
  const shapes: [string, number, number][] = [
    ['same shape', 3, 4],
    ['row broadcast', 1, 4],
    ['column broadcast', 3, 1],
  ];
  const cases: GradCase<undefined>[] = shapes.map(([label, r, c]) => ({
    label,
    inputs: [
      { rows: 3, cols: 4 },
      { rows: r, cols: c },
    ],
    args: undefined,
  }));
  registerOp<undefined>({
    name: def.name,
    apply: (t, [a, b]) => apply(t, a, b),
    reference: ([a, b]): Matrix64 => {
      const at = broadcastOf(a, b);
      const z = matrix64(a.rows, a.cols);
      for (let r = 0; r < a.rows; r++)
        for (let c = 0; c < a.cols; c++)
          z.data[r * a.cols + c] = f(a.data[r * a.cols + c], b.data[at(r, c)]);
      return z;
    },
    cases,
  });
  return apply;
}
