/**
 * Kernel RecLabSpmm: y = A x (or A^T x), A sparse (by registry id), x dense [n x dim].
 * Gradient: dx = A^T dy (or A dy), the same kernel with `transpose` flipped, so second-order
 * gradients work too. For a symmetric A (LightGCN's Ã) both directions use A itself.
 */
import {
  registerGradient,
  type KernelBackend,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { spmmNew } from '../raw.js';
import { SPMM } from './names.js';
import { readF32, registerForAllBackends, writeF32 } from './kernelSupport.js';
import { sparseById } from './sparseRegistry.js';
import { runSpmm, type SpmmAttrs } from './run.js';

const spmmKernel: KernelFunc = ({ inputs, backend: be, attrs }) => {
  const backend = be as KernelBackend;
  const x = inputs.x as TensorInfo;
  const { sparse, transpose } = attrs as unknown as SpmmAttrs;
  const a = sparseById(sparse);
  const dim = x.shape[1];
  const rows = transpose ? a.nCols : a.nRows;
  const y = spmmNew(a, readF32(backend, x), dim, transpose);
  return writeF32(backend, y, [rows, dim]);
};

registerForAllBackends(SPMM, spmmKernel);
registerGradient({
  kernelName: SPMM,
  gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const { sparse, transpose } = attrs as unknown as SpmmAttrs;
    return { x: () => runSpmm(dy as Tensor, sparse, !transpose) };
  },
});
