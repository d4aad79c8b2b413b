/**
 * The elementwise parts of a bilinear graph layer (NGCF's eq. 7) in plain JS, fallbacks of the
 * WebAssembly kernels of the same names: the input [A + B | A ⊙ B], its backward, LeakyReLU
 * with a dropout mask, forward and backward, and the mask itself. Each operation is rounded to float32
 * (Math.fround) in the order the f32x4 lanes compute it, so both give the same bits; every
 * element or row is computed alone, so any split between threads gives the same bits too.
 * Pointers are byte offsets into the shared memory.
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

/**
 * X[i] = [A[i] + B[i] | A[i] * B[i]] (or [A[i] | A[i] * B[i]] when addB is 0) for rows
 * [r0, r1); A, B have dim columns, X 2 dim.
 */
export function sumProdJs(
  h: HeapViews,
  a: number,
  b: number,
  x: number,
  dim: number,
  r0: number,
  r1: number,
  addB: number,
): void {
  const f = h.f32;
  for (let i = r0; i < r1; i++) {
    const ao = (a >>> 2) + i * dim;
    const bo = (b >>> 2) + i * dim;
    const xo = (x >>> 2) + 2 * i * dim;
    for (let c = 0; c < dim; c++) {
      const av = f[ao + c];
      const bv = f[bo + c];
      f[xo + c] = addB ? av + bv : av;
      f[xo + dim + c] = av * bv;
    }
  }
}

/**
 * OUT[dst] = dSum[i] + dProd[i] * A[i] for rows [r0, r1) of DX = [dSum | dProd], added to
 * OUT[dst] when flags bit 1 is set; dst = ROWS[i] when flags bit 0 is set, else i; flags bit 2
 * leaves the dSum term out.
 */
export function sumProdBackJs(
  h: HeapViews,
  dx: number,
  a: number,
  out: number,
  rows: number,
  dim: number,
  r0: number,
  r1: number,
  flags: number,
): void {
  const { f32: f, i32 } = h;
  const accumulate = (flags & 2) !== 0;
  for (let i = r0; i < r1; i++) {
    const so = (dx >>> 2) + 2 * i * dim;
    const ao = (a >>> 2) + i * dim;
    const yo = (out >>> 2) + (flags & 1 ? i32[(rows >>> 2) + i] : i) * dim;
    for (let c = 0; c < dim; c++) {
      const p = fround(f[so + dim + c] * f[ao + c]);
      const v = flags & 4 ? p : fround(f[so + c] + p);
      f[yo + c] = accumulate ? f[yo + c] + v : v;
    }
  }
}

/** Y = (X > 0 ? X : slope X) * M over elements [i0, i1) (M only when hasMask). */
export function leakyReluJs(
  h: HeapViews,
  x: number,
  m: number,
  y: number,
  i0: number,
  i1: number,
  slope: number,
  hasMask: number,
): void {
  const f = h.f32;
  const xw = x >>> 2;
  const mw = m >>> 2;
  const yw = y >>> 2;
  for (let k = i0; k < i1; k++) {
    const v = f[xw + k];
    const a = v > 0 ? v : fround(slope * v);
    f[yw + k] = hasMask ? a * f[mw + k] : a;
  }
}

/** G = (DY * M) * (X > 0 ? 1 : slope) over elements [i0, i1) (DY alone when not hasMask). */
export function leakyReluBackJs(
  h: HeapViews,
  dy: number,
  m: number,
  x: number,
  g: number,
  i0: number,
  i1: number,
  slope: number,
  hasMask: number,
): void {
  const f = h.f32;
  const dw = dy >>> 2;
  const mw = m >>> 2;
  const xw = x >>> 2;
  const gw = g >>> 2;
  for (let k = i0; k < i1; k++) {
    const d = hasMask ? fround(f[dw + k] * f[mw + k]) : f[dw + k];
    f[gw + k] = f[xw + k] > 0 ? d : d * slope;
  }
}

/** lowbias32 (C. Wellons' integer hash search): a 32-bit mix with low bias, as the WASM $mix. */
export function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * M[k] = bits(k) < below ? scale : 0 over elements [i0, i1): in blocks of 8 elements, block b
 * hashes the counters 4b + j (j < 4) as mix(mix(p ^ s0) ^ s1); element 8b + j takes the low 16
 * bits of counter j's hash, element 8b + 4 + j the high 16 bits.
 */
