/** The kernel set in plain JS over a shared memory, for runtimes without WebAssembly SIMD. */
import { adamJs } from './adam.js';
import { ewBinaryJs, ewGradBJs } from './elementwise.js';
import { gemmJs, gemmTnChunksJs } from './gemm.js';
import {
  dropoutMaskJs,
  gatherRowsJs,
  normalizeRowsBackJs,
  normalizeRowsJs,
  leakyReluBackJs,
  leakyReluJs,
  sumProdBackJs,
  sumProdJs,
} from './layerOps.js';
import { edgeAddJs, edgeDotsJs, edgeSoftmaxBackJs, edgeSoftmaxJs, edgeSpmmJs } from './message.js';
import { scatterRowsJs } from './scatter.js';
import { scoreJs } from './score.js';
import { softmaxXentBackJs, softmaxXentJs } from './softmax.js';
import { transposeJs } from './transpose.js';
import { lwsBackwardJs, lwsForwardJs } from './lws.js';
import { scaleRowsJs } from './scaleRows.js';
import { sgnsJs } from './sgns.js';
import { dropNormalizeBackJs, dropNormalizeJs } from './dropNormalize.js';
import { squashBackJs, squashJs } from './squash.js';
import { spmmJs, spmmRowsJs } from './spmm.js';
import { topkJs } from './topk.js';
import type { Kernels } from './types.js';
import { heapViews } from './views.js';

export function jsKernels(memory: WebAssembly.Memory): Kernels {
  const heap = heapViews(memory);
  return {
    kind: 'js',
    spmm: (...a) => spmmJs(heap(), ...a),
    spmmRows: (...a) => spmmRowsJs(heap(), ...a),
    scatterRows: (...a) => scatterRowsJs(heap(), ...a),
    score: (...a) => scoreJs(heap(), ...a),
    topk: (...a) => topkJs(heap(), ...a),
    adam: (...a) => adamJs(heap(), ...a),
    gemm: (...a) => gemmJs(heap(), ...a),
    gemmTnChunks: (...a) => gemmTnChunksJs(heap(), ...a),
    sumProd: (...a) => sumProdJs(heap(), ...a),
    sumProdBack: (...a) => sumProdBackJs(heap(), ...a),
    leakyRelu: (...a) => leakyReluJs(heap(), ...a),
    leakyReluBack: (...a) => leakyReluBackJs(heap(), ...a),
    dropoutMask: (...a) => dropoutMaskJs(heap(), ...a),
    gatherRows: (...a) => gatherRowsJs(heap(), ...a),
    normalizeRows: (...a) => normalizeRowsJs(heap(), ...a),
    normalizeRowsBack: (...a) => normalizeRowsBackJs(heap(), ...a),
    squash: (...a) => squashJs(heap(), ...a),
    squashBack: (...a) => squashBackJs(heap(), ...a),
    lwsForward: (...a) => lwsForwardJs(heap(), ...a),
    scaleRows: (...a) => scaleRowsJs(heap(), ...a),
    dropNormalize: (...a) => dropNormalizeJs(heap(), ...a),
    dropNormalizeBack: (...a) => dropNormalizeBackJs(heap(), ...a),
    lwsBackward: (...a) => lwsBackwardJs(heap(), ...a),
    edgeSpmm: (...a) => edgeSpmmJs(heap(), ...a),
    edgeDots: (...a) => edgeDotsJs(heap(), ...a),
    edgeAdd: (...a) => edgeAddJs(heap(), ...a),
    edgeSoftmax: (...a) => edgeSoftmaxJs(heap(), ...a),
    edgeSoftmaxBack: (...a) => edgeSoftmaxBackJs(heap(), ...a),
    ewBinary: (...a) => ewBinaryJs(heap(), ...a),
    ewGradB: (...a) => ewGradBJs(heap(), ...a),
    softmaxXent: (...a) => softmaxXentJs(heap(), ...a),
    softmaxXentBack: (...a) => softmaxXentBackJs(heap(), ...a),
    transpose: (...a) => transposeJs(heap(), ...a),
    sgns: (...a) => sgnsJs(heap(), ...a),
  };
}
