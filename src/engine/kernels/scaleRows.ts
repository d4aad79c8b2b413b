/**
 * Rows scaled into a gradient in plain JS, the twin of the WebAssembly kernel `scale_rows`:
 * G[r] = w_r X[r], or G[r] += w_r X[r], each element computed in float64 and rounded to float32
 * once at the store (what `g[k] = w * x[k]` and `g[k] += w * x[k]` on Float32Arrays do), so
 * the kernel gives the bits of the JS loops it replaces. Pointers are byte offsets.
 */
import type { HeapViews } from './types.js';

/** flags: add into G instead of writing it */
export const SCALE_ADD = 2;
/** flags: w_r = W[r] (one float32 weight per row) instead of the float64 scalar */
export const SCALE_PER_ROW = 4;

/** The float64 scalar carried by two 32-bit words (low, high), as a slot passes it. */
export function f64FromWords(lo: number, hi: number): number {
  return new Float64Array(new Uint32Array([lo, hi]).buffer)[0];
}

/** The two 32-bit words (low, high) of a float64. */
export function wordsOfF64(w: number): [number, number] {
  const u = new Uint32Array(new Float64Array([w]).buffer);
  return [u[0], u[1]];
}

export function scaleRowsJs(
  h: HeapViews,
  x: number,
  w: number,
  g: number,
  d: number,
  r0: number,
  r1: number,
  wlo: number,
  whi: number,
  flags: number,
): void {
  const f = h.f32;
  const add = (flags & SCALE_ADD) !== 0;
  const scalar = f64FromWords(wlo, whi);
  for (let r = r0; r < r1; r++) {
    const wr = (flags & SCALE_PER_ROW) !== 0 ? f[(w >>> 2) + r] : scalar;
    const xo = (x >>> 2) + r * d;
    const go = (g >>> 2) + r * d;
    if (add) for (let c = 0; c < d; c++) f[go + c] += wr * f[xo + c];
    else for (let c = 0; c < d; c++) f[go + c] = wr * f[xo + c];
  }
}
