/**
 * The shape every elementwise function of one input shares: y = f(x), dx = dy f'(x, y).
 * Each op file (relu.ts, sigmoid.ts, ...) defines its f and f' and registers itself through
 * unaryOp(). The loop is plain JS; an op with pool kernels (`kernels`, giving the same bits as
 * f and f') runs them from KERNEL_MIN elements up: the pool itself keeps jobs under its
 * minParallelWork on the calling thread, and there the kernel still beats this loop (whose
 * call to f, shared by every unary op, is not inlined): 3x at 4096 and at 163k elements.
 */
import type { Pool } from '../../pool.js';
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
  /** the same function as pool kernels, bit for bit: y = f(x); g = dy f'(x) written to g */
  readonly kernels?: {
    forward(pool: Pool, x: Float32Array, y: Float32Array): void;
    backward(pool: Pool, dy: Float32Array, x: Float32Array, g: Float32Array): void;
  };
}

export type UnaryOp = (t: Tape, x: Tensor) => Tensor;

/** tensors of fewer elements take the JS loop: a kernel call costs a few microseconds */
export const KERNEL_MIN = 2048;

export function unaryOp(def: UnaryDefinition): UnaryOp {
  const { f, df, kernels } = def;
  const apply = (t: Tape, x: Tensor): Tensor => {
    const y = t.output(x.rows, x.cols, [x]);
    const xs = x.data;
    const ys = y.data;
    const pooled = kernels && x.size >= KERNEL_MIN ? kernels : undefined;
    if (pooled) pooled.forward(t.pool, xs, ys);
    else for (let k = 0; k < ys.length; k++) ys[k] = f(xs[k]);
    if (y.requiresGrad)
      t.record(() => {
        const dy = y.grad;
        const target = dy && t.gradTarget(x);
        if (!dy || !target) return;
        const { g, fresh } = target;
        if (fresh && pooled) pooled.backward(t.pool, dy, xs, g);
        else if (fresh) for (let k = 0; k < g.length; k++) g[k] = dy[k] * df(xs[k], ys[k]);
        else for (let k = 0; k < g.length; k++) g[k] += dy[k] * df(xs[k], ys[k]);
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
