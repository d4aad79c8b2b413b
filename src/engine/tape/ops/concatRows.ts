/**
 * [a; b; ...]: inputs of the same column count stacked (NGCF's [W1; W2], so that eq. 7's two
 * products with [sum | product] run as one matmul); each input's gradient is its rows of dy.
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function concatRows(t: Tape, parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) throw new RangeError('concatRows of nothing');
  const cols = parts[0].cols;
  if (parts.some((p) => p.cols !== cols))
    throw new RangeError(`concatRows of ${parts.map((q) => q.shape).join(', ')}`);
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const y = t.output(rows, cols, parts);
  let at = 0;
  const offsets = parts.map((p) => {
    y.data.set(p.data, at);
    at += p.size;
    return at - p.size;
  });
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      for (const [i, p] of parts.entries()) {
        const dp = t.grad(p);
        if (dp) for (let k = 0; k < p.size; k++) dp[k] += dy[offsets[i] + k];
      }
    });
  return y;
}

registerOp<undefined>({
  name: 'concatRows',
  apply: (t, parts) => concatRows(t, parts),
  reference: (parts): Matrix64 => {
    const y = matrix64(
      parts.reduce((s, p) => s + p.rows, 0),
      parts[0].cols,
    );
    let at = 0;
    for (const p of parts) {
      y.data.set(p.data, at);
      at += p.data.length;
    }
    return y;
  },
  cases: [
    {
      label: '[2x3; 1x3; 3x3]',
      inputs: [2, 1, 3].map((rows) => ({ rows, cols: 3 })),
      args: undefined,
    },
  ],
});
