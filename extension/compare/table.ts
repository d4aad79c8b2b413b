/**
 * The comparison of runs: rows x metric columns with the best run per column, and its CSV.
 * Accuracy metrics and coverage are "higher is better"; timings, average recommended-item
 * popularity and the Gini index of recommendations (concentration) are "lower is better".
 */
import type { RunRecord } from '../../src/runs/format.js';
import type { ComparisonRow, ComparisonTable } from '../shared/messages.js';
import { selectionLabel } from '../../src/runs/selection.js';
import { runLabel, runSeconds } from '../views/runLabels.js';

const LOWER_IS_BETTER = new Set(['seconds', 'trainSeconds', 'evalSeconds', 'avgpop', 'gini']);

export function lowerIsBetter(column: string): boolean {
  return LOWER_IS_BETTER.has(column.split('@')[0].toLowerCase());
}

/** recall@10, recall@20, ndcg@10, ...: grouped by metric name, then by k. */
export function sortColumns(cols: Iterable<string>): string[] {
  const key = (c: string) => {
    const [name, k] = c.split('@');
    return { name, k: k === undefined ? Infinity : Number(k) };
  };
  const order = ['recall', 'ndcg', 'precision', 'hit', 'mrr', 'map'];
  const rank = (n: string) => (order.indexOf(n) < 0 ? order.length : order.indexOf(n));
  return [...new Set(cols)].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const timing = (c: string) => c.endsWith('econds');
    if (timing(a) !== timing(b)) return timing(a) ? 1 : -1;
    return rank(ka.name) - rank(kb.name) || ka.name.localeCompare(kb.name) || ka.k - kb.k;
  });
}

/** Id of the row with the best finite value in each column (first wins ties). */
export function bestPerColumn(
  rows: readonly ComparisonRow[],
  columns: readonly string[],
): Record<string, string> {
  const best: Record<string, string> = {};
  for (const c of columns) {
    let bestValue: number | undefined;
    for (const r of rows) {
      const v = r.values[c];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const better = bestValue === undefined || (lowerIsBetter(c) ? v < bestValue : v > bestValue);
      if (better) {
        bestValue = v;
        best[c] = r.id;
      }
    }
  }
  return best;
}

export function comparisonTable(runs: readonly RunRecord[]): ComparisonTable {
  const withMetrics = runs.filter((r) => r.summary);
  const metricCols = sortColumns(withMetrics.flatMap((r) => Object.keys(r.summary?.metrics ?? {})));
  const columns = [...metricCols, 'seconds'];
  const rows: ComparisonRow[] = withMetrics.map((r) => {
    const values: Record<string, number | null> = {};
    for (const c of metricCols) values[c] = r.summary?.metrics[c] ?? null;
    values.seconds = runSeconds(r) ?? null;
    return {
      id: r.id,
      // numbers chosen on test carry the mark into the table and its CSV
      label: [runLabel(r), selectionLabel(r.summary)].filter(Boolean).join(' '),
      model: r.meta?.model ?? '?',
      dataset: r.meta?.dataset ?? '?',
      values,
    };
  });
  return { columns, rows, best: bestPerColumn(rows, columns) };
}

/** RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: ComparisonTable): string {
  const head = ['id', 'name', 'model', 'dataset', ...t.columns];
  const lines = [head.map(csvField).join(',')];
  for (const r of t.rows)
    lines.push(
      [r.id, r.label, r.model, r.dataset, ...t.columns.map((c) => r.values[c] ?? null)]
        .map(csvField)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}
