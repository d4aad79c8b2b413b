/**
 * Message passing over a fixed graph in plain JS, the twins of the WebAssembly kernels of the
 * same names (DGL's update_all with edge weights, u_dot_v, edge_softmax). The graph is a CSR
 * over output rows: row r lists its entries p in [rowPtr[r], rowPtr[r+1]), each the other end
 * other[p] of edge edge(p) (p itself, or edgeAt[p] for a transposed order). Node features are
 * [n x C] with H heads side by side (head h: columns [h d, (h+1) d), d = C / H); edge values
 * [nnz x H]. Every output element is summed alone, entry by entry in row order, one float32
 * rounding per multiply and per add (Math.fround), as each f32x4 lane does: the same bits as
 * the WebAssembly kernels, whoever computes which row. Pointers are byte offsets.
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

/** flags of edgeSpmm: entries name their edge in edgeAt (a transposed order) */
export const EDGE_AT = 1;
/** flags: add into the output instead of overwriting it */
export const ACCUMULATE = 2;

/**
 * OUT[r, j] (+)= sum over row r's entries p of W[edge(p), head(j)] * X[other[p], j], for rows
 * [r0, r1); eight columns at a time in scalar accumulators (the fastest JS shape, as spmm).
 */
export function edgeSpmmJs(
  h: HeapViews,
  rowPtr: number,
  other: number,
  edgeAt: number,
  w: number,
  H: number,
  x: number,
  C: number,
  out: number,
  r0: number,
  r1: number,
  flags: number,
): void {
  const { f32, i32 } = h;
  const rp = rowPtr >>> 2;
  const ow = other >>> 2;
  const ew = edgeAt >>> 2;
  const ww = w >>> 2;
  const xw = x >>> 2;
  const byEdge = (flags & EDGE_AT) !== 0;
  const acc = (flags & ACCUMULATE) !== 0;
  const d = C / H;
  for (let r = r0; r < r1; r++) {
    const ps = i32[rp + r];
    const pe = i32[rp + r + 1];
    const yo = (out >>> 2) + r * C;
    let c = 0;
    for (; c + 8 <= C; c += 8) {
      const h0 = Math.floor(c / d);
      const h1 = Math.floor((c + 1) / d);
      const h2 = Math.floor((c + 2) / d);
      const h3 = Math.floor((c + 3) / d);
      const h4 = Math.floor((c + 4) / d);
      const h5 = Math.floor((c + 5) / d);
      const h6 = Math.floor((c + 6) / d);
      const h7 = Math.floor((c + 7) / d);
      let a0 = acc ? f32[yo + c] : 0;
      let a1 = acc ? f32[yo + c + 1] : 0;
      let a2 = acc ? f32[yo + c + 2] : 0;
      let a3 = acc ? f32[yo + c + 3] : 0;
      let a4 = acc ? f32[yo + c + 4] : 0;
      let a5 = acc ? f32[yo + c + 5] : 0;
      let a6 = acc ? f32[yo + c + 6] : 0;
      let a7 = acc ? f32[yo + c + 7] : 0;
      for (let p = ps; p < pe; p++) {
        const wk = ww + (byEdge ? i32[ew + p] : p) * H;
        const o = xw + i32[ow + p] * C + c;
        a0 = fround(a0 + fround(f32[wk + h0] * f32[o]));
        a1 = fround(a1 + fround(f32[wk + h1] * f32[o + 1]));
        a2 = fround(a2 + fround(f32[wk + h2] * f32[o + 2]));
        a3 = fround(a3 + fround(f32[wk + h3] * f32[o + 3]));
        a4 = fround(a4 + fround(f32[wk + h4] * f32[o + 4]));
        a5 = fround(a5 + fround(f32[wk + h5] * f32[o + 5]));
        a6 = fround(a6 + fround(f32[wk + h6] * f32[o + 6]));
        a7 = fround(a7 + fround(f32[wk + h7] * f32[o + 7]));
      }
      f32[yo + c] = a0;
      f32[yo + c + 1] = a1;
      f32[yo + c + 2] = a2;
      f32[yo + c + 3] = a3;
      f32[yo + c + 4] = a4;
      f32[yo + c + 5] = a5;
      f32[yo + c + 6] = a6;
      f32[yo + c + 7] = a7;
    }
    for (; c < C; c++) {
      const hc = Math.floor(c / d);
      let a = acc ? f32[yo + c] : 0;
      for (let p = ps; p < pe; p++) {
        const wk = ww + (byEdge ? i32[ew + p] : p) * H;
        a = fround(a + fround(f32[wk + hc] * f32[xw + i32[ow + p] * C + c]));
      }
      f32[yo + c] = a;
    }
  }
}

