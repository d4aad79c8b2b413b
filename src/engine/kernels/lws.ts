/**
 * Local weighted smoothing (VRKG4Rec's LWS as its authors' code computes it) fused row by row,
 * in plain JS: the twins of the WebAssembly kernels `lws_forward` and `lws_backward`. For row r
 * of a graph (entries p: edges to source rows x_p, per-edge weights w_p) and its residual res_r:
 *   m_0 = sum_p w_p x_p
 *   for q = 1 .. Q-1:  u_q = squash(m_{q-1}) + res_r,  d_{q,p} = u_q . x_p,
 *                      c_{q,p} = d_{q,p}, or compounding c_{q-1,p} (c_{q-1,p} d_{q,p}) from q = 2,
 *                      m_q = sum_p (w_p c_{q,p}) x_p
 *   out_r = m_{Q-1}
 * Each operation is the one the unfused ops do (spmmEdge, squash, add, sddmmDot, mul), rounded
 * to float32 in the same order, so the fused pass gives their bits; each row is computed alone,
 * so any split of rows between threads gives the same bits. The forward keeps m_0 .. m_{Q-2}
 * (SAVED: row r's m_q at (r (Q-1) + q) dim), u_1 .. u_{Q-1} (USAVED: u_q at (r (Q-1) + q - 1)
 * dim) and each edge's (d, c) pairs (EDGES: edge p, q at 2 (p (Q-1) + q - 1)) for the
 * backward. Pointers are byte offsets.
 */
import { squashBackJs, squashJs } from './squash.js';
import { dotJs } from './message.js';
import type { HeapViews } from './types.js';

const fround = Math.fround;

/** flags: the weights compound (c_q = c_{q-1}^2 d_q), as the authors' KG messages */
export const LWS_COMPOUND = 1;
/** flags of the backward: add into DW / DRES instead of writing them */
export const LWS_ADD_DW = 2;
export const LWS_ADD_DRES = 4;

/**
 * f[y .. y+d) = (f[y .. y+d), or 0 when not `keep`) + a f[x .. x+d), one rounding per multiply
 * and per add (an f32x4 lane's).
 */
function axpy(f: Float32Array, y: number, a: number, x: number, d: number, keep = true): void {
  for (let c = 0; c < d; c++) f[y + c] = fround((keep ? f[y + c] : 0) + fround(a * f[x + c]));
}

/** u = squash(m) + res (word offsets; the squash in squashJs's bits). */
function squashPlus(h: HeapViews, m: number, res: number, u: number, d: number): void {
  squashJs(h, m * 4, u * 4, d, 0, 1);
  const f = h.f32;
  for (let c = 0; c < d; c++) f[u + c] = fround(f[u + c] + f[res + c]);
}

export function lwsForwardJs(
  h: HeapViews,
  rowPtr: number,
  other: number,
  w: number,
  x: number,
  res: number,
  out: number,
  saved: number,
  usaved: number,
  edges: number,
  dim: number,
  Q: number,
  flags: number,
  r0: number,
  r1: number,
): void {
  const { f32, i32 } = h;
  const compound = (flags & LWS_COMPOUND) !== 0;
  const P = Q - 1;
  const ww = w >>> 2;
  for (let r = r0; r < r1; r++) {
    const ps = i32[(rowPtr >>> 2) + r];
    const pe = i32[(rowPtr >>> 2) + r + 1];
    const ro = (res >>> 2) + r * dim;
    const mAt = (q: number): number =>
      q === P ? (out >>> 2) + r * dim : (saved >>> 2) + (r * P + q) * dim;
    let m = mAt(0);
    f32.fill(0, m, m + dim);
    for (let p = ps; p < pe; p++)
      axpy(f32, m, f32[ww + p], (x >>> 2) + i32[(other >>> 2) + p] * dim, dim);
    for (let q = 1; q < Q; q++) {
      const u = (usaved >>> 2) + (r * P + q - 1) * dim;
      squashPlus(h, m, ro, u, dim);
      const next = mAt(q);
      f32.fill(0, next, next + dim);
      for (let p = ps; p < pe; p++) {
        const xo = (x >>> 2) + i32[(other >>> 2) + p] * dim;
        const eo = (edges >>> 2) + 2 * (p * P + q - 1);
        const dot = dotJs(f32, u, xo, dim);
        let c = dot;
        if (compound && q > 1) {
          const cp = f32[eo - 1];
          c = fround(cp * fround(cp * dot));
        }
        f32[eo] = dot;
        f32[eo + 1] = c;
        axpy(f32, next, fround(f32[ww + p] * c), xo, dim);
      }
      m = next;
    }
  }
}

