/**
 * Plain statistics over degree arrays: percentiles, Gini, power-of-two histograms and the
 * popularity long tail. Pure functions over numbers; describe.ts puts them together.
 */

export interface Percentiles {
  readonly min: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Percentile of ascending `sorted` by linear interpolation between ranks (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function percentiles(values: ArrayLike<number>): Percentiles {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  return {
    min: n ? s[0] : 0,
    p25: quantile(s, 0.25),
    p50: quantile(s, 0.5),
    p75: quantile(s, 0.75),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    max: n ? s[n - 1] : 0,
    mean: n ? sum / n : 0,
  };
}

/**
 * Gini coefficient of non-negative values: 0 when all are equal, towards 1 when one holds
 * everything. G = sum_i (2i - n - 1) x_i / (n sum x), x ascending, i from 1.
 */
export function gini(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    sum += s[i];
    weighted += (2 * (i + 1) - n - 1) * s[i];
  }
  return n === 0 || sum === 0 ? 0 : weighted / (n * sum);
}

export interface HistogramBin {
  readonly degreeFrom: number;
  readonly degreeTo: number;
  readonly count: number;
}

/**
 * Counts of degrees in bins [1,1], [2,3], [4,7], ... (powers of two, for a log-log chart),
 * with a [0,0] bin first when some degree is 0. Bins up to the largest degree, empty ones kept
 * so the x axis is regular.
 */
export function log2Histogram(degrees: ArrayLike<number>): HistogramBin[] {
  let max = 0;
  let zeros = 0;
  for (let i = 0; i < degrees.length; i++) {
    if (degrees[i] > max) max = degrees[i];
    if (degrees[i] === 0) zeros++;
  }
  const nBins = max > 0 ? Math.floor(Math.log2(max)) + 1 : 0;
  const counts = new Array<number>(nBins).fill(0);
  for (let i = 0; i < degrees.length; i++) {
    if (degrees[i] > 0) counts[Math.floor(Math.log2(degrees[i]))]++;
  }
  const bins = counts.map((count, b) => ({
    degreeFrom: 2 ** b,
    degreeTo: 2 ** (b + 1) - 1,
    count,
  }));
  return zeros > 0 ? [{ degreeFrom: 0, degreeTo: 0, count: zeros }, ...bins] : bins;
}

export interface LongTailPoint {
  /** the most popular `items` items ... */
  readonly items: number;
  /** ... are this share of all items ... */
  readonly itemShare: number;
  /** ... and hold this share of all interactions */
  readonly interactionShare: number;
}

/** Cumulative interaction share of items sorted by popularity, at about `points` points. */
export function longTail(degrees: ArrayLike<number>, points = 50): LongTailPoint[] {
  const n = degrees.length;
  const s = Float64Array.from(degrees).sort().reverse();
  let total = 0;
  for (let i = 0; i < n; i++) total += s[i];
  const out: LongTailPoint[] = [];
  let cum = 0;
  let next = 0;
  for (let k = 1; k <= Math.min(points, n); k++) {
    const upto = Math.ceil((k / Math.min(points, n)) * n);
    while (next < upto) cum += s[next++];
    out.push({ items: upto, itemShare: upto / n, interactionShare: total > 0 ? cum / total : 0 });
  }
  return out;
}
