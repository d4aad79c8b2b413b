/**
 * Elementwise arithmetic with broadcasting in plain JS, the twin of the WebAssembly kernel
 * ew_binary (the tape's add, sub and mul on large tensors): one float32 rounding per operation
 * (Math.fround), as the f32x4 lanes; every element computed alone, so any split of the rows
 * gives the same bits. Pointers are byte offsets.
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

/** op codes of ewBinary */
export const EW_ADD = 0;
export const EW_SUB = 1;
export const EW_MUL = 2;

/**
 * Z[r, c] (+)= A[r, c] op B[r rs + c cs] for rows [r0, r1) of [. x cols] arrays: B full
 * (rs = cols, cs = 1), one row (0, 1) or one column (1, 0); added into Z when acc is not 0.
 */
export function ewBinaryJs(
  h: HeapViews,
  a: number,
  b: number,
  z: number,
  cols: number,
  rs: number,
  cs: number,
  op: number,
  r0: number,
  r1: number,
  acc: number,
): void {
  const f = h.f32;
  const aw = a >>> 2;
  const bw = b >>> 2;
  const zw = z >>> 2;
  for (let r = r0; r < r1; r++)
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      const x = f[aw + k];
      const y = f[bw + r * rs + c * cs];
      const v = op === EW_MUL ? fround(x * y) : op === EW_SUB ? fround(x - y) : fround(x + y);
      f[zw + k] = acc ? f[zw + k] + v : v;
    }
}

/**
 * The gradient a broadcast B of ewBinary gets: term = DZ * A (mul), DZ (add) or -DZ (sub) per
 * element of an [R x cols] DZ, summed in order into G[c] over the rows for a row B (cs 1,
 * columns [i0, i1)), or into G[r] over the columns for a column B (cs 0, rows [i0, i1));
 * from G's value when acc is not 0, else from 0.
 */
export function ewGradBJs(
  h: HeapViews,
  dz: number,
  a: number,
  g: number,
  R: number,
  cols: number,
  cs: number,
  op: number,
  i0: number,
  i1: number,
  acc: number,
): void {
  const f = h.f32;
  const dw = dz >>> 2;
  const aw = a >>> 2;
  const gw = g >>> 2;
  const term = (k: number): number =>
    op === EW_MUL ? fround(f[dw + k] * f[aw + k]) : op === EW_SUB ? -f[dw + k] : f[dw + k];
  for (let i = i0; i < i1; i++) {
    let s = acc ? f[gw + i] : 0;
    if (cs) for (let r = 0; r < R; r++) s = fround(s + term(r * cols + i));
    else for (let c = 0; c < cols; c++) s = fround(s + term(i * cols + c));
    f[gw + i] = s;
  }
}
