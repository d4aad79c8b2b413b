/** Chart series for the dataset inspector, computed from interactions as compact columns. */
import { idCounts } from '../../src/data/csr.js';
import type { SplitDescription } from '../../src/data/describe.js';
import type { Interactions } from '../../src/data/types.js';
import type { DatasetDescription, Histogram, SplitSizes } from '../shared/messages.js';
import { figureLabel, figureValue } from './figureLabels.js';

/** Degree histogram with power-of-two bins [1,2), [2,4), [4,8), ...; degree 0 is left out (log axes). */
export function powerOfTwoHistogram(degrees: Int32Array): Histogram {
  const counts: number[] = [];
  for (const d of degrees) {
    if (d <= 0) continue;
    const b = 31 - Math.clz32(d);
    while (counts.length <= b) counts.push(0);
    counts[b]++;
  }
  return { bins: counts.map((_, i) => 2 ** i), counts };
}

/** Cumulative share of interactions held by the top x share of items, at up to `points` points. */
export function longTailCurve(itemDegrees: Int32Array, points = 200): { x: number[]; y: number[] } {
  const sorted = Int32Array.from(itemDegrees).sort().reverse();
  const total = sorted.reduce((s, d) => s + d, 0);
  const n = sorted.length;
  const x: number[] = [0];
  const y: number[] = [0];
  if (n === 0 || total === 0) return { x, y };
  const step = Math.max(1, Math.floor(n / points));
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += sorted[i];
    if ((i + 1) % step === 0 || i === n - 1) {
      x.push((i + 1) / n);
      y.push(acc / total);
    }
  }
  return { x, y };
}

/** Interactions per UTC day, when timestamps look like Unix seconds or milliseconds. */
export function perDay(
  timestamps: Float64Array | undefined,
): { day: string[]; count: number[] } | undefined {
  if (!timestamps || timestamps.length === 0) return undefined;
  const counts = new Map<number, number>();
  let min = Infinity;
  for (const t of timestamps) if (t < min) min = t;
  // Heuristic on the unit: values above 1e11 are milliseconds (1e11 s is year 5138).
  const ms = min > 1e11 ? 1 : 1000;
  for (const t of timestamps) {
    const d = Math.floor((t * ms) / 86400000);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const days = [...counts.keys()].sort((a, b) => a - b);
  if (days.length < 2) return undefined;
  return {
    day: days.map((d) => new Date(d * 86400000).toISOString().slice(0, 10)),
    count: days.map((d) => counts.get(d) ?? 0),
  };
}

/**
 * Scalars of describe()'s result as [label, value, what it means] rows, nested objects read
 * as "a.b" keys (see figureLabels.ts); arrays (series) skipped.
 */
export function flattenFigures(
  x: unknown,
  prefix = '',
  out: Array<[string, string, string]> = [],
): Array<[string, string, string]> {
  const row = (value: string) => {
    const { label, tip } = figureLabel(prefix);
    out.push([label, value, tip]);
  };
  if (typeof x === 'number') row(figureValue(prefix, x));
  else if (typeof x === 'string' || typeof x === 'boolean') row(String(x));
  else if (typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x)) {
    for (const [k, v] of Object.entries(x)) flattenFigures(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** The split chart's numbers from describe()'s split figures (absent without a given split). */
export function splitSizes(
  split: SplitDescription | undefined,
  users: number,
): SplitSizes | undefined {
  if (!split) return undefined;
  return {
    train: split.train,
    ...(split.valid !== undefined ? { valid: split.valid } : {}),
    test: split.test,
    testUsers: split.testUsers,
    users,
  };
}

export function describeInteractions(
  name: string,
  figures: Array<[string, string, string]>,
  all: Interactions,
  split?: SplitSizes,
): DatasetDescription {
  const ud = idCounts(all.nUsers, all.users);
  const id = idCounts(all.nItems, all.items);
  const day = perDay(all.timestamps);
  return {
    name,
    figures,
    userDegrees: powerOfTwoHistogram(ud),
    itemDegrees: powerOfTwoHistogram(id),
    longTail: longTailCurve(id),
    ...(day ? { perDay: day } : {}),
    ...(split ? { split } : {}),
  };
}
