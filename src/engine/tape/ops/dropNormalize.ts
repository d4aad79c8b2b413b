/**
 * Dropout then L2 normalisation of each row: y = normalize(x ⊙ m) with m a dropout mask drawn
 * from two seeds (0, or 1 / (1 - rate) with probability 1 - rate): a layer's output under
 * message dropout followed by F.normalize, as VRKG4Rec's and KGIN's code do. One op and one
 * pool kernel each way instead of dropoutMask, maskedLeakyRelu (slope 1) and normalizeRows:
 * the same bits, one pass over the rows.
 *   dx = m ⊙ (dy - y (y . dy)) / |x ⊙ m|
 */
import { maskAt } from '../../kernels/layerOps.js';
import { bitsF32 } from '../../protocol.js';
import { maskWords } from '../../poolKernels/dropoutMask.js';
import { dropNormalizeScratch, type Dropout } from '../../poolKernels/dropNormalize.js';
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function dropNormalize(t: Tape, x: Tensor, dropout: Dropout, eps = 1e-12): Tensor {
  const { pool } = t;
  const y = t.output(x.rows, x.cols, [x]);
  if (x.rows === 0) return y;
  const xp = t.buffer(x.size);
  const scratch = t.buffer(dropNormalizeScratch(pool, x.cols));
  pool.dropNormalize(x.data, xp, y.data, x.cols, dropout, eps, scratch);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at) return;
      pool.dropNormalizeBack(xp, dy, at.g, x.cols, dropout, eps, scratch, !at.fresh);
    });
  return y;
}

registerOp<Dropout>({
  name: 'dropNormalize',
  apply: (t, [x], dropout) => dropNormalize(t, x, dropout),
  reference: ([x], { rate, seeds }) => {
    const w = maskWords(rate, seeds, x.rows * x.cols);
    const scale = bitsF32(w.scale);
    const y = matrix64(x.rows, x.cols);
    for (let r = 0; r < x.rows; r++) {
      const row = Array.from({ length: x.cols }, (_, c) => {
        const k = r * x.cols + c;
        return x.data[k] * maskAt(k, w.s0, w.s1, w.below, scale);
      });
      const inv =
        1 /
        Math.sqrt(
          Math.max(
            row.reduce((s, v) => s + v * v, 0),
            1e-12,
          ),
        );
      row.forEach((v, c) => (y.data[r * x.cols + c] = v * inv));
    }
    return y;
  },
  cases: [
    { label: '4x6, rate 0.3', inputs: [{ rows: 4, cols: 6 }], args: { rate: 0.3, seeds: [7, 11] } },
    { label: '3x9, rate 0.1', inputs: [{ rows: 3, cols: 9 }], args: { rate: 0.1, seeds: [1, 2] } },
  ],
});
