/**
 * What the engine's tfjs kernels share: which backends they are registered for, and reading
 * and writing tensor data through the generic KernelBackend interface (readSync / write), which
 * every backend implements. So one kernel function serves cpu, wasm and tensorflow alike.
 */
import {
  getKernel,
  registerKernel,
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';

/** tfjs backends the kernels are registered for. */
export const BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;

export function registerForAllBackends(kernelName: string, kernelFunc: KernelFunc): void {
  for (const backendName of BACKENDS)
    if (!getKernel(kernelName, backendName))
      registerKernel({ kernelName, backendName, kernelFunc });
}

/**
 * The values of a tensor. On the wasm backend this is a view of its heap, not a copy (saving
 * a pass over the data): valid only until that backend allocates again, so callers copy it
 * (into the pool) before creating any tensor.
 */
export function readF32(backend: KernelBackend, t: TensorInfo): Float32Array {
  const fromHeap = (backend as { typedArrayFromHeap?: unknown }).typedArrayFromHeap;
  if (t.dtype === 'float32' && typeof fromHeap === 'function') {
    const view: unknown = fromHeap.call(backend, t);
    if (view instanceof Float32Array) return view;
  }
  const v = backend.readSync(t.dataId);
  if (v instanceof Float32Array) return v;
  if (v instanceof Int32Array || v instanceof Uint8Array) return Float32Array.from(v);
  throw new TypeError(`expected a numeric tensor, got ${t.dtype}`);
}

export function readI32(backend: KernelBackend, t: TensorInfo): Int32Array {
  const v = backend.readSync(t.dataId);
  if (v instanceof Int32Array) return v;
  if (v instanceof Float32Array || v instanceof Uint8Array) return Int32Array.from(v);
  throw new TypeError(`expected a numeric tensor, got ${t.dtype}`);
}

export function writeF32(
  backend: KernelBackend,
  values: Float32Array,
  shape: number[],
): TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}
