/**
 * Two runs compared user by user: their per-user metric values (peruser.bin) paired over the
 * same test users, then the paired t-test and the Wilcoxon signed-rank test of a against b.
 * Refused, with what to do instead, where pairing would mislead: another dataset or split, a
 * test set that differs (a random split with another seed), or a run without per-user values.
 */
import { join } from 'node:path';
import {
  pairedTTest,
  wilcoxonSignedRank,
  type PairedTTest,
  type WilcoxonTest,
} from '../eval/significance.js';
import { InputError } from '../util/errors.js';
import { runParams } from './experimentsTable.js';
import { FILES, type RunRecord } from './format.js';
import { readPerUser, type SavedPerUser } from './perUser.js';

export interface PairedComparison {
  readonly metric: string;
  /** users paired */
  readonly users: number;
  readonly meanA: number;
  readonly meanB: number;
  readonly tTest: PairedTTest;
  readonly wilcoxon: WilcoxonTest;
}

const nameOf = (r: RunRecord) => r.meta?.name ?? r.id;

function perUserOf(r: RunRecord): SavedPerUser {
  const saved = r.summary ? readPerUser(r) : undefined;
  if (!saved)
    throw new InputError(
      { file: join(r.dir, FILES.perUser), text: nameOf(r) },
      `per-user metrics of a finished run (runs save them when they finish; \`reclab eval\` does not): train ${nameOf(r)} again`,
    );
  return saved;
}

/** Whether two runs were tested on the same users and items. */
function sameTestSet(ua: SavedPerUser, ub: SavedPerUser): boolean {
  return (
    ua.testHash === ub.testHash &&
    ua.users.length === ub.users.length &&
    ua.users.every((u, i) => u === ub.users[i])
  );
}

/**
 * The checks of one pair on values already read: the same dataset and split, the metric saved
 * by both, and (unless `requireSameTestSet` is false) the same test users and items.
 */
function checkPair(
  a: RunRecord,
  ua: SavedPerUser,
  b: RunRecord,
  ub: SavedPerUser,
  metric: string,
  requireSameTestSet: boolean,
): { a: Float32Array; b: Float32Array } {
  const pa = runParams(a);
  const pb = runParams(b);
  if (pa.dataset !== pb.dataset || pa.split !== pb.split)
    throw new InputError(
      { file: b.dir, text: `${pb.dataset}, split ${pb.split}` },
      `a run on the same dataset and split as ${nameOf(a)} (${pa.dataset}, split ${pa.split}) for a paired test`,
    );
  if (requireSameTestSet && !sameTestSet(ua, ub))
    throw new InputError(
      { file: ub.file, text: `seed ${pb.seed ?? '?'} vs ${pa.seed ?? '?'}` },
      `the same test users and items in both runs for a paired test, but ${nameOf(a)} and ${nameOf(b)} were tested on different test sets (a random split with another seed splits anew): compare runs split with one seed, or groups of the same seeds`,
    );
  const va = ua.values[metric];
  const vb = ub.values[metric];
  if (!va || !vb) {
    const have = Object.keys(ua.values).filter((k) => k in ub.values);
    throw new InputError(
      { file: ua.file, text: metric },
      `a per-user metric both runs saved: ${have.join(', ')}`,
    );
  }
  return { a: va, b: vb };
}

/** The metric's per-user values of both runs, in the same user order; refuses what cannot pair. */
export function pairedValues(
  a: RunRecord,
  b: RunRecord,
  metric: string,
): { a: Float32Array; b: Float32Array } {
  return checkPair(a, perUserOf(a), b, perUserOf(b), metric, true);
}

const mean = (x: Float32Array) => x.reduce((s, v) => s + v, 0) / x.length;

