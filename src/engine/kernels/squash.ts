/**
 * The squash of capsule networks (VRKG4Rec's NORM) and its gradient in plain JS, the twins of
 * the WebAssembly kernels `squash` and `squash_back`: every operation rounded to float32 in the
 * order the f32x4 lanes compute it (the row sums in rowDot's order), so both give the same bits;
 * each row is computed alone, so any split between threads gives the same bits too.
 */
import { rowDot } from './layerOps.js';
import type { HeapViews } from './types.js';

const fround = Math.fround;
/** below this squared norm a row counts as zero (the WAT's f32.const 1e-30) */
const TINY = fround(1e-30);

/** Y[i] = X[i] sqrt(n) / (1 + n), n = |X[i]|^2 (0 when n <= TINY), for rows [r0, r1). */
export function squashJs(
  h: HeapViews,
  x: number,
  y: number,
  dim: number,
  r0: number,
  r1: number,
): void {
  const f = h.f32;
  for (let i = r0; i < r1; i++) {
    const xo = (x >>> 2) + i * dim;
    const yo = (y >>> 2) + i * dim;
    const n = rowDot(f, xo, xo, dim);
    const s = n > TINY ? fround(fround(Math.sqrt(n)) / fround(1 + n)) : 0;
    for (let c = 0; c < dim; c++) f[yo + c] = f[xo + c] * s;
  }
}

/**
 * The gradient of squash for rows [r0, r1): G = s DY + k X with s = sqrt(n) / (1 + n) and
 * k = (X . DY)(1 - n) / (sqrt(n) (1 + n)^2) (both 0 when n <= TINY), into OUT or added there
 * (flags bit 1).
 */
export function squashBackJs(
  h: HeapViews,
  x: number,
  dy: number,
  out: number,
  dim: number,
  r0: number,
  r1: number,
  flags: number,
): void {
  const f = h.f32;
  const accumulate = (flags & 2) !== 0;
  for (let i = r0; i < r1; i++) {
    const xo = (x >>> 2) + i * dim;
    const dyo = (dy >>> 2) + i * dim;
    const yo = (out >>> 2) + i * dim;
    const n = rowDot(f, xo, xo, dim);
    const xdy = rowDot(f, xo, dyo, dim);
    let s = 0;
    let k = 0;
    if (n > TINY) {
      const norm = fround(Math.sqrt(n));
      const a = fround(1 + n);
      s = fround(norm / a);
      k = fround(fround(xdy * fround(1 - n)) / fround(fround(norm * a) * a));
    }
    for (let c = 0; c < dim; c++) {
      const g = fround(fround(f[dyo + c] * s) + fround(f[xo + c] * k));
      f[yo + c] = accumulate ? f[yo + c] + g : g;
    }
  }
}
