/**
 * Paired significance tests over per-user metric values of two runs (the same users, the same
 * test items): is run A's mean better than run B's by more than the users' spread explains?
 *
 * - Paired t-test on the differences a - b: t = mean / (sd / sqrt(n)), two-sided p from
 *   Student's t with n - 1 degrees of freedom; effect size Cohen's d for paired samples
 *   (d_z = mean / sd of the differences). Matches scipy.stats.ttest_rel.
 * - Wilcoxon signed-rank on the same differences with the normal approximation: zero differences
 *   dropped ("wilcox" zero_method), tied |differences| given their average rank with the
 *   variance's tie correction, no continuity correction; effect size the matched-pairs
 *   rank-biserial correlation (W+ - W-) / (W+ + W-). Matches scipy.stats.wilcoxon(a, b,
 *   method="approx") and R's wilcox.test(a, b, paired = TRUE, correct = FALSE). Per-user
 *   metrics give hundreds to thousands of pairs, where the exact distribution is not needed.
 *
 * The distribution functions are the textbook ones (Numerical Recipes 6.1-6.4: Lanczos log-gamma,
 * the incomplete beta's continued fraction by Lentz's method, erfc's Chebyshev fit), written
 * here rather than taken from a package: about sixty lines against a dependency tree.
 */

export interface PairedTTest {
  /** pairs */
  readonly n: number;
  /** mean of a - b */
  readonly meanDifference: number;
  /** sample standard deviation of a - b (n - 1 in the denominator) */
  readonly sdDifference: number;
  readonly t: number;
  readonly df: number;
  /** two-sided */
  readonly p: number;
  /** Cohen's d for paired samples (d_z): mean / sd of the differences */
  readonly cohensD: number;
}

export interface WilcoxonTest {
  /** pairs with a non-zero difference: the ones ranked */
  readonly n: number;
  /** pairs with a - b = 0, left out */
  readonly zeros: number;
  /** sum of the ranks of positive differences (a > b) */
  readonly wPlus: number;
  /** sum of the ranks of negative differences */
  readonly wMinus: number;
  /** min(W+, W-), scipy's statistic */
  readonly statistic: number;
  readonly z: number;
  /** two-sided, normal approximation */
  readonly p: number;
  /** matched-pairs rank-biserial correlation in [-1, 1], positive when a tends to be larger */
  readonly rankBiserial: number;
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length)
    throw new RangeError(`paired samples need equal lengths, got ${a.length} and ${b.length}`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return d;
}

/** Paired t-test of a against b (two-sided); needs at least two pairs. */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTTest {
  const d = differences(a, b);
  const n = d.length;
  if (n < 2) throw new RangeError(`a paired t-test needs at least 2 pairs, got ${n}`);
  let mean = 0;
  for (const x of d) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of d) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  const df = n - 1;
  // identical differences: no spread, so either no difference at all or an infinitely sure one
  if (sd === 0) {
    const t = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
    return { n, meanDifference: mean, sdDifference: 0, t, df, p: mean === 0 ? 1 : 0, cohensD: t };
  }
  const t = mean / (sd / Math.sqrt(n));
  return {
    n,
    meanDifference: mean,
    sdDifference: sd,
    t,
    df,
    p: studentTTwoSided(t, df),
    cohensD: mean / sd,
  };
}

/** Wilcoxon signed-rank test of a against b (two-sided, normal approximation; see above). */
export function wilcoxonSignedRank(a: ArrayLike<number>, b: ArrayLike<number>): WilcoxonTest {
  const all = differences(a, b);
  const d = all.filter((x) => x !== 0);
  const n = d.length;
  const zeros = all.length - n;
  if (n === 0) return { n, zeros, wPlus: 0, wMinus: 0, statistic: 0, z: 0, p: 1, rankBiserial: 0 };
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => Math.abs(d[i]) - Math.abs(d[j]),
  );
  let wPlus = 0;
  let wMinus = 0;
  let ties = 0; // sum of t^3 - t over groups of tied |d|
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && Math.abs(d[order[end]]) === Math.abs(d[order[start]])) end++;
    const rank = (start + 1 + end) / 2; // average of ranks start+1 .. end
    for (let k = start; k < end; k++) {
      if (d[order[k]] > 0) wPlus += rank;
      else wMinus += rank;
    }
    const t = end - start;
    ties += t * t * t - t;
    start = end;
  }
  const statistic = Math.min(wPlus, wMinus);
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1) - ties / 2) / 24;
  const z = variance > 0 ? (statistic - mean) / Math.sqrt(variance) : 0;
  return {
    n,
    zeros,
    wPlus,
    wMinus,
    statistic,
    z,
    p: Math.min(1, 2 * normalSf(Math.abs(z))),
    rankBiserial: (wPlus - wMinus) / (wPlus + wMinus),
  };
}

/** P(|T| >= |t|) for Student's t with df degrees of freedom: I_{df/(df+t^2)}(df/2, 1/2). */
export function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return regularizedIncompleteBeta(df / 2, 0.5, df / (df + t * t));
}

/** Student's t cumulative distribution function. */
export function studentTCdf(t: number, df: number): number {
  const tail = studentTTwoSided(t, df) / 2;
  return t > 0 ? 1 - tail : tail;
}

/** P(Z >= z) for a standard normal Z: erfc(z / sqrt 2) / 2. */
export function normalSf(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}

/** Complementary error function, fractional error below 1.2e-7 everywhere (NR erfcc). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, about 15 digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** I_x(a, b), the regularized incomplete beta function, for a, b > 0 and x in [0, 1]. */
export function regularizedIncompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  // the continued fraction converges fast on this side of the mean; the other by symmetry
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The incomplete beta's continued fraction, by the modified Lentz method (NR betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const clamp = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / clamp(1 - ((a + b) * x) / (a + 1));
  let h = d;
  // iterations grow as sqrt(max(a, b)): 10 000 covers a t-test over 10^8 users
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / clamp(1 + aa * d);
    c = clamp(1 + aa / c);
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / clamp(1 + aa * d);
    c = clamp(1 + aa / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}
