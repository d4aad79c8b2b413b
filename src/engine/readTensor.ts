/**
 * Reading a float32 tensor's values into an array of ours. dataSync() allocates a fresh copy per
 * read (on the wasm backend, a slice of its memory); for the tens of MB a graph layer produces
 * per batch, that copy's page faults and the garbage it leaves cost more than the copy itself.
 * On the wasm backend the values are read straight from the backend's memory into `out`.
 */
import * as tf from '@tensorflow/tfjs';

/** What the wasm backend keeps per tensor, and its memory (tfjs-backend-wasm 4.x internals). */
interface WasmBackendInternals {
  readonly dataIdMap?: { get(dataId: object): { memoryOffset?: unknown } | undefined };
  readonly wasm?: { readonly HEAPU8?: unknown };
}

/**
 * The tensor's values as a view of the wasm backend's memory (valid until the backend next
 * allocates), or undefined on other backends or where those internals are not as expected.
 */
export function wasmTensorView(t: tf.Tensor): Float32Array | undefined {
  if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as WasmBackendInternals;
  const heap = b.wasm?.HEAPU8;
  const offset = b.dataIdMap?.get(t.dataId)?.memoryOffset;
  if (!(heap instanceof Uint8Array) || typeof offset !== 'number' || offset % 4 !== 0)
    return undefined;
  if (offset + t.size * 4 > heap.byteLength) return undefined;
  return new Float32Array(heap.buffer, heap.byteOffset + offset, t.size);
}

/** Copies a float32 tensor's values into `out` (of its size) and returns `out`. */
export function readInto(t: tf.Tensor, out: Float32Array): Float32Array {
  if (t.dtype !== 'float32') throw new TypeError(`readInto: a ${t.dtype} tensor, not float32`);
  if (out.length !== t.size)
    throw new RangeError(`readInto: the tensor has ${t.size} values, out ${out.length}`);
  out.set(wasmTensorView(t) ?? (t.dataSync() as Float32Array));
  return out;
}
