/** Metric names, their `name@K` result keys, and cut-off lists as users type them. */
import { InputError } from '../util/errors.js';
import { LIST_METRICS, USER_METRICS } from './metrics.js';

/** Every metric evaluate() reports, in display order. */
export const METRICS = [...USER_METRICS, ...LIST_METRICS] as const;
export type MetricName = (typeof METRICS)[number];

/** The result key of a metric at a cut-off, e.g. metricKey('recall', 20) = 'recall@20'. */
export function metricKey(name: MetricName, k: number): string {
  return `${name}@${k}`;
}

/** Splits 'recall@20' into its metric and cut-off; undefined for any other text. */
export function parseMetricKey(key: string): { name: MetricName; k: number } | undefined {
  const m = /^([a-z]+)@(\d+)$/.exec(key);
  if (!m || !(METRICS as readonly string[]).includes(m[1])) return undefined;
  const k = Number(m[2]);
  return k >= 1 ? { name: m[1] as MetricName, k } : undefined;
}

/** Sorted, de-duplicated cut-offs; throws InputError (naming `source`) on anything else. */
export function normalizeKs(ks: readonly number[], source = 'ks'): number[] {
  if (ks.length === 0) throw new InputError({ file: source, text: '' }, 'at least one cut-off K');
  for (const k of ks)
    if (!Number.isInteger(k) || k < 1)
      throw new InputError(
        { file: source, text: String(k) },
        'cut-offs that are positive integers',
      );
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** Parses '10,20' (spaces allowed) into sorted, de-duplicated cut-offs. */
export function parseKs(text: string, source = '--ks'): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p)))
    throw new InputError(
      { file: source, text },
      'a comma-separated list of positive integers, e.g. 10,20',
    );
  return normalizeKs(parts.map(Number), source);
}
