/**
 * Kernel RecLabScatterRows: out = A[rows]^T dy, shape [A.nCols x dim] (dy has one row per
 * listed row). The transpose of RecLabSpmmRows, so each is the other's gradient. One thread,
 * list order: deterministic although listed rows may share columns.
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
import { scatterRowsNew } from '../raw.js';
import { SCATTER_ROWS } from './names.js';
import { readF32, readI32, registerForAllBackends, writeF32 } from './kernelSupport.js';
import { runSpmmRows } from './run.js';
import { sparseById } from './sparseRegistry.js';

const scatterRowsKernel: KernelFunc = ({ inputs, backend: be, attrs }) => {
  const backend = be as KernelBackend;
  const dy = inputs.dy as TensorInfo;
  const rows = readI32(backend, inputs.rows as TensorInfo);
  const a = sparseById((attrs as { sparse: number }).sparse);
  const dim = dy.shape[1];
  const out = scatterRowsNew(a, readF32(backend, dy), rows, dim);
  return writeF32(backend, out, [a.nCols, dim]);
};

registerForAllBackends(SCATTER_ROWS, scatterRowsKernel);
registerGradient({
  kernelName: SCATTER_ROWS,
  inputsToSave: ['rows'],
  gradFunc: (dOut: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [rows] = saved;
    const sparse = (attrs as { sparse: number }).sparse;
    return { dy: () => runSpmmRows(dOut as Tensor, rows, sparse), rows: () => zerosLike(rows) };
  },
});
