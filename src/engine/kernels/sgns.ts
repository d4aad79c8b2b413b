/**
 * Skip-gram with negative sampling over a block of walks, word2vec's SGD update, in plain JS:
 * the bit-identical twin of the WebAssembly `sgns` kernel (../wasm/kernels.wat). Mikolov et al.,
 * "Distributed Representations of Words and Phrases", NIPS 2013; word2vec.c's skip-gram loop.
 *
 * For walk k of the block (k in [k0, k1), ending at its first -1) at rate
 * lr_k = max(lrMin, lrStart - k lrStep), every center j and every context m with
 * 0 < |m - j| <= window, in that order, is one pair: with h = INPUT[walk[j]] and, for the
 * context (label 1) then `negatives` nodes drawn from TABLE (label 0; one equal to the context
 * is skipped, as word2vec.c does), o = OUTPUT[target]:
 *   x = <h, o>;  g = (label - sigma(x)) lr_k;  e += g o;  o += g h      (targets in turn)
 *   h += e                                                            (after the last target)
 * and the pair's loss -log sigma(x) (label 1) or -log sigma(-x) (label 0) is summed into
 * LOSS[0] (float64), the pairs counted in LOSS[1].
 *
 * sigma and the loss come from tables (sgnsTables) over [-16, 16] in steps of 1/256 with linear
 * interpolation, 1 and 0 (loss 0 and -x) outside: WebAssembly has no exp, and word2vec.c reads
 * its sigmoid from a table too (1000 steps over [-6, 6], none between). Here the interpolation
 * is within 2e-7 of sigma and 5e-7 of the loss, float32's own rounding.
 *
 * Negatives: draw c (1, 2, ...) of the walk at position p = pos0 + k is
 * TABLE[mix(key + c * golden) mod tableSize], key = mix(p ^ seed) (the lowbias32 hash of the
 * dropout mask): it depends on the walk's position alone, so any split of the walks between
 * threads draws the same negatives.
 *
 * Every float operation is rounded to float32 (Math.fround) in the WebAssembly kernel's order:
 * dots as dot16Js, the updates elementwise.
 */
import { mix } from './layerOps.js';
import type { HeapViews } from './types.js';

const fround = Math.fround;

/** The tables cover [-SGNS_RANGE, SGNS_RANGE] in steps of 1 / SGNS_STEPS_PER_UNIT. */
export const SGNS_RANGE = 16;
export const SGNS_STEPS_PER_UNIT = 256;
/** entries per table: the steps and both ends, plus one for an index rounded up to the end */
export const SGNS_TABLE_ENTRIES = 2 * SGNS_RANGE * SGNS_STEPS_PER_UNIT + 2;
const GOLDEN = 0x9e3779b9 | 0;

/**
 * The kernel's lookup tables, float32 from float64: sigma(x) at [0, ENTRIES), then
 * softplus(-x) = -log sigma(x) at [ENTRIES, 2 ENTRIES), x = i / 256 - 16.
 */
export function sgnsTables(): Float32Array {
  const n = SGNS_TABLE_ENTRIES;
  const t = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const x = i / SGNS_STEPS_PER_UNIT - SGNS_RANGE;
    t[i] = 1 / (1 + Math.exp(-x));
    t[n + i] = x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
  }
  return t;
}

/** Negative draw c (from 1) of the walk at position p: its index into the table. */
export function sgnsDraw(seed: number, p: number, c: number, tableSize: number): number {
  const key = mix((p ^ seed) | 0);
  return mix((key + Math.imul(c, GOLDEN)) | 0) % tableSize;
}

const lanes = new Float64Array(16);

/**
 * <A, B> over d floats at word offsets a, b, as the WebAssembly $dot16 sums: 16 lanes over
 * blocks of 16 floats (four f32x4 sums, so that adds need not wait on one another), the
 * remaining quads into lanes 0-3, the four sums added as (s0 + s1) + (s2 + s3), the lanes as
 * (l0 + l1) + (l2 + l3), then the remaining floats one by one.
 */
