/**
 * Dense scores of 4 users against item panels in plain JS (fallback of the WebAssembly
 * score kernel). A panel holds 4 items dimension-major; each score is a float32 sum in
 * dimension order, one rounding per multiply and per add, as the SIMD lanes compute it.
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

export function scoreJs(
  h: HeapViews,
  u: number,
  ldu: number,
  p: number,
  np: number,
  dim: number,
  s: number,
  lds: number,
): void {
  const f32 = h.f32;
  const panel = 4 * dim;
  for (let a = 0; a < 4; a++) {
    const uw = (u + a * ldu) >>> 2;
    const sw = (s + a * lds) >>> 2;
    for (let q = 0; q < np; q++) {
      const pw = (p >>> 2) + q * panel;
      for (let j = 0; j < 4; j++) {
        let acc = 0;
        for (let d = 0; d < dim; d++) acc = fround(acc + fround(f32[uw + d] * f32[pw + d * 4 + j]));
        f32[sw + q * 4 + j] = acc;
      }
    }
  }
}