/**
 * The dot product of d floats at word offsets a and b in the kernels' order: four lane sums
 * over the first floor(d / 4) quads, added as (s0 + s1) + (s2 + s3), then the rest one by one.
 */
export function dotJs(f32: Float32Array, a: number, b: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    s0 = fround(s0 + fround(f32[a + j] * f32[b + j]));
    s1 = fround(s1 + fround(f32[a + j + 1] * f32[b + j + 1]));
    s2 = fround(s2 + fround(f32[a + j + 2] * f32[b + j + 2]));
    s3 = fround(s3 + fround(f32[a + j + 3] * f32[b + j + 3]));
  }
  let s = fround(fround(s0 + s1) + fround(s2 + s3));
  for (; j < d; j++) s = fround(s + fround(f32[a + j] * f32[b + j]));
  return s;
}

/**
 * E[k, h] (+)= <X[v, head h], Y[col[k], head h]> for the edges k of destinations v in
 * [r0, r1): written, or added when `add` is not 0.
 */
export function edgeDotsJs(
  h: HeapViews,
  rowPtr: number,
  col: number,
  x: number,
  y: number,
  H: number,
  C: number,
  e: number,
  r0: number,
  r1: number,
  add: number,
): void {
  const { f32, i32 } = h;
  const rp = rowPtr >>> 2;
  const cw = col >>> 2;
  const ew = e >>> 2;
  const d = C / H;
  for (let v = r0; v < r1; v++) {
    const xo = (x >>> 2) + v * C;
    for (let k = i32[rp + v]; k < i32[rp + v + 1]; k++) {
      const yo = (y >>> 2) + i32[cw + k] * C;
      for (let hd = 0; hd < H; hd++) {
        const s = dotJs(f32, xo + hd * d, yo + hd * d, d);
        const at = ew + k * H + hd;
        f32[at] = add ? fround(f32[at] + s) : s;
      }
    }
  }
}

/**
 * E[k, h] = D[v, h] + S[col[k], h] for the edges k of destinations v in [r0, r1) (u_add_v).
 */
export function edgeAddJs(
  h: HeapViews,
  rowPtr: number,
  col: number,
  dst: number,
  src: number,
  H: number,
  e: number,
  r0: number,
  r1: number,
): void {
  const { f32, i32 } = h;
  const rp = rowPtr >>> 2;
  for (let v = r0; v < r1; v++) {
    const dw = (dst >>> 2) + v * H;
    for (let k = i32[rp + v]; k < i32[rp + v + 1]; k++) {
      const sw = (src >>> 2) + i32[(col >>> 2) + k] * H;
      const ew = (e >>> 2) + k * H;
      for (let hd = 0; hd < H; hd++) f32[ew + hd] = f32[dw + hd] + f32[sw + hd];
    }
  }
}

