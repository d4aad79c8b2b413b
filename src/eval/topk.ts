/**
 * Partial selection of the k best items from one row of scores, and the masking of items a
 * user must not be recommended. Both run once per user over the whole catalogue, so they
 * allocate nothing and touch each score once.
 */
import type { Csr } from '../data/types.js';

/**
 * Reusable scratch for selectTopK: a bounded heap whose root is the worst kept entry, so a
 * candidate costs one comparison against the root unless it gets in.
 */
export class TopKScratch {
  readonly scores: Float32Array;
  readonly ids: Int32Array;

  constructor(readonly k: number) {
    this.scores = new Float32Array(k);
    this.ids = new Int32Array(k);
  }
}

/**
 * Writes the ids of the k highest scores in scores[from .. from+n) to out[outAt .. outAt+k),
 * best first, ties to the lower id; items scoring -Infinity or NaN are ineligible and -1 pads
 * the rest. O(n + h log k) where h, the number of heap entries, is about k ln(n/k) for scores
 * in random order.
 */
export function selectTopK(
  scores: Float32Array,
  from: number,
  n: number,
  k: number,
  out: Int32Array,
  outAt: number,
  scratch: TopKScratch = new TopKScratch(k),
): void {
  if (scratch.k < k) throw new RangeError(`top-k scratch holds ${scratch.k} < k = ${k}`);
  const hs = scratch.scores;
  const hi = scratch.ids;
  let size = 0;
  let i = 0;
  // Fill phase: take eligible items until the heap holds k.
  for (; i < n && size < k; i++) {
    const s = scores[from + i];
    if (!(s > -Infinity)) continue;
    siftUp(hs, hi, size, s, i);
    size++;
  }
  // Threshold phase: items arrive in increasing id, so an item that only ties the worst kept
  // score loses the tie to it; strictly greater is the whole test.
  if (size === k && k > 0) {
    let threshold = hs[0];
    // Groups of 8 are tested with one short-circuit test first: almost every group loses, and
    // this runs measurably faster than a branch per item.
    for (; i + 8 <= n; i += 8) {
      const p = from + i;
      const t = threshold;
      if (!(
        scores[p] > t ||
        scores[p + 1] > t ||
        scores[p + 2] > t ||
        scores[p + 3] > t ||
        scores[p + 4] > t ||
        scores[p + 5] > t ||
        scores[p + 6] > t ||
        scores[p + 7] > t
      ))
        continue;
      for (let j = 0; j < 8; j++) {
        const s = scores[p + j];
        if (s > threshold) {
          siftDown(hs, hi, k, s, i + j);
          threshold = hs[0];
        }
      }
    }
    for (; i < n; i++) {
      const s = scores[from + i];
      if (s > threshold) {
        siftDown(hs, hi, k, s, i);
        threshold = hs[0];
      }
    }
  }
  // Pop worst-first into the back of the output so it ends best-first.
  for (let p = k - 1; p >= size; p--) out[outAt + p] = -1;
  for (let p = size - 1; p >= 0; p--) {
    out[outAt + p] = hi[0];
    const lastS = hs[p];
    const lastI = hi[p];
    if (p > 0) siftDown(hs, hi, p, lastS, lastI);
  }
}

/** a is a worse entry than b: lower score, or the same score and a higher id. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** Inserts (s, id) at slot `size` of a min-heap of `size` entries. */
function siftUp(hs: Float32Array, hi: Int32Array, size: number, s: number, id: number): void {
  let c = size;
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (!worse(s, id, hs[p], hi[p])) break;
    hs[c] = hs[p];
    hi[c] = hi[p];
    c = p;
  }
  hs[c] = s;
  hi[c] = id;
}

/** Replaces the root of a min-heap of `size` entries by (s, id) and restores heap order. */
function siftDown(hs: Float32Array, hi: Int32Array, size: number, s: number, id: number): void {
  let p = 0;
  for (;;) {
    let c = 2 * p + 1;
    if (c >= size) break;
    if (c + 1 < size && worse(hs[c + 1], hi[c + 1], hs[c], hi[c])) c++;
    if (!worse(hs[c], hi[c], s, id)) break;
    hs[p] = hs[c];
    hi[p] = hi[c];
    p = c;
  }
  hs[p] = s;
  hi[p] = id;
}

/**
 * Sets to -Infinity the scores (row at scores[at .. at+nItems)) of every item in row `user` of
 * each CSR; users past a CSR's last row have nothing there to exclude.
 */
export function maskExcluded(
  scores: Float32Array,
  at: number,
  nItems: number,
  user: number,
  exclude: readonly Csr[],
): void {
  for (const m of exclude) {
    if (user >= m.nRows) continue;
    const idx = m.indices;
    for (let p = m.indptr[user], e = m.indptr[user + 1]; p < e; p++) {
      const item = idx[p];
      if (item >= 0 && item < nItems) scores[at + item] = -Infinity;
    }
  }
}
