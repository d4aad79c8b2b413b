/**
 * Binary cross-entropy with logits: mean over entries of softplus(-x) for label 1 and
 * softplus(x) for label 0 (labels: a constant tensor of 0/1, or any target in [0, 1]:
 * softplus(x) - y x). d/dx = (sigma(x) - y) / n.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { logistic, softplus } from './softplus.js';

export function bce(t: Tape, logits: Tensor, labels: Tensor): Tensor {
  if (logits.size !== labels.size)
    throw new RangeError(`bce of ${logits.shape} and ${labels.shape}`);
  const n = Math.max(1, logits.size);
  const x = logits.data;
  const lab = labels.data;
  const y = t.output(1, 1, [logits]);
  let acc = 0;
  for (let k = 0; k < x.length; k++) acc += softplus(x[k]) - lab[k] * x[k];
  y.data[0] = acc / n;
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(logits);
      if (!dy || !dx) return;
      for (let k = 0; k < x.length; k++) dx[k] += (dy[0] * (logistic(x[k]) - lab[k])) / n;
    });
  return y;
}

registerOp<undefined>({
  name: 'bce',
  apply: (t, [x, lab]) => bce(t, x, lab),
  reference: ([x, lab]) => {
    const y = matrix64(1, 1);
    for (let k = 0; k < x.data.length; k++)
      y.data[0] += softplus(x.data[k]) - lab.data[k] * x.data[k];
    y.data[0] /= x.data.length;
    return y;
  },
  cases: [
    {
      label: '5 logits, soft labels',
      inputs: [
        { rows: 5, cols: 1 },
        { rows: 5, cols: 1, positive: true, constant: true },
      ],
      args: undefined,
    },
  ],
});
