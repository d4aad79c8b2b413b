/**
 * Sparse x dense product in plain JS, the fallback of the WebAssembly kernel. Each column is a
 * float32 sum in neighbour order, one rounding per multiply and per add (Math.fround), which is
 * exactly what f32x4 lanes do, so both kernels give the same bits. Eight columns at a time in
 * scalar accumulators: the fastest JS shape measured (the loop is compute-bound).
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

/** Y row at word offset yw = sum over p in [ps, pe) of val[p] * X row col[p]; all word offsets. */
export function spmmRow(
  h: HeapViews,
  ps: number,
  pe: number,
  colW: number,
  valW: number,
  xW: number,
  dim: number,
  yW: number,
): void {
  const { f32, i32 } = h;
  let c = 0;
  for (; c + 8 <= dim; c += 8) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let p = ps; p < pe; p++) {
      const w = f32[valW + p];
      const o = xW + i32[colW + p] * dim + c;
      a0 = fround(a0 + fround(w * f32[o]));
      a1 = fround(a1 + fround(w * f32[o + 1]));
      a2 = fround(a2 + fround(w * f32[o + 2]));
      a3 = fround(a3 + fround(w * f32[o + 3]));
      a4 = fround(a4 + fround(w * f32[o + 4]));
      a5 = fround(a5 + fround(w * f32[o + 5]));
      a6 = fround(a6 + fround(w * f32[o + 6]));
      a7 = fround(a7 + fround(w * f32[o + 7]));
    }
    const y = yW + c;
    f32[y] = a0;
    f32[y + 1] = a1;
    f32[y + 2] = a2;
    f32[y + 3] = a3;
    f32[y + 4] = a4;
    f32[y + 5] = a5;
    f32[y + 6] = a6;
    f32[y + 7] = a7;
  }
  for (; c < dim; c++) {
    let a = 0;
    for (let p = ps; p < pe; p++)
      a = fround(a + fround(f32[valW + p] * f32[xW + i32[colW + p] * dim + c]));
    f32[yW + c] = a;
  }
}

/** Y[i] = (A X)[i] for i in [r0, r1); pointers are byte offsets. */
export function spmmJs(
  h: HeapViews,
  rowPtr: number,
  col: number,
  val: number,
  x: number,
  y: number,
  dim: number,
  r0: number,
  r1: number,
): void {
  const rp = rowPtr >>> 2;
  for (let i = r0; i < r1; i++) {
    spmmRow(
      h,
      h.i32[rp + i],
      h.i32[rp + i + 1],
      col >>> 2,
      val >>> 2,
      x >>> 2,
      dim,
      (y >>> 2) + i * dim,
    );
  }
}

/** Y[k] = (A X)[rows[k]] for k in [k0, k1); pointers are byte offsets. */
export function spmmRowsJs(
  h: HeapViews,
  rowPtr: number,
  col: number,
  val: number,
  x: number,
  y: number,
  dim: number,
  rows: number,
  k0: number,
  k1: number,
): void {
  const rp = rowPtr >>> 2;
  const rw = rows >>> 2;
  for (let k = k0; k < k1; k++) {
    const r = h.i32[rw + k];
    spmmRow(
      h,
      h.i32[rp + r],
      h.i32[rp + r + 1],
      col >>> 2,
      val >>> 2,
      x >>> 2,
      dim,
      (y >>> 2) + k * dim,
    );
  }
}
