/**
 * Running top-k over a stretch of scores in plain JS (fallback of the WebAssembly topk kernel):
 * the k best so far sit sorted, best first; an item enters only when strictly above the k-th
 * best, so with items visited in increasing id ties keep the lower id, and -Infinity and NaN
 * never enter. Insertion is O(k), fine for the k of evaluation (10 .. 100).
 */
import type { HeapViews } from './types.js';

export function topkJs(
  h: HeapViews,
  s: number,
  n: number,
  base: number,
  k: number,
  vals: number,
  idx: number,
  cnt: number,
): void {
  const { f32, i32 } = h;
  const sw = s >>> 2;
  const vw = vals >>> 2;
  const iw = idx >>> 2;
  let m = i32[cnt >>> 2];
  let thr = m < k ? -Infinity : f32[vw + k - 1];
  for (let i = 0; i < n; i++) {
    const v = f32[sw + i];
    if (!(v > thr)) continue;
    let j = m < k ? m : k - 1;
    while (j > 0 && f32[vw + j - 1] < v) {
      f32[vw + j] = f32[vw + j - 1];
      i32[iw + j] = i32[iw + j - 1];
      j--;
    }
    f32[vw + j] = v;
    i32[iw + j] = base + i;
    if (m < k) m++;
    thr = m < k ? -Infinity : f32[vw + k - 1];
  }
  i32[cnt >>> 2] = m;
}
