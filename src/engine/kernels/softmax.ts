/**
 * Softmax cross-entropy over dense rows in plain JS, the fallback of the WebAssembly kernels
 * softmax_xent / softmax_xent_back: every operation rounded to float32 (Math.fround) in the
 * order the f32x4 lanes compute it, so both give the same bits. Each row is computed alone, so
 * any split of the rows between threads gives the same bits too. Pointers are byte offsets.
 */
import { expfJs } from './message.js';
import type { HeapViews } from './types.js';

const fround = Math.fround;

/**
 * For rows [r0, r1) of X [r x C]: m = the row's largest value, E[r, c] = exp(X[r, c] - m)
 * (expfJs, as the kernel's $expf4), S[r] = (m, z) with z the sum of the row's E: four lane
 * sums over the columns below C - C % 4 (lane j takes the columns c = j mod 4), added as
 * ((l0 + l1) + (l2 + l3)), then the remaining columns one by one.
 */
export function softmaxXentJs(
  h: HeapViews,
  x: number,
  e: number,
  s: number,
  C: number,
  r0: number,
  r1: number,
): void {
  const f = h.f32;
  const c4 = C - (C % 4);
  const lanes = [0, 0, 0, 0];
  for (let r = r0; r < r1; r++) {
    const xo = (x >>> 2) + r * C;
    const eo = (e >>> 2) + r * C;
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, f[xo + c]);
    lanes.fill(0);
    for (let c = 0; c < c4; c++) {
      const v = expfJs(fround(f[xo + c] - m));
      f[eo + c] = v;
      lanes[c & 3] = fround(lanes[c & 3] + v);
    }
    let z = fround(fround(lanes[0] + lanes[1]) + fround(lanes[2] + lanes[3]));
    for (let c = c4; c < C; c++) {
      const v = expfJs(fround(f[xo + c] - m));
      f[eo + c] = v;
      z = fround(z + v);
    }
    f[(s >>> 2) + 2 * r] = m;
    f[(s >>> 2) + 2 * r + 1] = z;
  }
}

/**
 * The gradient of the mean cross-entropy for rows [r0, r1): DX[r, c] (+)= E[r, c] q -
 * (c = T[r] ? g : 0), q = g / z (the row's softmax times g, less g at its target), with E and
 * S = (m, z) from softmaxXentJs and g the loss's gradient over the number of rows; added into
 * DX when acc is 1.
 */
export function softmaxXentBackJs(
  h: HeapViews,
  e: number,
  s: number,
  t: number,
  dx: number,
  C: number,
  g: number,
  r0: number,
  r1: number,
  acc: number,
): void {
  const { f32: f, i32 } = h;
  for (let r = r0; r < r1; r++) {
    const eo = (e >>> 2) + r * C;
    const go = (dx >>> 2) + r * C;
    const q = fround(g / f[(s >>> 2) + 2 * r + 1]);
    const tc = i32[(t >>> 2) + r];
    for (let c = 0; c < C; c++) {
      const v = fround(fround(f[eo + c] * q) - (c === tc ? g : 0));
      f[go + c] = acc ? f[go + c] + v : v;
    }
  }
}
