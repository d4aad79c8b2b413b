/**
 * Kernel RecLabSpmmRows: y[k] = (A x)[rows[k]], the product for a list of rows only (LightGCN's
 * last layer is needed only at a batch's users and items). Gradient: dx = A[rows]^T dy, the
 * scatter kernel; rows is an index input and gets no gradient (zeros, as tfjs's gather does).
 */
import {
  registerGradient,
  type KernelBackend,
  zerosLike,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { spmmRowsNew } from '../raw.js';
import { SPMM_ROWS } from './names.js';
import { readF32, readI32, registerForAllBackends, writeF32 } from './kernelSupport.js';
import { runScatterRows } from './run.js';
import { sparseById } from './sparseRegistry.js';

const spmmRowsKernel: KernelFunc = ({ inputs, backend: be, attrs }) => {
  const backend = be as KernelBackend;
  const x = inputs.x as TensorInfo;
  const rows = readI32(backend, inputs.rows as TensorInfo);
  const a = sparseById((attrs as { sparse: number }).sparse);
  const dim = x.shape[1];
  const y = spmmRowsNew(a, readF32(backend, x), rows, dim);
  return writeF32(backend, y, [rows.length, dim]);
};

registerForAllBackends(SPMM_ROWS, spmmRowsKernel);
registerGradient({
  kernelName: SPMM_ROWS,
  inputsToSave: ['rows'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [rows] = saved;
    const sparse = (attrs as { sparse: number }).sparse;
    return { x: () => runScatterRows(dy as Tensor, rows, sparse), rows: () => zerosLike(rows) };
  },
});
