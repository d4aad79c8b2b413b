/**
 * Dense Adam over a range of a flat parameter array in plain JS (fallback of the WebAssembly
 * adam kernel). Every operation is rounded to float32 (Math.fround), in the order the f32x4
 * lanes compute it, so both kernels give the same bits; elementwise, so any split of the range
 * between threads gives the same bits too:
 *   m = b1 m + (1-b1) g
 *   v = b2 v + ((1-b2) g) g
 *   p = p - (stepSize m) / (sqrt(v) / sqrtC2 + eps)
 * The constants arrive already rounded to float32 (see adamConstants).
 */
import type { HeapViews } from './types.js';

const fround = Math.fround;

/** The float32 constants of step t of Adam, as the kernels take them. */
export interface AdamConstants {
  readonly beta1: number;
  /** 1 - beta1 */
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  /** 1 - beta2 */
  readonly oneMinusBeta2: number;
  /** lr / (1 - beta1^t): the first moment's bias correction folded into the step */
  readonly stepSize: number;
  /** sqrt(1 - beta2^t): the second moment's bias correction, after the square root */
  readonly sqrtC2: number;
  readonly eps: number;
}

export interface AdamStep {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** step number, from 1 */
  readonly t: number;
}

/** Constants of one step, computed in float64 then rounded once to float32 each. */
export function adamConstants(s: AdamStep): AdamConstants {
  if (!(Number.isInteger(s.t) && s.t >= 1))
    throw new RangeError(`adam step t must be an integer >= 1, got ${s.t}`);
  return {
    beta1: fround(s.beta1),
    oneMinusBeta1: fround(1 - s.beta1),
    beta2: fround(s.beta2),
    oneMinusBeta2: fround(1 - s.beta2),
    stepSize: fround(s.lr / (1 - Math.pow(s.beta1, s.t))),
    sqrtC2: fround(Math.sqrt(1 - Math.pow(s.beta2, s.t))),
    eps: fround(s.eps),
  };
}

/** Elements [i0, i1) of P, M, V updated from G; pointers are byte offsets of element 0. */
export function adamJs(
  h: HeapViews,
  p: number,
  g: number,
  m: number,
  v: number,
  i0: number,
  i1: number,
  b1: number,
  c1: number,
  b2: number,
  c2: number,
  stepSize: number,
  sqrtC2: number,
  eps: number,
): void {
  const f32 = h.f32;
  const pw = p >>> 2;
  const gw = g >>> 2;
  const mw = m >>> 2;
  const vw = v >>> 2;
  for (let i = i0; i < i1; i++) {
    const gi = f32[gw + i];
    const mi = fround(fround(b1 * f32[mw + i]) + fround(c1 * gi));
    const vi = fround(fround(b2 * f32[vw + i]) + fround(fround(c2 * gi) * gi));
    f32[mw + i] = mi;
    f32[vw + i] = vi;
    const denom = fround(fround(fround(Math.sqrt(vi)) / sqrtC2) + eps);
    f32[pw + i] = fround(f32[pw + i] - fround(fround(stepSize * mi) / denom));
  }
}
