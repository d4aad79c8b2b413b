/**
 * Graph propagation ops for tfjs models, differentiable: thin wrappers that check shapes and
 * call the engine's kernels through tf.engine().runKernel, as tfjs's own ops do. Importing this
 * module registers the kernels (for the cpu, wasm and tensorflow backends) and their gradients.
 * They run on the default pool (see initPool).
 */
import { tensor1d, type Tensor, type Tensor1D, type Tensor2D } from '@tensorflow/tfjs';
import './spmmKernel.js';
import './spmmRowsKernel.js';
import './scatterRowsKernel.js';
import { runScatterRows, runSpmm, runSpmmRows } from './run.js';
import { sparseId, type SparseOperand } from './sparseRegistry.js';

/** A x (A^T x with transpose); x [A.nCols x dim] (A.nRows for the transpose). */
export function propagate(
  a: SparseOperand,
  x: Tensor2D,
  opts: { transpose?: boolean } = {},
): Tensor2D {
  const transpose = opts.transpose ?? false;
  checkMatrix(x, transpose ? a.nRows : a.nCols, 'x');
  return runSpmm(x, sparseId(a), transpose) as Tensor2D;
}

/** Rows `rows` of A x, stacked: [rows.length x dim]. */
export function propagateRows(
  a: SparseOperand,
  x: Tensor2D,
  rows: Tensor1D | Int32Array,
): Tensor2D {
  checkMatrix(x, a.nCols, 'x');
  return withRows(rows, (r) => runSpmmRows(x, r, sparseId(a))) as Tensor2D;
}

/** A[rows]^T dy: [A.nCols x dim]; dy [rows.length x dim]. The transpose of propagateRows. */
export function scatterRows(a: SparseOperand, dy: Tensor2D, rows: Tensor1D | Int32Array): Tensor2D {
  const n = rows instanceof Int32Array ? rows.length : rows.shape[0];
  checkMatrix(dy, n, 'dy');
  return withRows(rows, (r) => runScatterRows(dy, r, sparseId(a))) as Tensor2D;
}

function withRows(rows: Tensor1D | Int32Array, f: (r: Tensor) => Tensor): Tensor {
  if (!(rows instanceof Int32Array)) {
    if (rows.dtype !== 'int32') throw new TypeError(`rows must be int32, got ${rows.dtype}`);
    return f(rows);
  }
  const r = tensor1d(rows, 'int32');
  try {
    return f(r);
  } finally {
    r.dispose();
  }
}

function checkMatrix(x: Tensor, rows: number, name: string): void {
  if (x.rank !== 2) throw new RangeError(`${name} must be a matrix, got rank ${x.rank}`);
  if (x.dtype !== 'float32') throw new TypeError(`${name} must be float32, got ${x.dtype}`);
  if (x.shape[0] !== rows)
    throw new RangeError(`${name} has ${x.shape[0]} rows, the sparse matrix needs ${rows}`);
}
