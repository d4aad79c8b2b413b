/**
 * RecLab's compute engine: tfjs backend selection, a pool of threads over one shared
 * WebAssembly memory running SIMD kernels (JS fallback), differentiable graph propagation ops
 * for tfjs, the raw kernels for hand-fused paths, and a multi-threaded top-k dot ranker.
 *
 * Typical use:
 *   await initBackend({ log });                 // tfjs: tensorflow > wasm > cpu
 *   const pool = await initPool({ threads });   // default pool of the ops; dispose at the end
 *   const y = propagate(adj, x);                // Ã x inside tf autodiff
 *   ...
 *   await pool.dispose();
 */
export {
  initBackend,
  backendInfo,
  describeBackend,
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
} from './backend.js';
export { Pool, type PoolOptions, type DeviceCsr } from './pool.js';
export { SharedHeap, type HeapOptions } from './heap.js';
export { defaultPool, setDefaultPool, initPool } from './defaultPool.js';
export { propagate, propagateRows, scatterRows } from './ops/propagate.js';
export { SPMM, SPMM_ROWS, SCATTER_ROWS } from './ops/names.js';
export type { SparseOperand } from './ops/sparseRegistry.js';
export { spmmInto, spmmRowsInto, scatterRowsInto, type RawOptions } from './raw.js';
export type { KernelKind } from './kernels/types.js';
export { adamConstants, type AdamConstants, type AdamStep } from './kernels/adam.js';
export { wasmSimdSupported } from './wasm/module.js';
export { createDotRanker, type DotRanker, type DotRankerOptions } from './ranker/dotRanker.js';
export { poolWorkerScript, type WorkerScript } from './workerPath.js';
export { Rng } from '../util/rng.js';
