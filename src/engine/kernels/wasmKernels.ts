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
  gemm: Kernels['gemm'];
  gemm_tn_chunks: Kernels['gemmTnChunks'];
  sum_prod: Kernels['sumProd'];
  sum_prod_back: Kernels['sumProdBack'];
  leaky_relu: Kernels['leakyRelu'];
  leaky_relu_back: Kernels['leakyReluBack'];
  dropout_mask: Kernels['dropoutMask'];
  gather_rows: Kernels['gatherRows'];
  normalize_rows: Kernels['normalizeRows'];
  normalize_rows_back: Kernels['normalizeRowsBack'];
  squash: Kernels['squash'];
  squash_back: Kernels['squashBack'];
  lws_forward: Kernels['lwsForward'];
  scale_rows: Kernels['scaleRows'];
  drop_normalize: Kernels['dropNormalize'];
  drop_normalize_back: Kernels['dropNormalizeBack'];
  lws_backward: Kernels['lwsBackward'];
  edge_spmm: Kernels['edgeSpmm'];
  edge_dots: Kernels['edgeDots'];
  edge_add: Kernels['edgeAdd'];
  edge_softmax: Kernels['edgeSoftmax'];
  edge_softmax_back: Kernels['edgeSoftmaxBack'];
  ew_binary: Kernels['ewBinary'];
  ew_grad_b: Kernels['ewGradB'];
  softmax_xent: Kernels['softmaxXent'];
  softmax_xent_back: Kernels['softmaxXentBack'];
  transpose: Kernels['transpose'];
  sgns: Kernels['sgns'];
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
    gemm: e.gemm,
    gemmTnChunks: e.gemm_tn_chunks,
    sumProd: e.sum_prod,
    sumProdBack: e.sum_prod_back,
    leakyRelu: e.leaky_relu,
    leakyReluBack: e.leaky_relu_back,
    dropoutMask: e.dropout_mask,
    gatherRows: e.gather_rows,
    normalizeRows: e.normalize_rows,
    normalizeRowsBack: e.normalize_rows_back,
    squash: e.squash,
    squashBack: e.squash_back,
    lwsForward: e.lws_forward,
    scaleRows: e.scale_rows,
    dropNormalize: e.drop_normalize,
    dropNormalizeBack: e.drop_normalize_back,
    lwsBackward: e.lws_backward,
    edgeSpmm: e.edge_spmm,
    edgeDots: e.edge_dots,
    edgeAdd: e.edge_add,
    edgeSoftmax: e.edge_softmax,
    edgeSoftmaxBack: e.edge_softmax_back,
    ewBinary: e.ew_binary,
    ewGradB: e.ew_grad_b,
    softmaxXent: e.softmax_xent,
    softmaxXentBack: e.softmax_xent_back,
    transpose: e.transpose,
    sgns: e.sgns,
  };
}
