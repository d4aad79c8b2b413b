/**
 * y[r][c] = max_{u in N(r)} x[u][c] over a block's rows (./block.ts), elementwise: the max of
 * GraphSAGE's pooling aggregator (Hamilton et al. 2017, eq. 3), AGG = max({sigma(W_pool h_u +
 * b)}), applied to the already transformed rows. The forward keeps each element's argmax (the
 * first neighbour reaching the max, in entry order); the backward sends dy[r][c] to that
 * neighbour's element only, as torch.max / tf.reduce_max's gradient. An empty row gives zeros
 * and no gradient (as PyG's and DGL's max aggregation of no messages).
 */
import type { Csr } from '../../../data/types.js';
import { registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { CHECK_BLOCK, checkBlock, referenceReduce } from './block.js';

export function neighbourMax(t: Tape, x: Tensor, block: Csr): Tensor {
  checkBlock('neighbourMax', block, x);
  const { nRows, indptr, indices } = block;
  const d = x.cols;
  const X = x.data;
  const y = t.output(nRows, d, [x]);
  const Y = y.data;
  // the input row each output element came from; -1 for an empty row
  const arg = t.intBuffer(nRows * d);
  for (let r = 0; r < nRows; r++) {
    const lo = indptr[r];
    const hi = indptr[r + 1];
    const o = r * d;
    if (hi === lo) {
      Y.fill(0, o, o + d);
      arg.fill(-1, o, o + d);
      continue;
    }
    const first = indices[lo];
    for (let c = 0; c < d; c++) {
      Y[o + c] = X[first * d + c];
      arg[o + c] = first;
    }
    for (let e = lo + 1; e < hi; e++) {
      const u = indices[e];
      const s = u * d;
      for (let c = 0; c < d; c++)
        if (X[s + c] > Y[o + c]) {
          Y[o + c] = X[s + c];
          arg[o + c] = u;
        }
    }
  }
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (!dy || !dx) return;
      for (let k = 0; k < arg.length; k++) if (arg[k] >= 0) dx[arg[k] * d + (k % d)] += dy[k];
    });
  return y;
}

registerOp<Csr>({
  name: 'neighbourMax',
  apply: (t, [x], block) => neighbourMax(t, x, block),
  reference: ([x], block) => referenceReduce(block, x, (v) => Math.max(...v)),
  cases: [
    { label: '4 rows over 5 (an empty row)', inputs: [{ rows: 5, cols: 3 }], args: CHECK_BLOCK },
  ],
});
