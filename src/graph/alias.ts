/**
 * Walker's alias method (Walker, ACM TOMS 1977) built by Vose's algorithm (IEEE TSE 1991):
 * after O(n) set-up, a draw from a fixed discrete distribution over n outcomes costs two uniform
 * numbers and one comparison. For node-level distributions drawn from millions of times, such as
 * skip-gram's negatives from the unigram distribution raised to 0.75 (Mikolov et al., 2013).
 */
import type { UniformSource } from './walkStream.js';

export class AliasTable {
  /** probability of keeping column i rather than taking its alias */
  readonly keep: Float64Array;
  readonly alias: Int32Array;

  /** Weights need not sum to 1; they must be finite, non-negative, and not all zero. */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0 && Number.isFinite(w)))
        throw new RangeError(`weight ${i} is ${w}: weights must be finite and >= 0`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('an alias table needs a positive total weight');
    this.keep = new Float64Array(n);
    this.alias = new Int32Array(n);
    // scaled so the mean column is 1; columns under 1 borrow the rest from one over 1
    const scaled = Float64Array.from({ length: n }, (_, i) => (weights[i] * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.keep[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    // what is left is 1 up to rounding
    for (const i of large) this.keep[i] = 1;
    for (const i of small) this.keep[i] = 1;
    for (let i = 0; i < n; i++) if (this.keep[i] === 1) this.alias[i] = i;
  }

  get size(): number {
    return this.keep.length;
  }

  /** One outcome in [0, n). */
  sample(rng: UniformSource): number {
    const n = this.keep.length;
    const i = Math.min(n - 1, Math.floor(rng.next() * n));
    return rng.next() < this.keep[i] ? i : this.alias[i];
  }

  /** The probability of each outcome that the table encodes (for checks). */
  probabilities(): Float64Array {
    const n = this.keep.length;
    const prob = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      prob[i] += this.keep[i] / n;
      prob[this.alias[i]] += (1 - this.keep[i]) / n;
    }
    return prob;
  }
}
