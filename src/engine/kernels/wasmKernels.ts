/** The kernel set as a WebAssembly SIMD instance over a shared memory. */
import { kernelsModule } from '../wasm/module.js';
import type { Kernels } from './types.js';

interface KernelExports {
  spmm: Kernels['spmm'];
  spmm_rows: Kernels['spmmRows'];
  scatter_rows: Kernels['scatterRows'];
  score: Kernels['score'];
  topk: Kernels['topk'];
  adam: Kernels['adam'];
}

export function wasmKernels(memory: WebAssembly.Memory, module = kernelsModule()): Kernels {
  const e = new WebAssembly.Instance(module, { env: { mem: memory } })
    .exports as unknown as KernelExports;
  return {
    kind: 'wasm-simd',
    spmm: e.spmm,
    spmmRows: e.spmm_rows,
    scatterRows: e.scatter_rows,
    score: e.score,
    topk: e.topk,
    adam: e.adam,
  };
}
