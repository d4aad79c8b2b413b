/**
 * Sampled (or full) softmax cross-entropy: logits [r x c], each row's target column; the mean
 * over rows of -log softmax(logits[r])[target[r]] (log-sum-exp shifted by the row's max).
 * d/dlogits = (softmax - onehot) / r. GRU4Rec's and sampled-softmax retrieval's loss.
 * Forward and gradient are the pool's softmaxXent kernels (one exp per logit, f32x4 lanes):
 * GRU4Rec's CE over all 1,682 items of ml-100k spent a fifth of its step in the JS loops.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function softmaxCrossEntropy(t: Tape, logits: Tensor, targets: ArrayLike<number>): Tensor {
  const { rows, cols } = logits;
  if (targets.length !== rows)
    throw new RangeError(`softmaxCrossEntropy: ${targets.length} targets for ${rows} rows`);
  for (let r = 0; r < rows; r++)
    if (!(targets[r] >= 0 && targets[r] < cols))
      throw new RangeError(`target ${targets[r]} outside [0, ${cols})`);
  const y = t.output(1, 1, [logits]);
  if (rows === 0) {
    y.data[0] = 0;
    return y;
  }
  const x = logits.data;
  const e = t.buffer(rows * cols);
  const stats = t.buffer(rows * 2);
  t.pool.softmaxXent(x, e, stats, cols);
  // the loss in float64 from each row's (max, sum): max + log(sum) - x[target]
  let acc = 0;
  for (let r = 0; r < rows; r++)
    acc += stats[2 * r] + Math.log(stats[2 * r + 1]) - x[r * cols + targets[r]];
  y.data[0] = acc / rows;
  const tg = t.indices(targets);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(logits);
      if (!dy || !at) return;
      t.pool.softmaxXentBack(e, stats, tg, dy[0] / rows, at.g, !at.fresh);
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
  cases: [
    { label: '3 rows of 4', inputs: [{ rows: 3, cols: 4 }], args: [2, 0, 3] },
    // columns past the kernel's groups of four, one target among them
    { label: '2 rows of 7', inputs: [{ rows: 2, cols: 7 }], args: [5, 1] },
  ],
});
