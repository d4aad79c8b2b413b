/**
 * What the engine's tfjs kernels share: which backends they are registered for, and reading
 * and writing tensor data through the generic KernelBackend interface (readSync / write), which
 * every backend implements. So one kernel function serves cpu, wasm and tensorflow alike.
 */
import { getKernel, registerKernel, type KernelBackend, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

/** tfjs backends the kernels are registered for. */
export const BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;

export function registerForAllBackends(kernelName: string, kernelFunc: KernelFunc): void {
  for (const backendName of BACKENDS)
    if (!getKernel(kernelName, backendName)) registerKernel({ kernelName, backendName, kernelFunc });
}

export function readF32(backend: KernelBackend, t: TensorInfo): Float32Array {
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

export function writeF32(backend: KernelBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}
