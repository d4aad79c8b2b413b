/** A transpose in plain JS, the fallback of the WebAssembly kernel of the same name. */
import type { HeapViews } from './types.js';

/**
 * D = S^T for rows [r0, r1) of S [R x C] (D [C x R]), source rows eight at a time so that
 * each column's eight values land side by side in D. Byte offsets into the shared memory.
 */
export function transposeJs(
  h: HeapViews,
  s: number,
  d: number,
  R: number,
  C: number,
  r0: number,
  r1: number,
): void {
  const f = h.f32;
  const sw = s >>> 2;
  const dw = d >>> 2;
  for (let rb = r0; rb < r1; rb += 8) {
    const re = Math.min(rb + 8, r1);
    for (let c = 0; c < C; c++) for (let r = rb; r < re; r++) f[dw + c * R + r] = f[sw + r * C + c];
  }
}
