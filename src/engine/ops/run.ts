/**
 * The runKernel calls behind the ops, shared by the ops and the gradients, and the attributes
 * they pass: the kernel files import this module, never the other way round.
 */
import { engine, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs';
import { SCATTER_ROWS, SPMM, SPMM_ROWS } from './names.js';

export interface SpmmAttrs {
  /** sparse registry id */
  readonly sparse: number;
  readonly transpose: boolean;
}

export function runSpmm(x: Tensor, sparse: number, transpose: boolean): Tensor {
  const attrs: SpmmAttrs = { sparse, transpose };
  return engine().runKernel(SPMM, { x }, attrs as unknown as NamedAttrMap) as Tensor;
}

export function runSpmmRows(x: Tensor, rows: Tensor, sparse: number): Tensor {
  return engine().runKernel(SPMM_ROWS, { x, rows }, { sparse }) as Tensor;
}

export function runScatterRows(dy: Tensor, rows: Tensor, sparse: number): Tensor {
  return engine().runKernel(SCATTER_ROWS, { dy, rows }, { sparse }) as Tensor;
}
