/**
 * y = A x for a fixed sparse matrix A (a normalised adjacency: LightGCN's Ã, GCN's
 * D^-1/2 (A + I) D^-1/2), on the pool's SpMM; dx = A^T dy (A itself when symmetric, else its
 * transpose, built and uploaded once). spmmRows: the product at a list of rows only (y[k] =
 * (A x)[rows[k]]), whose backward is a scatter from those rows: LightGCN's last layer for a
 * batch costs the batch, not the graph.
 */
import type { WeightedCsr } from '../../../graph/types.js';
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

/** A matrix the backward may multiply by instead of transposing (A^T = A). */
export interface FixedMatrix extends WeightedCsr {
  readonly symmetric?: boolean;
}

function checkShape(a: WeightedCsr, x: Tensor): void {
  if (a.nCols !== x.rows)
    throw new RangeError(`spmm of a ${a.nRows} x ${a.nCols} matrix by ${x.shape}`);
}

export function spmm(t: Tape, a: FixedMatrix, x: Tensor): Tensor {
  checkShape(a, x);
  const { pool } = t;
  const d = x.cols;
  const y = t.output(a.nRows, d, [x]);
  pool.spmm(pool.upload(a), x.data, y.data, d);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const at = dy && t.gradTarget(x);
      if (!dy || !at) return;
      const aT = pool.upload(a.symmetric ? a : pool.transposeOf(a));
      const out = at.fresh ? at.g : t.buffer(x.size);
      pool.spmm(aT, dy, out, d);
      if (!at.fresh) for (let e = 0; e < out.length; e++) at.g[e] += out[e];
    });
  return y;
}

export function spmmRows(t: Tape, a: FixedMatrix, x: Tensor, rows: ArrayLike<number>): Tensor {
  checkShape(a, x);
  const { pool } = t;
  const d = x.cols;
  const idx = t.indices(rows);
  const dev = pool.upload(a);
  const y = t.output(idx.length, d, [x]);
  if (idx.length > 0) pool.spmmRows(dev, x.data, idx, y.data, d);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(x);
      if (!dy || !dx || idx.length === 0) return;
      pool.scatterRows(dev, dy, idx, dx, d);
    });
  return y;
}

function referenceProduct(a: WeightedCsr, x: Matrix64, rows: readonly number[]): Matrix64 {
  const y = matrix64(rows.length, x.cols);
  rows.forEach((r, k) => {
    for (let e = a.indptr[r]; e < a.indptr[r + 1]; e++)
      for (let c = 0; c < x.cols; c++)
        y.data[k * x.cols + c] += a.values[e] * x.data[a.indices[e] * x.cols + c];
  });
  return y;
}

/** A 4 x 3 matrix with an empty row and a repeated column: the check's graph. */
const SMALL: FixedMatrix = {
  nRows: 4,
  nCols: 3,
  indptr: Int32Array.from([0, 2, 3, 3, 6]),
  indices: Int32Array.from([0, 2, 1, 0, 1, 2]),
  values: Float32Array.from([0.5, -1.25, 2, 0.75, 1.5, -0.5]),
};

registerOp<FixedMatrix>({
  name: 'spmm',
  apply: (t, [x], a) => spmm(t, a, x),
  reference: ([x], a) => referenceProduct(a, x, [...Array(a.nRows).keys()]),
  cases: [{ label: '4x3 graph', inputs: [{ rows: 3, cols: 2 }], args: SMALL }],
});

registerOp<{ a: FixedMatrix; rows: number[] }>({
  name: 'spmmRows',
  apply: (t, [x], { a, rows }) => spmmRows(t, a, x, rows),
  reference: ([x], { a, rows }) => referenceProduct(a, x, rows),
  cases: [
    { label: 'rows 3, 0, 2', inputs: [{ rows: 3, cols: 2 }], args: { a: SMALL, rows: [3, 0, 2] } },
  ],
});
