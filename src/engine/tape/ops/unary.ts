/**
 * The shape every elementwise function of one input shares: y = f(x), dx = dy f'(x, y).
 * Each op file (relu.ts, sigmoid.ts, ...) defines its f and f' and registers itself through
 * unaryOp(); the loop is plain JS (memory-bound: a kernel call would not pay).
 */
import { matrix64, registerOp, type GradCase, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export interface UnaryDefinition {
  readonly name: string;
  readonly f: (x: number) => number;
  /** the derivative, given the input and the output (whichever is cheaper) */
  readonly df: (x: number, y: number) => number;
  /** inputs must be positive (log) */
  readonly positive?: boolean;
}

export type UnaryOp = (t: Tape, x: Tensor) => Tensor;

export function unaryOp(def: UnaryDefinition): UnaryOp {
  const { f, df } = def;
  const apply = (t: Tape, x: Tensor): Tensor => {
    const y = t.output(x.rows, x.cols, [x]);
    const xs = x.data;
    const ys = y.data;
    for (let k = 0; k < ys.length; k++) ys[k] = f(xs[k]);
    if (y.requiresGrad)
      t.record(() => {
        const dy = y.grad;
        const dx = dy && t.grad(x);
        if (!dy || !dx) return;
        for (let k = 0; k < dx.length; k++) dx[k] += dy[k] * df(xs[k], ys[k]);
      });
    return y;
  };
  const cases: GradCase<undefined>[] = [
    { label: '3x4', inputs: [{ rows: 3, cols: 4, positive: def.positive }], args: undefined },
  ];
  registerOp<undefined>({
    name: def.name,
    apply: (t, [x]) => apply(t, x),
    reference: ([x]): Matrix64 => {
      const y = matrix64(x.rows, x.cols);
      for (let k = 0; k < y.data.length; k++) y.data[k] = f(x.data[k]);
      return y;
    },
    cases,
  });
  return apply;
}
