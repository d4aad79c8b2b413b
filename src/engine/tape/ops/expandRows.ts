/**
 * y [n x cols] = 0 except y[rows[k]] = x[k] (distinct rows): a layer computed at the rows the
 * next one reads, put back at its nodes' places so that the next layer's sparse product can
 * index it (NGCF's layer L-1 at a batch's nodes and their neighbours). The inverse of gather:
 * dx[k] = dy[rows[k]], on the pool's gather kernel; forward, a zero and the pool's scatter.
 */
import type { WeightedCsr } from '../../../graph/types.js';
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

const identities = new Map<number, WeightedCsr>();

/** The n x n identity as a sparse matrix, one per size (the pool uploads it once). */
function identity(n: number): WeightedCsr {
  let m = identities.get(n);
  if (!m) {
    const diagonal = Int32Array.from({ length: n }, (_, r) => r);
    m = {
      nRows: n,
      nCols: n,
      indptr: Int32Array.from({ length: n + 1 }, (_, r) => r),
      indices: diagonal,
      values: new Float32Array(n).fill(1),
    };
    identities.set(n, m);
  }
  return m;
}

export function expandRows(t: Tape, x: Tensor, rows: ArrayLike<number>, n: number): Tensor {
  if (rows.length !== x.rows)
    throw new RangeError(`expandRows: ${rows.length} rows listed for ${x.shape}`);
  const d = x.cols;
  const idx = t.indices(rows);
  const seen = new Uint8Array(n);
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k];
    if (!(r >= 0 && r < n) || seen[r])
      throw new RangeError(`expandRows: row ${r} outside [0, ${n}) or listed twice`);
    seen[r] = 1;
  }
  const { pool } = t;
  const y = t.output(n, d, [x]);
  pool.zero(y.data);
  // the copy as the pool's threaded scatter through the identity (a plain loop over NGCF's 42k
  // rows x 64 took 13 ms on Gowalla, the kernel about 1)
  if (idx.length > 0) pool.scatterRows(pool.upload(identity(n)), x.data, idx, y.data, d);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at || idx.length === 0) return;
      const out = at.fresh ? at.g : t.buffer(x.size);
      pool.gatherRows(dy, idx, out, d);
      if (!at.fresh) for (let e = 0; e < out.length; e++) at.g[e] += out[e];
    });
  return y;
}

registerOp<{ rows: number[]; n: number }>({
  name: 'expandRows',
  apply: (t, [x], { rows, n }) => expandRows(t, x, rows, n),
  reference: ([x], { rows, n }) => {
    const y = matrix64(n, x.cols);
    rows.forEach((r, k) => y.data.set(x.data.subarray(k * x.cols, (k + 1) * x.cols), r * x.cols));
    return y;
  },
  cases: [
    { label: 'rows 4, 0, 2 of 5', inputs: [{ rows: 3, cols: 2 }], args: { rows: [4, 0, 2], n: 5 } },
  ],
});
