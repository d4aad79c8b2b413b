/**
 * LeakyReLU with GAT's negative slope 0.2 (Velickovic et al. 2018, eq. 3) and NGCF's:
 * x for x > 0, 0.2 x otherwise. Other slopes: leakyReluWith(slope). The slope is the float32
 * nearest, as the pool's leakyRelu kernels take it, so large tensors (run on them) and small
 * ones (a JS loop) give the same bits.
 */
import { unaryOp, type UnaryOp } from './unary.js';

const made = new Map<number, UnaryOp>();

/** LeakyReLU with the given negative slope (each slope registers its own check once). */
export function leakyReluWith(slope: number): UnaryOp {
  let op = made.get(slope);
  if (!op) {
    const s = Math.fround(slope);
    op = unaryOp({
      name: slope === 0.2 ? 'leakyRelu' : `leakyRelu(${slope})`,
      f: (x) => (x > 0 ? x : s * x),
      df: (x) => (x > 0 ? 1 : s),
      kernels: {
        forward: (pool, x, y) => pool.leakyRelu(x, y, s),
        backward: (pool, dy, x, g) => pool.leakyReluBack(dy, x, g, s),
      },
    });
    made.set(slope, op);
  }
  return op;
}

export const leakyRelu = leakyReluWith(0.2);
