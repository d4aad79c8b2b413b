/**
 * OUT += A[rows]^T DY in plain JS (fallback of the WebAssembly scatter_rows): for each listed
 * row in order, each of its entries whose column is in [c0, c1) adds val * DY[k] into the
 * output row of that column. Each output row gets its additions in list order, with float32
 * rounding per operation: the same bits as the SIMD kernel, however the columns are split.
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

export function scatterRowsJs(
  h: HeapViews,
  rowPtr: number,
  col: number,
  val: number,
  dy: number,
  out: number,
  dim: number,
  rows: number,
  k0: number,
  k1: number,
  c0: number,
  c1: number,
): void {
  const { f32, i32 } = h;
  const rp = rowPtr >>> 2;
  const colW = col >>> 2;
  const valW = val >>> 2;
  for (let k = k0; k < k1; k++) {
    const r = i32[(rows >>> 2) + k];
    const d = (dy >>> 2) + k * dim;
    for (let p = i32[rp + r]; p < i32[rp + r + 1]; p++) {
      const cn = i32[colW + p];
      if (cn < c0 || cn >= c1) continue;
      const w = f32[valW + p];
      const o = (out >>> 2) + cn * dim;
      for (let c = 0; c < dim; c++) f32[o + c] = fround(f32[o + c] + fround(w * f32[d + c]));
    }
  }
}
