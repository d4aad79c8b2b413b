/**
 * Max-margin (PinSAGE, Ying et al. 2018, eq. 1): mean over pairs of
 * max(0, x_neg - x_pos + margin). Subgradient 0 at the hinge.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function hinge(t: Tape, pos: Tensor, neg: Tensor, margin: number): Tensor {
  if (pos.size !== neg.size) throw new RangeError(`hinge of ${pos.shape} and ${neg.shape}`);
  const n = Math.max(1, pos.size);
  const y = t.output(1, 1, [pos, neg]);
  let acc = 0;
  for (let k = 0; k < pos.size; k++) acc += Math.max(0, neg.data[k] - pos.data[k] + margin);
  y.data[0] = acc / n;
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      const dp = t.grad(pos);
      const dn = t.grad(neg);
      const g = dy[0] / n;
      for (let k = 0; k < pos.size; k++) {
        if (!(neg.data[k] - pos.data[k] + margin > 0)) continue;
        if (dp) dp[k] -= g;
        if (dn) dn[k] += g;
      }
    });
  return y;
}

registerOp<number>({
  name: 'hinge',
  apply: (t, [p, q], margin) => hinge(t, p, q, margin),
  reference: ([p, q], margin) => {
    const y = matrix64(1, 1);
    for (let k = 0; k < p.data.length; k++)
      y.data[0] += Math.max(0, q.data[k] - p.data[k] + margin);
    y.data[0] /= p.data.length;
    return y;
  },
  cases: [
    {
      label: '8 pairs, margin 0.5',
      inputs: [
        { rows: 8, cols: 1 },
        { rows: 8, cols: 1 },
      ],
      args: 0.5,
    },
  ],
});
