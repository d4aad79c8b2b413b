/**
 * The shape every elementwise function of two inputs shares: z = f(a, b), with b of a's shape,
 * or broadcast: one row [1 x cols] added to every row (a bias), or one column [rows x 1]
 * applied across each row (a per-row weight). Each op file gives f and its two partials.
 * The loops are shared by every binary op, so a call to f from them cannot be inlined (the
 * call site sees several functions): the arithmetic ops name themselves (`arith`) and the
 * loops compute them inline; from KERNEL_MIN elements they run on the pool's ewBinary and
 * ewGradB kernels instead, rounding as the loops do, so the bits do not depend on the path.
 */
import { matrix64, registerOp, type GradCase, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import { KERNEL_MIN } from './unary.js';
import type { Tensor } from '../tensor.js';

export interface BinaryDefinition {
  readonly name: string;
  readonly f: (a: number, b: number) => number;
  readonly da: (a: number, b: number) => number;
  readonly db: (a: number, b: number) => number;
  /** f is a + b, a - b or a * b (with the partials that go with it): computed inline */
  readonly arith?: 'add' | 'sub' | 'mul';
}

const fround = Math.fround;
const ARITH = { add: 0, sub: 1, mul: 2 } as const;
const ADD = ARITH.add;
const SUB = ARITH.sub;
const MUL = ARITH.mul;

export type BinaryOp = (t: Tape, a: Tensor, b: Tensor) => Tensor;

/**
 * Where b's element for a's element (r, c) is: r * rs + c * cs, b full (cols, 1), a row (0, 1)
 * or a column (1, 0). Strides rather than an index function: the loops stay free of calls.
 */
function broadcastOf(
  a: { rows: number; cols: number },
  b: { rows: number; cols: number },
): { rs: number; cs: number } {
  if (b.rows === a.rows && b.cols === a.cols) return { rs: a.cols, cs: 1 };
  if (b.rows === 1 && b.cols === a.cols) return { rs: 0, cs: 1 };
  if (b.cols === 1 && b.rows === a.rows) return { rs: 1, cs: 0 };
  throw new RangeError(
    `cannot broadcast [${b.rows} x ${b.cols}] to [${a.rows} x ${a.cols}] (same shape, one row or one column)`,
  );
}

export function binaryOp(def: BinaryDefinition): BinaryOp {
  const { f, da, db } = def;
  const code: number = def.arith ? ARITH[def.arith] : -1;
  const arith = def.arith;
  const apply = (t: Tape, a: Tensor, b: Tensor): Tensor => {
    const { rs, cs } = broadcastOf(a, b);
    const z = t.output(a.rows, a.cols, [a, b]);
    const A = a.data;
    const B = b.data;
    const Z = z.data;
    const { rows, cols } = a;
    const { pool } = t;
    const kernel = arith && a.size >= KERNEL_MIN ? arith : undefined;
    if (kernel) pool.ewBinary(kernel, A, B, Z, rows, cols);
    else
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const x = A[r * cols + c];
          const y = B[r * rs + c * cs];
          Z[r * cols + c] =
            code === MUL ? x * y : code === ADD ? x + y : code === SUB ? x - y : f(x, y);
        }
    if (z.requiresGrad)
      t.record(() => {
        const dz = z.grad;
        if (!dz) return;
        const dA = t.gradTarget(a);
        if (dA && kernel) {
          // d(a op b)/da: b for mul, 1 otherwise
          if (kernel === 'mul') pool.ewBinary('mul', dz, B, dA.g, rows, cols, !dA.fresh);
          else if (dA.fresh) dA.g.set(dz);
          else pool.ewBinary('add', dA.g, dz, dA.g, rows, cols);
        } else if (dA) {
          const { g, fresh } = dA;
          for (let r = 0; r < rows; r++)
            for (let c = 0; c < cols; c++) {
              const k = r * cols + c;
              const y = B[r * rs + c * cs];
              const v = fround(dz[k] * (code === MUL ? y : code >= 0 ? 1 : da(A[k], y)));
              // written when fresh, not added to 0 (which would turn -0 into 0, unlike the kernel)
              g[k] = fresh ? v : g[k] + v;
            }
        }
        const dB = t.gradTarget(b);
        if (dB && kernel && b.size === a.size) {
          // d(a op b)/db: a for mul, 1 for add, -1 for sub
          if (kernel === 'mul') pool.ewBinary('mul', dz, A, dB.g, rows, cols, !dB.fresh);
          else if (!dB.fresh) pool.ewBinary(kernel, dB.g, dz, dB.g, rows, cols);
          else if (kernel === 'add') dB.g.set(dz);
          else for (let k = 0; k < dz.length; k++) dB.g[k] = -dz[k];
        } else if (dB && kernel) {
          pool.ewGradB(kernel, dz, A, dB.g, rows, cols, cs === 0, !dB.fresh);
        } else if (dB) {
          const { g, fresh } = dB;
          // a broadcast b sums several elements into each of its own: from 0 when fresh
          const once = b.size === a.size;
          if (fresh && !once) g.fill(0);
          for (let r = 0; r < rows; r++)
            for (let c = 0; c < cols; c++) {
              const k = r * cols + c;
              const j = r * rs + c * cs;
              const x = A[k];
              const v = fround(
                dz[k] * (code === MUL ? x : code === ADD ? 1 : code === SUB ? -1 : db(x, B[j])),
              );
              g[j] = fresh && once ? v : g[j] + v;
            }
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
      const { rs, cs } = broadcastOf(a, b);
      const z = matrix64(a.rows, a.cols);
      for (let r = 0; r < a.rows; r++)
        for (let c = 0; c < a.cols; c++)
          z.data[r * a.cols + c] = f(a.data[r * a.cols + c], b.data[r * rs + c * cs]);
      return z;
    },
    cases,
  });
  return apply;
}
