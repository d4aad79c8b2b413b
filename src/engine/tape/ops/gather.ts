/**
 * y[k] = x[rows[k]]: the rows a batch reads from an embedding table (or any matrix), on the
 * pool's gather kernel. Backward adds dy[k] into dx[rows[k]] in list order (repeated rows add
 * up; on the pool's scatter kernel from a few thousand floats, the same bits); for a parameter only those rows are touched: its gradient stays row-sparse, so a sparse
 * optimizer updates just them (./param.ts). The backward runs after x's other consumers
 * (Tape.recordAfter), so that a dense one writes x's gradient first instead of adding to zeros.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import type { Pool } from '../../pool.js';
import { addRowsOnPool } from './axpy.js';

/**
 * into[k] = x[rows[k]] on the pool's kernel, which checks every row before it reads any; its
 * range error names the op.
 */
export function gatherRowsOf(
  pool: Pool,
  op: string,
  x: Tensor,
  rows: Int32Array,
  into: Float32Array,
): void {
  try {
    pool.gatherRows(x.data, rows, into, x.cols);
  } catch (e) {
    throw e instanceof RangeError ? new RangeError(`${op}: ${e.message}`) : e;
  }
}

export function gather(t: Tape, x: Tensor, rows: ArrayLike<number>): Tensor {
  const d = x.cols;
  const idx = t.indices(rows);
  const y = t.output(idx.length, d, [x]);
  if (idx.length > 0) gatherRowsOf(t.pool, 'gather', x, idx, y.data);
  if (y.requiresGrad)
    t.recordAfter(x, () => {
      const dy = y.grad;
      const dx = dy && t.gradRows(x, idx);
      if (dy && dx) addRowsOnPool(t.pool, dx, idx, dy, d);
    });
  return y;
}

registerOp<number[]>({
  name: 'gather',
  apply: (t, [x], rows) => gather(t, x, rows),
  reference: ([x], rows) => {
    const y = matrix64(rows.length, x.cols);
    rows.forEach((r, k) => y.data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), k * x.cols));
    return y;
  },
  cases: [
    { label: 'repeated rows', inputs: [{ rows: 5, cols: 3 }], args: [4, 0, 4, 2, 4] },
    {
      // 96 x 48 gradient floats: the backward runs on the pool's scatter kernel
      label: 'repeated rows, on the pool',
      inputs: [{ rows: 7, cols: 48 }],
      args: Array.from({ length: 96 }, (_, k) => (k * k + 3) % 7),
    },
  ],
});