export function dropoutMaskJs(
  h: HeapViews,
  m: number,
  i0: number,
  i1: number,
  s0: number,
  s1: number,
  below: number,
  scale: number,
): void {
  const f = h.f32;
  const mw = m >>> 2;
  for (let k = i0; k < i1; k++) f[mw + k] = maskAt(k, s0, s1, below, scale);
}

/** Element k's value of dropoutMask's mask (scale or 0). */
export function maskAt(k: number, s0: number, s1: number, below: number, scale: number): number {
  const hash = mix(mix((((k >>> 3) << 2) | (k & 3)) ^ s0) ^ s1);
  const bits = k & 4 ? hash >>> 16 : hash & 0xffff;
  return bits < below ? scale : 0;
}

/**
 * sum over c < dim of (F[a + c] * k) * F[b + c] in the WASM $rowdot's order: four lane sums
 * over the quads (lane j takes c = 4m + j), then (l0 + l1) + (l2 + l3), then the rest in
 * order. With k = 1 (exact) the plain dot product.
 */
export function rowDot(f: Float32Array, a: number, b: number, dim: number, k = 1): number {
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  const n4 = dim & ~3;
  for (let c = 0; c < n4; c += 4) {
    l0 = fround(l0 + fround(fround(f[a + c] * k) * f[b + c]));
    l1 = fround(l1 + fround(fround(f[a + c + 1] * k) * f[b + c + 1]));
    l2 = fround(l2 + fround(fround(f[a + c + 2] * k) * f[b + c + 2]));
    l3 = fround(l3 + fround(fround(f[a + c + 3] * k) * f[b + c + 3]));
  }
  let s = fround(fround(l0 + l1) + fround(l2 + l3));
  for (let c = n4; c < dim; c++) s = fround(s + fround(fround(f[a + c] * k) * f[b + c]));
  return s;
}

/** Y[k * ldy + c] = X[ROWS[k] * dim + c] for k in [k0, k1) (ldy in floats). */
export function gatherRowsJs(
  h: HeapViews,
  x: number,
  rows: number,
  y: number,
  dim: number,
  ldy: number,
  k0: number,
  k1: number,
): void {
  const { f32: f, i32 } = h;
  for (let k = k0; k < k1; k++) {
    const xo = (x >>> 2) + i32[(rows >>> 2) + k] * dim;
    f.copyWithin((y >>> 2) + k * ldy, xo, xo + dim);
  }
}

/** Y[i * ldy + c] = X[i * dim + c] / sqrt(max(|X[i]|^2, eps)) for rows [r0, r1). */
export function normalizeRowsJs(
  h: HeapViews,
  x: number,
  y: number,
  dim: number,
  ldy: number,
  r0: number,
  r1: number,
  eps: number,
): void {
  const f = h.f32;
  for (let i = r0; i < r1; i++) {
    const xo = (x >>> 2) + i * dim;
    const yo = (y >>> 2) + i * ldy;
    const scale = fround(1 / fround(Math.sqrt(Math.max(rowDot(f, xo, xo, dim), eps))));
    for (let c = 0; c < dim; c++) f[yo + c] = f[xo + c] * scale;
  }
}

/**
 * The gradient of normalizeRows for rows [r0, r1), from X and DY (rows ldy floats apart):
 * (DY - y (y . DY)) / |X| with y = X / |X| (y . DY taken as 0 below eps), into OUT[dst] or
 * added there (flags bit 1); dst = ROWS[i] when flags bit 0 is set, else i.
 */
export function normalizeRowsBackJs(
  h: HeapViews,
  x: number,
  dy: number,
  ldy: number,
  out: number,
  rows: number,
  dim: number,
  r0: number,
  r1: number,
  eps: number,
  flags: number,
): void {
  const { f32: f, i32 } = h;
  const accumulate = (flags & 2) !== 0;
  for (let i = r0; i < r1; i++) {
    const xo = (x >>> 2) + i * dim;
    const dyo = (dy >>> 2) + i * ldy;
    const yo = (out >>> 2) + (flags & 1 ? i32[(rows >>> 2) + i] : i) * dim;
    const q = rowDot(f, xo, xo, dim);
    const s = fround(1 / fround(Math.sqrt(Math.max(q, eps))));
    const t = q >= eps ? rowDot(f, xo, dyo, dim, s) : 0;
    for (let c = 0; c < dim; c++) {
      const g = fround(fround(f[dyo + c] - fround(fround(f[xo + c] * s) * t)) * s);
      f[yo + c] = accumulate ? f[yo + c] + g : g;
    }
  }
}
