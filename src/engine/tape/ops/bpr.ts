/**
 * BPR (Rendle et al. 2009, eq. 4 without the prior): the mean over pairs of
 * -ln sigma(x_ui - x_uj) = softplus(x_uj - x_ui); pos and neg are [n x 1] scores, pair k
 * taking pos[k] and neg[k]. d/dpos = -sigma(neg - pos) / n, d/dneg = +sigma(neg - pos) / n.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { logistic, softplus } from './softplus.js';

export function bpr(t: Tape, pos: Tensor, neg: Tensor): Tensor {
  if (pos.size !== neg.size) throw new RangeError(`bpr of ${pos.shape} and ${neg.shape}`);
  const n = pos.size;
  const y = t.output(1, 1, [pos, neg]);
  let acc = 0;
  for (let k = 0; k < n; k++) acc += softplus(neg.data[k] - pos.data[k]);
  y.data[0] = acc / Math.max(1, n);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      const dp = t.grad(pos);
      const dn = t.grad(neg);
      const g = dy[0] / Math.max(1, n);
      for (let k = 0; k < n; k++) {
        const s = g * logistic(neg.data[k] - pos.data[k]);
        if (dp) dp[k] -= s;
        if (dn) dn[k] += s;
      }
    });
  return y;
}

registerOp<undefined>({
  name: 'bpr',
  apply: (t, [p, q]) => bpr(t, p, q),
  reference: ([p, q]) => {
    const y = matrix64(1, 1);
    for (let k = 0; k < p.data.length; k++) y.data[0] += softplus(q.data[k] - p.data[k]);
    y.data[0] /= p.data.length;
    return y;
  },
  cases: [
    {
      label: '6 pairs',
      inputs: [
        { rows: 6, cols: 1 },
        { rows: 6, cols: 1 },
      ],
      args: undefined,
    },
  ],
});
