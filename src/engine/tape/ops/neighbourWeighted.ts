/**
 * y[r] = sum_{u in N(r)} w_ru x[u] over a weighted block's rows (./block.ts): PinSAGE's
 * importance pooling (Ying et al. 2018, section 3.2: a weighted mean whose weights are the
 * neighbours' normalised random-walk visit counts). An empty row gives zeros.
 * dx[u] += w_ru dy[r] for each entry.
 *
 * On the pool's SpMM (forward) and row scatter (backward, A^T dy without building A^T). The
 * block is copied into the arena first, so pool.upload() caches nothing that outlives the step
 * (its cache is keyed by the per-step matrix object; forget() drops the entry early).
 * neighbourMean is this op with the weights 1 / |N(r)|.
 */
import type { Csr } from '../../../data/types.js';
import type { WeightedCsr } from '../../../graph/types.js';
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { CHECK_BLOCK, checkBlock } from './block.js';

export function neighbourWeighted(t: Tape, x: Tensor, block: WeightedCsr): Tensor {
  return weightedRows(t, x, block, 'neighbourWeighted', (values, indptr) =>
    values.set(block.values.subarray(0, indptr[block.nRows])),
  );
}

/**
 * The block's rows of x summed with the weights `fill` writes into the arena's values (given
 * the arena's copy of indptr); shared by neighbourWeighted and neighbourMean.
 */
export function weightedRows(
  t: Tape,
  x: Tensor,
  block: Csr,
  op: string,
  fill: (values: Float32Array, indptr: Int32Array) => void,
): Tensor {
  checkBlock(op, block, x);
  const { pool } = t;
  const { nRows, nCols } = block;
  const d = x.cols;
  const nnz = block.indptr[nRows];
  const indptr = t.indices(block.indptr.subarray(0, nRows + 1));
  const indices = t.indices(block.indices.subarray(0, nnz));
  const values = t.buffer(nnz);
  fill(values, indptr);
  const a: WeightedCsr = { nRows, nCols, indptr, indices, values };
  const dev = pool.upload(a);
  const y = t.output(nRows, d, [x]);
  pool.spmm(dev, x.data, y.data, d);
  if (!y.requiresGrad) pool.forget(a);
  else
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (dy && dx && nRows > 0) {
        const rows = t.intBuffer(nRows);
        for (let r = 0; r < nRows; r++) rows[r] = r;
        pool.scatterRows(dev, dy, rows, dx, d);
      }
      pool.forget(a);
    });
  return y;
}

/** CHECK_BLOCK with unequal weights (row 0: 0.5, 0.3, 0.2; row 3: 0.7, 0.3). */
const CHECK_WEIGHTED: WeightedCsr = {
  ...CHECK_BLOCK,
  values: Float32Array.from([0.5, 0.3, 0.2, 1, 0.1, 0.7, 0.3]),
};

registerOp<WeightedCsr>({
  name: 'neighbourWeighted',
  apply: (t, [x], block) => neighbourWeighted(t, x, block),
  reference: ([x], block) => {
    const d = x.cols;
    const y = matrix64(block.nRows, d);
    for (let r = 0; r < block.nRows; r++)
      for (let e = block.indptr[r]; e < block.indptr[r + 1]; e++)
        for (let c = 0; c < d; c++)
          y.data[r * d + c] += block.values[e] * x.data[block.indices[e] * d + c];
    return y;
  },
  cases: [
    {
      label: '4 weighted rows over 5 (an empty row)',
      inputs: [{ rows: 5, cols: 3 }],
      args: CHECK_WEIGHTED,
    },
  ],
});