/** Below this exp(x) is under float32's smallest normal number: expf gives 0. */
export const EXPF_MIN = Math.fround(-87.33654);
const LOG2E = fround(Math.LOG2E);
const LN2_HI = fround(0.693359375);
const LN2_LO = fround(-2.1219444e-4);
const P0 = fround(1.98756915e-4);
const P1 = fround(1.3981999507e-3);
const P2 = fround(8.3334519073e-3);
const P3 = fround(4.1665795894e-2);
const P4 = fround(1.6666665459e-1);
const P5 = fround(5.0000001201e-1);

/**
 * e^x in float32 for x <= 0 (Cephes' expf: x = n ln 2 + r, a degree-7 polynomial in r, times
 * 2^n), each operation rounded to float32 as the WebAssembly kernel's $expf4 lanes compute
 * it: within 2 ulp of e^x, and the same bits on both. 0 below EXPF_MIN (and for -Infinity).
 */
export function expfJs(x: number): number {
  if (!(x >= EXPF_MIN)) return x !== x ? x : 0;
  const fx = Math.floor(fround(fround(x * LOG2E) + 0.5));
  const r = fround(fround(x - fround(fx * LN2_HI)) - fround(fx * LN2_LO));
  const z = fround(r * r);
  let y = fround(fround(P0 * r) + P1);
  y = fround(fround(y * r) + P2);
  y = fround(fround(y * r) + P3);
  y = fround(fround(y * r) + P4);
  y = fround(fround(y * r) + P5);
  y = fround(fround(fround(y * z) + r) + 1);
  return fround(y * 2 ** fx);
}

/**
 * A[k, h] = exp(E[k, h] - max) / sum over the row's edges of exp(E[k', h] - max), max the
 * row's largest E[., h], for destinations [r0, r1); exp is expfJs (the argument is <= 0).
 */
export function edgeSoftmaxJs(
  h: HeapViews,
  rowPtr: number,
  e: number,
  a: number,
  H: number,
  r0: number,
  r1: number,
): void {
  const { f32, i32 } = h;
  const rp = rowPtr >>> 2;
  const ew = e >>> 2;
  const aw = a >>> 2;
  for (let v = r0; v < r1; v++) {
    const k0 = i32[rp + v];
    const k1 = i32[rp + v + 1];
    for (let hd = 0; hd < H; hd++) {
      let max = -Infinity;
      for (let k = k0; k < k1; k++) max = Math.max(max, f32[ew + k * H + hd]);
      let sum = 0;
      for (let k = k0; k < k1; k++) {
        const x = expfJs(fround(f32[ew + k * H + hd] - max));
        f32[aw + k * H + hd] = x;
        sum = fround(sum + x);
      }
      for (let k = k0; k < k1; k++) f32[aw + k * H + hd] = f32[aw + k * H + hd] / sum;
    }
  }
}

/**
 * The gradient of edgeSoftmax: DE[k, h] (+)= A[k, h] (DA[k, h] - s), s = sum over the row's
 * edges of A DA, for destinations [r0, r1); added when flags has ACCUMULATE.
 */
export function edgeSoftmaxBackJs(
  h: HeapViews,
  rowPtr: number,
  a: number,
  da: number,
  de: number,
  H: number,
  r0: number,
  r1: number,
  flags: number,
): void {
  const { f32, i32 } = h;
  const rp = rowPtr >>> 2;
  const aw = a >>> 2;
  const gw = da >>> 2;
  const ow = de >>> 2;
  const acc = (flags & ACCUMULATE) !== 0;
  for (let v = r0; v < r1; v++) {
    const k0 = i32[rp + v];
    const k1 = i32[rp + v + 1];
    for (let hd = 0; hd < H; hd++) {
      let s = 0;
      for (let k = k0; k < k1; k++)
        s = fround(s + fround(f32[aw + k * H + hd] * f32[gw + k * H + hd]));
      for (let k = k0; k < k1; k++) {
        const at = k * H + hd;
        const g = fround(f32[aw + at] * fround(f32[gw + at] - s));
        f32[ow + at] = acc ? f32[ow + at] + g : g;
      }
    }
  }
}
