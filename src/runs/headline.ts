/** The one number a run is listed by, in the CLI's `list` and the extension's tree alike. */
import type { RunRecord } from './format.js';

export const HEADLINE_METRIC = 'recall@20';

/**
 * The metric value to show: the final test value, else the last evaluated epoch's (a run that
 * is still training, or was cancelled or failed after some evaluations).
 */
export function headlineValue(r: RunRecord, metric = HEADLINE_METRIC): number | undefined {
  const final = r.summary?.metrics[metric];
  if (final !== undefined) return final;
  for (let i = r.history.length - 1; i >= 0; i--) {
    const v = r.history[i].metrics?.[metric];
    if (v !== undefined) return v;
  }
  return undefined;
}
