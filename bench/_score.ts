import { SharedHeap } from '../src/engine/heap.js';
import { wasmKernels } from '../src/engine/kernels/wasmKernels.js';
const dim = 64, nItems = 40984, nUsers = 64, tile = 512;
const heap = new SharedHeap({ initialBytes: 64 << 20 });
const k = wasmKernels(heap.memory);
const U = heap.allocF32(nUsers * dim).map(() => Math.random() - 0.5);
const P = heap.allocF32(nItems * dim).map(() => Math.random() - 0.5);
const S = heap.allocF32(nUsers * tile);
const run = (): void => {
  for (let t0 = 0; t0 < nItems / 4; t0 += tile / 4) {
    const np = Math.min(tile / 4, nItems / 4 - t0);
    for (let u = 0; u < nUsers; u += 4) k.score(U.byteOffset + u * dim * 4, dim * 4, P.byteOffset + t0 * dim * 16, np, dim, S.byteOffset + u * tile * 4, tile * 4);
  }
};
run();
for (let r = 0; r < 3; r++) {
  const t = performance.now(); run(); const ms = performance.now() - t;
  console.log(ms.toFixed(1), 'ms', (2 * nUsers * nItems * dim / ms / 1e6).toFixed(1), 'GFLOP/s', 'gowalla est s', (29858 / nUsers * ms / 1000).toFixed(2));
}
