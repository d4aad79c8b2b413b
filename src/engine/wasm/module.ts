/** The compiled kernels module, decoded and compiled once per thread. */
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

let bytes: Uint8Array<ArrayBuffer> | undefined;
let compiled: WebAssembly.Module | undefined;
let supported: boolean | undefined;

export function kernelsBytes(): Uint8Array<ArrayBuffer> {
  // copied out of Buffer's pool so the module owns a plain ArrayBuffer
  bytes ??= new Uint8Array(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return bytes;
}

/** Whether this runtime can run the kernels (WebAssembly SIMD and shared memory). */
export function wasmSimdSupported(): boolean {
  if (supported === undefined) {
    try {
      supported = typeof SharedArrayBuffer === 'function' && WebAssembly.validate(kernelsBytes());
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** Synchronous compile: allowed in Node for any size, and small (a few KB) anyway. */
export function kernelsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(kernelsBytes());
  return compiled;
}
