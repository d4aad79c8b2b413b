/**
 * Sampled (or full) softmax cross-entropy: logits [r x c], each row's target column; the mean
 * over rows of -log softmax(logits[r])[target[r]] (log-sum-exp shifted by the row's max).
 * d/dlogits = (softmax - onehot) / r. GRU4Rec's and sampled-softmax retrieval's loss.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function softmaxCrossEntropy(t: Tape, logits: Tensor, targets: ArrayLike<number>): Tensor {
  const { rows, cols } = logits;
  if (targets.length !== rows)
    throw new RangeError(`softmaxCrossEntropy: ${targets.length} targets for ${rows} rows`);
  const x = logits.data;
  const p = t.buffer(rows * cols);
  const y = t.output(1, 1, [logits]);
  let acc = 0;
  for (let r = 0; r < rows; r++) {
    const tgt = targets[r];
    if (!(tgt >= 0 && tgt < cols)) throw new RangeError(`target ${tgt} outside [0, ${cols})`);
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[r * cols + c]);
    // one exp per logit (GRU4Rec's full softmax spent most of its step here)
    let z = 0;
    for (let c = 0; c < cols; c++) z += p[r * cols + c] = Math.exp(x[r * cols + c] - max);
    for (let c = 0; c < cols; c++) p[r * cols + c] /= z;
    acc += max + Math.log(z) - x[r * cols + tgt];
  }
  const n = Math.max(1, rows);
  y.data[0] = acc / n;
  const tg = Int32Array.from(targets);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(logits);
      if (!dy || !dx) return;
      const g = dy[0] / n;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++)
          dx[r * cols + c] += g * (p[r * cols + c] - (c === tg[r] ? 1 : 0));
    });
  return y;
}

registerOp<number[]>({
  name: 'softmaxCrossEntropy',
  apply: (t, [x], targets) => softmaxCrossEntropy(t, x, targets),
  reference: ([x], targets) => {
    const y = matrix64(1, 1);
    for (let r = 0; r < x.rows; r++) {
      let z = 0;
      for (let c = 0; c < x.cols; c++) z += Math.exp(x.data[r * x.cols + c]);
      y.data[0] += Math.log(z) - x.data[r * x.cols + targets[r]];
    }
    y.data[0] /= x.rows;
    return y;
  },
  cases: [{ label: '3 rows of 4', inputs: [{ rows: 3, cols: 4 }], args: [2, 0, 3] }],
});