/**
 * The gradient of lwsForward from G = d out, rows [r0, r1): DW (per edge), DRES (per row)
 * written or added (flags), and MG, each edge's gradient message (written): d x_s is the sum of
 * MG over s's edges, left to the caller (a sum in the transposed order keeps the bits
 * independent of the split). DC (and, in WebAssembly, ES) is per-edge scratch; SCRATCH holds
 * two rows of dim. The residuals are not read: they are in u_q, as the forward kept them.
 */
export function lwsBackwardJs(
  h: HeapViews,
  rowPtr: number,
  other: number,
  w: number,
  x: number,
  saved: number,
  usaved: number,
  edges: number,
  g: number,
  dw: number,
  dres: number,
  mg: number,
  dc: number,
  // per-edge scratch of the WebAssembly kernel (its dot products, computed ahead four at a time)
  _es: number,
  dim: number,
  Q: number,
  flags: number,
  scratch: number,
  r0: number,
  r1: number,
): void {
  const { f32, i32 } = h;
  const compound = (flags & LWS_COMPOUND) !== 0;
  const addW = (flags & LWS_ADD_DW) !== 0;
  const addR = (flags & LWS_ADD_DRES) !== 0;
  const P = Q - 1;
  const G = scratch >>> 2;
  const du = G + dim;
  const ww = w >>> 2;
  const dww = dw >>> 2;
  const dcw = dc >>> 2;
  for (let r = r0; r < r1; r++) {
    const ps = i32[(rowPtr >>> 2) + r];
    const pe = i32[(rowPtr >>> 2) + r + 1];
    const dro = (dres >>> 2) + r * dim;
    const xAt = (p: number): number => (x >>> 2) + i32[(other >>> 2) + p] * dim;
    const mgAt = (p: number): number => (mg >>> 2) + p * dim;
    for (let c = 0; c < dim; c++) f32[G + c] = f32[(g >>> 2) + r * dim + c];
    // DRES is written by the first iteration's term unless added to; with Q = 1 it stays 0
    if (!addR && P === 0) f32.fill(0, dro, dro + dim);
    for (let p = ps; p < pe; p++) {
      if (!addW) f32[dww + p] = 0;
      f32[dcw + p] = 0;
    }
    for (let q = P; q >= 1; q--) {
      const mPrev = (saved >>> 2) + (r * P + q - 1) * dim;
      // u_q = squash(m_{q-1}) + res, as the forward kept it
      const u = (usaved >>> 2) + (r * P + q - 1) * dim;
      f32.fill(0, du, du + dim);
      for (let p = ps; p < pe; p++) {
        const xo = xAt(p);
        const eo = (edges >>> 2) + 2 * (p * P + q - 1);
        const c = f32[eo + 1];
        const wk = f32[ww + p];
        // m_q = sum_p (w_p c_p) x_p: to the weight, the coefficient and the message
        const e = dotJs(f32, G, xo, dim);
        f32[dww + p] = fround(f32[dww + p] + fround(c * e));
        const dcq = fround(f32[dcw + p] + fround(wk * e));
        axpy(f32, mgAt(p), fround(wk * c), G, dim, q < P);
        // d_{q,p} = u_q . x_p: to u_q (du) and the message; c_q to c_{q-1} when compounding
        let dd = dcq;
        let carry = 0;
        if (compound && q > 1) {
          const cp = f32[eo - 1];
          const cd = fround(cp * f32[eo]);
          dd = fround(dcq * fround(cp * cp));
          carry = fround(dcq * fround(cd + cd));
        }
        f32[dcw + p] = carry;
        axpy(f32, du, dd, xo, dim);
        axpy(f32, mgAt(p), dd, u, dim);
      }
      // u_q = squash(m_{q-1}) + res: to the residual, and G becomes d m_{q-1}
      const keep = addR || q < P;
      for (let c = 0; c < dim; c++)
        f32[dro + c] = keep ? fround(f32[dro + c] + f32[du + c]) : f32[du + c];
      squashBackJs(h, mPrev * 4, du * 4, G * 4, dim, 0, 1, 0);
    }
    // m_0 = sum_p w_p x_p
    for (let p = ps; p < pe; p++) {
      const xo = xAt(p);
      f32[dww + p] = fround(f32[dww + p] + dotJs(f32, G, xo, dim));
      axpy(f32, mgAt(p), f32[ww + p], G, dim, P > 0);
    }
  }
}