export function dot16Js(f32: Float32Array, a: number, b: number, d: number): number {
  lanes.fill(0);
  let k = 0;
  for (; k + 16 <= d; k += 16)
    for (let i = 0; i < 16; i++)
      lanes[i] = fround(lanes[i] + fround(f32[a + k + i] * f32[b + k + i]));
  for (; k + 4 <= d; k += 4)
    for (let i = 0; i < 4; i++)
      lanes[i] = fround(lanes[i] + fround(f32[a + k + i] * f32[b + k + i]));
  const l = (i: number) =>
    fround(fround(lanes[i] + lanes[4 + i]) + fround(lanes[8 + i] + lanes[12 + i]));
  let s = fround(fround(l(0) + l(1)) + fround(l(2) + l(3)));
  for (; k < d; k++) s = fround(s + fround(f32[a + k] * f32[b + k]));
  return s;
}

/** Pointers are byte offsets; see the header for what each argument is. */
export function sgnsJs(
  h: HeapViews,
  walks: number,
  length: number,
  k0: number,
  k1: number,
  window: number,
  input: number,
  output: number,
  dim: number,
  table: number,
  tableSize: number,
  negatives: number,
  seed: number,
  pos0: number,
  lrStart: number,
  lrStep: number,
  lrMin: number,
  tables: number,
  scratch: number,
  loss: number,
): void {
  const { f32, i32 } = h;
  const ww = walks >>> 2;
  const inw = input >>> 2;
  const outw = output >>> 2;
  const tw = table >>> 2;
  const sw = scratch >>> 2;
  const sig = tables >>> 2;
  const sp = sig + SGNS_TABLE_ENTRIES;
  let lossSum = 0;
  let pairs = 0;
  for (let k = k0; k < k1; k++) {
    const at = ww + k * length;
    let n = 0;
    while (n < length && i32[at + n] >= 0) n++;
    const lr = Math.max(lrMin, fround(lrStart - fround(k * lrStep)));
    const key = mix(((pos0 + k) ^ seed) | 0);
    let c = 0;
    for (let j = 0; j < n; j++) {
      const hw = inw + i32[at + j] * dim;
      const hi = Math.min(n - 1, j + window);
      for (let m = Math.max(0, j - window); m <= hi; m++) {
        if (m === j) continue;
        const context = i32[at + m];
        f32.fill(0, sw, sw + dim);
        for (let s = -1; s < negatives; s++) {
          let target = context;
          if (s >= 0) {
            c++;
            target = i32[tw + (mix((key + Math.imul(c, GOLDEN)) | 0) % tableSize)];
            if (target === context) continue;
          }
          const ow = outw + target * dim;
          const x = dot16Js(f32, hw, ow, dim);
          let sigma: number;
          let l: number;
          if (x >= SGNS_RANGE) {
            sigma = 1;
            l = 0;
          } else if (x > -SGNS_RANGE) {
            const t = fround(fround(x + SGNS_RANGE) * SGNS_STEPS_PER_UNIT);
            const i = t | 0;
            const f = fround(t - i);
            sigma = fround(f32[sig + i] + fround(f * fround(f32[sig + i + 1] - f32[sig + i])));
            l = fround(f32[sp + i] + fround(f * fround(f32[sp + i + 1] - f32[sp + i])));
          } else {
            sigma = 0;
            l = -x;
          }
          const label = s < 0 ? 1 : 0;
          // -log sigma(-x) = -log sigma(x) + x
          lossSum += label ? l : fround(l + x);
          const g = fround(fround(label - sigma) * lr);
          for (let d = 0; d < dim; d++) {
            const o = f32[ow + d];
            f32[sw + d] = f32[sw + d] + fround(g * o);
            f32[ow + d] = o + fround(g * f32[hw + d]);
          }
        }
        for (let d = 0; d < dim; d++) f32[hw + d] = f32[hw + d] + f32[sw + d];
        pairs++;
      }
    }
  }
  const out = new Float64Array(f32.buffer, loss, 2);
  out[0] = lossSum;
  out[1] = pairs;
}
