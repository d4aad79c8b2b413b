import type { HeapViews } from './types.js';

/**
 * Views over a shared memory that follow its growth: a grow (by any thread) leaves old views
 * valid but short, so they are rebuilt whenever the length changed.
 */
export function heapViews(memory: WebAssembly.Memory): () => HeapViews {
  let views: HeapViews | undefined;
  return () => {
    const buf = memory.buffer;
    if (!views || views.f32.buffer.byteLength !== buf.byteLength)
      views = { f32: new Float32Array(buf), i32: new Int32Array(buf) };
    return views;
  };
}