/** Paired t-test and Wilcoxon signed-rank of run a against run b on `metric` (a - b). */
export function compareRunsPaired(a: RunRecord, b: RunRecord, metric: string): PairedComparison {
  const v = pairedValues(a, b, metric);
  return {
    metric,
    users: v.a.length,
    meanA: mean(v.a),
    meanB: mean(v.b),
    tTest: pairedTTest(v.a, v.b),
    wilcoxon: wilcoxonSignedRank(v.a, v.b),
  };
}

/** Per-user values of two groups of runs (seeds of one configuration each), paired by user. */
export interface PairedGroupValues {
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** how the values were paired, in words a table can show */
  readonly how: string;
}

function meanOver(
  values: readonly Float32Array[],
  at: readonly (readonly number[])[],
): Float64Array {
  const n = at[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (let s = 0; s < values.length; s++) for (let k = 0; k < n; k++) out[k] += values[s][at[s][k]];
  for (let k = 0; k < n; k++) out[k] /= values.length;
  return out;
}

/**
 * Each user's mean metric over a group's seeds, for two groups, paired by user. Where every run
 * was tested on one test set (a given split), any runs pair. Where each seed split anew, the
 * groups must hold the same seeds and each seed's two runs the same test set: run a_s is then
 * compared with b_s on that split, and a user's value is its mean over the seeds' splits (so
 * one user counts once, not once per seed); users missing from a split's test part are left
 * out. Refused, saying which seed, where that pairing does not exist.
 */
export function pairedGroupValues(
  a: readonly RunRecord[],
  b: readonly RunRecord[],
  metric: string,
): PairedGroupValues {
  if (a.length === 0 || b.length === 0) throw new Error('two groups of runs to compare');
  const all = [...a, ...b];
  // each run's per-user file read once
  const saved = all.map(perUserOf);
  const savedOf = new Map(all.map((r, i) => [r, saved[i]]));
  // the checks of one pair (dataset, split, metric present) for every run against the first
  for (let i = 1; i < all.length; i++) checkPair(all[0], saved[0], all[i], saved[i], metric, false);
  const oneTestSet = saved.every((s) => sameTestSet(saved[0], s));
  const seedsText = (g: readonly RunRecord[]) => g.map((r) => runParams(r).seed ?? '?').join(', ');
  if (!oneTestSet) {
    const bySeed = (g: readonly RunRecord[]) => new Map(g.map((r) => [runParams(r).seed, r]));
    const sa = bySeed(a);
    const sb = bySeed(b);
    const same =
      sa.size === a.length &&
      sb.size === b.length &&
      [...sa.keys()].every((s) => sb.has(s)) &&
      sa.size === sb.size;
    if (!same)
      throw new InputError(
        { file: b[0].dir, text: `seeds ${seedsText(b)} vs ${seedsText(a)}` },
        `the same seeds in both groups for a paired test on a split each seed draws anew (a seed's two runs then share its split): run the missing seeds`,
      );
    for (const [seed, ra] of sa) {
      const rb = sb.get(seed) as RunRecord;
      checkPair(
        ra,
        savedOf.get(ra) as SavedPerUser,
        rb,
        savedOf.get(rb) as SavedPerUser,
        metric,
        true,
      );
    }
  }
  // users in every run's test part, in the first run's order
  const present = saved.map((s) => new Map(Array.from(s.users, (u, i) => [u, i])));
  const users = Array.from(saved[0].users).filter((u) => present.every((p) => p.has(u)));
  const positions = present.map((p) => users.map((u) => p.get(u) as number));
  const values = saved.map((s) => s.values[metric]);
  const va = meanOver(values.slice(0, a.length), positions.slice(0, a.length));
  const vb = meanOver(values.slice(a.length), positions.slice(a.length));
  const seeds = a.length > 1 || b.length > 1;
  const how = oneTestSet
    ? seeds
      ? `each user's mean over the seeds, one test set`
      : `one test set`
    : `each seed's two runs on that seed's split; each user's mean over ${a.length} splits (${users.length} users in all of them)`;
  return { a: va, b: vb, how };
}
