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

/** The metric's per-user values of both runs, in the same user order; refuses what cannot pair. */
export function pairedValues(
  a: RunRecord,
  b: RunRecord,
  metric: string,
): { a: Float32Array; b: Float32Array } {
  const pa = runParams(a);
  const pb = runParams(b);
  if (pa.dataset !== pb.dataset || pa.split !== pb.split)
    throw new InputError(
      { file: b.dir, text: `${pb.dataset}, split ${pb.split}` },
      `a run on the same dataset and split as ${nameOf(a)} (${pa.dataset}, split ${pa.split}) for a paired test`,
    );
  const ua = perUserOf(a);
  const ub = perUserOf(b);
  const sameUsers =
    ua.users.length === ub.users.length && ua.users.every((u, i) => u === ub.users[i]);
  if (ua.testHash !== ub.testHash || !sameUsers)
    throw new InputError(
      { file: ub.file, text: `seed ${pb.seed ?? '?'} vs ${pa.seed ?? '?'}` },
      `the same test users and items in both runs for a paired test, but ${nameOf(a)} and ${nameOf(b)} were tested on different test sets (a random split with another seed splits anew): compare runs split with one seed`,
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
