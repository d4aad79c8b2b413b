import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  logGamma,
  normalSf,
  pairedTTest,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTTwoSided,
  wilcoxonSignedRank,
} from '../../../src/eval/significance.js';

/** |actual - expected| within `rel` of expected (or of 1 near zero). */
function close(actual: number, expected: number, rel = 1e-9, what = '') {
  const tol = rel * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} != ${expected} (tol ${tol})`);
}

// Student's sleep data (Cushny & Peebles 1905, R's `sleep`): extra hours of sleep, two drugs,
// the same ten patients. R: t.test(extra ~ group, paired = TRUE) gives t = -4.0621, df = 9,
// p-value = 0.002833; wilcox.test(..., paired = TRUE, correct = FALSE) p-value = 0.007632.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

test('paired t-test on the sleep data: t 4.0621 on 9 df, p 0.002833, d_z 1.2846', () => {
  const r = pairedTTest(drug2, drug1);
  assert.equal(r.n, 10);
  assert.equal(r.df, 9);
  close(r.meanDifference, 1.58, 1e-12, 'mean');
  close(r.t, 4.062127683382037, 1e-9, 't'); // scipy.stats.ttest_rel
  close(r.p, 0.002832890197384273, 1e-8, 'p');
  close(r.cohensD, 1.2845575625910546, 1e-9, 'd');
  // swapping the runs flips the sign, not the p-value
  const s = pairedTTest(drug1, drug2);
  close(s.t, -r.t, 1e-12);
  close(s.p, r.p, 1e-12);
});

test('Wilcoxon on the sleep data: the zero dropped, ties averaged, z -2.6679, p 0.007632', () => {
  const r = wilcoxonSignedRank(drug2, drug1);
  assert.equal(r.zeros, 1);
  assert.equal(r.n, 9);
  assert.equal(r.wMinus, 0);
  assert.equal(r.wPlus, 45);
  assert.equal(r.statistic, 0);
  close(r.z, -2.6679112502793854, 1e-6, 'z'); // scipy.stats.wilcoxon(method='approx')
  close(r.p, 0.007632441648205508, 1e-6, 'p');
  assert.equal(r.rankBiserial, 1);
});

test('Wilcoxon on the worked example of Wikipedia: ten pairs give W+ 27, W- 18, p 0.5936', () => {
  // Wikipedia's worked example (one zero pair, tied |d| of 5 and of 15)
  const x = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135];
  const y = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145];
  const r = wilcoxonSignedRank(x, y);
  assert.equal(r.n, 9);
  assert.equal(r.wPlus, 27);
  assert.equal(r.wMinus, 18);
  assert.equal(r.statistic, 18);
  close(r.p, 0.5936305914425295, 1e-6, 'p');
  close(r.rankBiserial, 0.2, 1e-12);
  const t = pairedTTest(x, y);
  close(t.t, 0.6362966894762422, 1e-9);
  close(t.p, 0.5404255793265436, 1e-8);
});

test('no differences at all: p 1; identical non-zero differences: p 0', () => {
  assert.equal(pairedTTest([1, 2, 3], [1, 2, 3]).p, 1);
  assert.equal(wilcoxonSignedRank([1, 2, 3], [1, 2, 3]).p, 1);
  const shift = pairedTTest([2, 3, 4], [1, 2, 3]);
  assert.equal(shift.p, 0);
  assert.equal(shift.t, Infinity);
  assert.throws(() => pairedTTest([1], [2]), /at least 2 pairs/);
  assert.throws(() => pairedTTest([1, 2], [2]), /equal lengths/);
});

test('distribution functions agree with scipy', () => {
  close(regularizedIncompleteBeta(2, 3, 0.4), 0.5248, 1e-12, 'I(2,3,0.4)'); // a polynomial
  close(regularizedIncompleteBeta(0.5, 0.5, 0.3), 0.36901011956554536, 1e-10);
  close(regularizedIncompleteBeta(10, 20, 0.2), 0.049263517304212585, 1e-10);
  close(regularizedIncompleteBeta(100, 50, 0.7), 0.8054481662277535, 1e-10);
  close(logGamma(5), Math.log(24), 1e-12, 'lnGamma(5)');
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12, 'lnGamma(1/2)');
  close(studentTCdf(1, 1), 0.75, 1e-12, 'Cauchy'); // t with 1 df is the Cauchy distribution
  close(studentTCdf(2, 5), 0.9490302605850708, 1e-10);
  close(studentTCdf(-3, 10), 0.006671827511284785, 1e-10);
  close(studentTCdf(10, 3), 0.9989358004707929, 1e-10);
  close(studentTCdf(0.5, 30), 0.6896384975574363, 1e-10);
  // many users: tens of thousands of degrees of freedom, and a far tail
  close(studentTTwoSided(3, 50_000), 0.0027011257919540414, 1e-7);
  close(studentTTwoSided(0.7, 100_000), 0.48392893284732225, 1e-7);
  const far = studentTTwoSided(40, 9);
  assert.ok(Math.abs(far / 1.8982998449339822e-11 - 1) < 1e-6, `far tail ${far}`);
  close(normalSf(0), 0.5, 1e-7);
  close(normalSf(1.96), 0.024997895148220435, 1e-8);
  close(normalSf(-2.5), 0.9937903346742238, 1e-7);
  assert.ok(Math.abs(normalSf(5) / 2.866515718791933e-7 - 1) < 2e-7, 'normal tail');
});
