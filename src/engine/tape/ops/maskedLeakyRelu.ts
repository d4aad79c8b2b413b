/**
 * y = LeakyReLU(x) ⊙ m: an activation followed by dropout with a given mask (NGCF's layer
 * output, eq. 7, with the message dropout of the authors' code), on the pool's leakyRelu
 * kernels (threaded; the plain leakyRelu op is a JS loop) in one pass each way:
 *   dx = dy ⊙ m ⊙ (x > 0 ? 1 : slope)
 * Without a mask it is LeakyReLU alone. dropoutMask() draws a mask in the arena from two seeds
 * (the pool's hashed mask: the same bits for any thread count).
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function maskedLeakyRelu(t: Tape, x: Tensor, mask?: Float32Array, slope = 0.2): Tensor {
  if (mask && mask.length !== x.size)
    throw new RangeError(`maskedLeakyRelu: a mask of ${mask.length} values for ${x.shape}`);
  const { pool } = t;
  const y = t.output(x.rows, x.cols, [x]);
  if (x.size === 0) return y;
  pool.leakyRelu(x.data, y.data, slope, mask);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at) return;
      const out = at.fresh ? at.g : t.buffer(x.size);
      pool.leakyReluBack(dy, x.data, out, slope, mask);
      if (!at.fresh) for (let e = 0; e < out.length; e++) at.g[e] += out[e];
    });
  return y;
}

/** A dropout mask of n values in the arena: 0, or 1 / (1 - rate) with probability 1 - rate. */
export function dropoutMask(
  t: Tape,
  n: number,
  rate: number,
  seeds: readonly [number, number],
): Float32Array {
  const m = t.buffer(n);
  t.pool.dropoutMask(m, rate, seeds);
  return m;
}

/** A fixed mask for the check: every third value dropped, the others scaled by 1.5. */
const MASK = Float32Array.from({ length: 12 }, (_, k) => (k % 3 === 1 ? 0 : 1.5));

registerOp<{ masked: boolean }>({
  name: 'maskedLeakyRelu',
  apply: (t, [x], { masked }) => {
    const m = masked ? t.buffer(MASK.length) : undefined;
    m?.set(MASK);
    return maskedLeakyRelu(t, x, m);
  },
  reference: ([x], { masked }) => {
    const y = matrix64(x.rows, x.cols);
    x.data.forEach((v, k) => (y.data[k] = (v > 0 ? v : 0.2 * v) * (masked ? MASK[k] : 1)));
    return y;
  },
  cases: [
    { label: '3x4, mask', inputs: [{ rows: 3, cols: 4 }], args: { masked: true } },
    { label: '3x4, no mask', inputs: [{ rows: 3, cols: 4 }], args: { masked: false } },
  ],
});
