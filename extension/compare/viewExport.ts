/**
 * The Compare panel's CSV and Markdown exports of what the table shows: the rows passing its
 * filters in its order (a folded row's seeds too while it is expanded), the columns not hidden
 * in its order. The webview reports what it shows (`tableShown`); this writes it out. Pure.
 */
import type {
  ExperimentGroup,
  ExperimentRow,
  ExperimentsView,
  MetricCell,
  ParamValue,
  TableFormat,
  TableShown,
} from '../shared/compareMessages.js';
import { csvField } from './table.js';

interface ShownGroup {
  readonly label: string;
  readonly rows: readonly ExperimentRow[];
}

/** Every row of a group, the members of folded rows included, by key. */
function rowsByKey(g: ExperimentGroup): Map<string, ExperimentRow> {
  const out = new Map<string, ExperimentRow>();
  for (const r of g.rows) {
    out.set(r.key, r);
    for (const m of r.members ?? []) out.set(m.key, m);
  }
  return out;
}

/** The groups and rows the table shows, in its order; groups with no row shown are left out. */
export function shownGroups(view: ExperimentsView, shown: TableShown): ShownGroup[] {
  return view.groups
    .map((g) => {
      const byKey = rowsByKey(g);
      const rows = shown.rows.map((k) => byKey.get(k)).filter((r) => r !== undefined);
      return { label: g.label, rows };
    })
    .filter((g) => g.rows.length > 0);
}

/** The columns shown that the view has, in the table's order (a stale name is dropped). */
function shownColumns(view: ExperimentsView, shown: TableShown): string[] {
  const known = new Set([...view.paramColumns, ...view.metricColumns]);
  return shown.columns.filter((c) => known.has(c));
}

const paramCsv = (v: ParamValue | undefined) => (v === null || v === undefined ? '' : String(v));

function paramMd(column: string, v: ParamValue | undefined): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return v;
  if (column === 'seconds') return v.toFixed(2);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

function metricMd(c: MetricCell | undefined): string {
  if (!c || !Number.isFinite(c.mean)) return '–';
  const m = c.mean.toFixed(4);
  return c.n > 1 ? `${m} ± ${c.std.toFixed(4)} (${c.n})` : m;
}

function csvLines(groups: readonly ShownGroup[], columns: readonly string[], metrics: Set<string>) {
  // a std column beside each metric only where some row shown folds seeds
  const folded = groups.some((g) => g.rows.some((r) => r.runIds.length > 1));
  const header = [
    'group',
    'run',
    'runs',
    'status',
    ...columns.flatMap((c) => (metrics.has(c) && folded ? [c, `${c} std`, `${c} n`] : [c])),
    'best',
  ];
  const rows = groups.flatMap((g) =>
    g.rows.map((r) => [
      g.label,
      r.name,
      r.runIds.join(' '),
      r.status,
      ...columns.flatMap((c) => {
        if (!metrics.has(c)) return [paramCsv(r.params[c])];
        const v = r.metrics[c];
        const mean = v === undefined ? '' : String(v.mean);
        return folded ? [mean, v ? String(v.std) : '', v ? String(v.n) : ''] : [mean];
      }),
      r.best.filter((b) => columns.includes(b)).join(' '),
    ]),
  );
  return [header, ...rows].map((r) => r.map(csvField).join(','));
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

function markdownLines(
  groups: readonly ShownGroup[],
  columns: readonly string[],
  metrics: Set<string>,
) {
  const lines: string[] = [];
  for (const g of groups) {
    const header = ['run', ...columns];
    if (lines.length) lines.push('');
    lines.push(`### ${mdCell(g.label)}`, '');
    lines.push(`| ${header.map(mdCell).join(' | ')} |`);
    lines.push(`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
    for (const r of g.rows) {
      const cells = [
        r.name,
        ...columns.map((c) => {
          if (!metrics.has(c)) return paramMd(c, r.params[c]);
          // the best of the group in bold, as the table stars it
          const t = metricMd(r.metrics[c]);
          return r.best.includes(c) ? `**${t}**` : t;
        }),
      ];
      lines.push(`| ${cells.map(mdCell).join(' | ')} |`);
    }
  }
  return lines;
}

/** The table as shown, as CSV (RFC 4180) or Markdown text ending in a line break. */
export function viewExportText(
  view: ExperimentsView,
  shown: TableShown,
  format: TableFormat,
): string {
  const groups = shownGroups(view, shown);
  const columns = shownColumns(view, shown);
  const metrics = new Set(view.metricColumns);
  const lines =
    format === 'csv' ? csvLines(groups, columns, metrics) : markdownLines(groups, columns, metrics);
  return `${lines.join('\n')}\n`;
}
