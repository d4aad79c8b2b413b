/**
 * Dropout then L2 normalisation row by row in plain JS, the twin of the WebAssembly kernels
 * `drop_normalize` and `drop_normalize_back`: XP = X m with m the dropoutMask values of the
 * elements (index i dim + c), Y = normalizeRows(XP); backward, OUT (+)= normalizeRowsBack(XP,
 * DY) m. Each the composition of dropoutMask, leakyRelu of slope 1 under that mask, and
 * normalizeRows, with their bits, a row at a time. Pointers are byte offsets.
 */
import { maskAt, normalizeRowsBackJs, normalizeRowsJs } from './layerOps.js';
import type { HeapViews } from './types.js';

export function dropNormalizeJs(
  h: HeapViews,
  x: number,
  xp: number,
  y: number,
  dim: number,
  r0: number,
  r1: number,
  s0: number,
  s1: number,
  below: number,
  scale: number,
  eps: number,
  _scratch: number,
): void {
  const f = h.f32;
  for (let i = r0; i < r1; i++) {
    const k0 = i * dim;
    for (let c = 0; c < dim; c++)
      f[(xp >>> 2) + k0 + c] = f[(x >>> 2) + k0 + c] * maskAt(k0 + c, s0, s1, below, scale);
    normalizeRowsJs(h, xp + 4 * k0, y + 4 * k0, dim, dim, 0, 1, eps);
  }
}

export function dropNormalizeBackJs(
  h: HeapViews,
  xp: number,
  dy: number,
  out: number,
  dim: number,
  r0: number,
  r1: number,
  s0: number,
  s1: number,
  below: number,
  scale: number,
  eps: number,
  scratch: number,
  flags: number,
): void {
  const f = h.f32;
  const g = (scratch >>> 2) + dim;
  const add = (flags & 2) !== 0;
  for (let i = r0; i < r1; i++) {
    const k0 = i * dim;
    normalizeRowsBackJs(h, xp + 4 * k0, dy + 4 * k0, dim, g * 4, 0, dim, 0, 1, eps, 0);
    const o = (out >>> 2) + k0;
    for (let c = 0; c < dim; c++) {
      const v = Math.fround(f[g + c] * maskAt(k0 + c, s0, s1, below, scale));
      f[o + c] = add ? f[o + c] + v : v;
    }
  }
}
