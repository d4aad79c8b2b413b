/**
 * The Compare panel's table logic, apart from the DOM: which columns show, which rows pass the
 * filters, their order, what is selected, and the charts of the selection.
 */
import type { TopLevelSpec } from 'vega-lite';
import type {
  ComparePrefs,
  ExperimentRow,
  ExperimentsView,
  MetricCell,
  ParamValue,
  SortChoice,
} from '../../extension/shared/compareMessages.js';
import { fmt } from '../dom.js';

/** Every column of the table but the run name, parameters first. */
export function allColumns(v: ExperimentsView): string[] {
  return [...v.paramColumns, ...v.metricColumns];
}

export function visibleColumns(v: ExperimentsView, prefs: ComparePrefs): string[] {
  const hidden = new Set(prefs.hidden);
  return allColumns(v).filter((c) => !hidden.has(c));
}

/** A cell's value for sorting and filtering: a metric's mean, a parameter, or the name. */
export function cellValue(r: ExperimentRow, column: string): ParamValue {
  if (column === 'name') return r.name;
  if (column in r.metrics) return r.metrics[column].mean;
  return r.params[column] ?? null;
}

const COMPARISON = /^\s*(<=|>=|<|>|=)\s*(-?[\d.]+(?:e-?\d+)?)\s*$/i;

/**
 * Whether a value passes a column's filter: "<0.1", ">=64", "=3" compare numbers; any other
 * text matches case-insensitively as a substring. An empty filter passes everything.
 */
export function passes(value: ParamValue, filter: string): boolean {
  const f = filter.trim();
  if (!f) return true;
  const cmp = COMPARISON.exec(f);
  if (cmp && typeof value === 'number') {
    const x = Number(cmp[2]);
    switch (cmp[1]) {
      case '<':
        return value < x;
      case '<=':
        return value <= x;
      case '>':
        return value > x;
      case '>=':
        return value >= x;
      default:
        return value === x;
    }
  }
  if (value === null) return false;
  return String(value).toLowerCase().includes(f.toLowerCase());
}

/** Rows passing every column filter and the free-text filter (name or any parameter). */
export function filterRows(
  rows: readonly ExperimentRow[],
  filters: ComparePrefs['filters'],
  text: string,
): ExperimentRow[] {
  const q = text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      Object.entries(filters).every(([c, f]) => passes(cellValue(r, c), f)) &&
      (!q ||
        [r.name, ...Object.values(r.params)].some(
          (v) => v !== null && String(v).toLowerCase().includes(q),
        )),
  );
}

/** Rows in a column's order; numbers numerically, text alphabetically, empty cells last. */
export function sortRows(rows: readonly ExperimentRow[], s: SortChoice): ExperimentRow[] {
  return [...rows].sort((a, b) => {
    const x = cellValue(a, s.column);
    const y = cellValue(b, s.column);
    if (x === null) return y === null ? 0 : 1;
    if (y === null) return -1;
    const c =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return s.descending ? -c : c;
  });
}

/** A click on a header: the same column flips, another sorts metrics high-first, text A-Z. */
export function nextSort(current: SortChoice, column: string, numeric: boolean): SortChoice {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: numeric };
}

/** A parameter as read: seeds and epochs as written (2020, not 2,020), times rounded. */
export function paramText(column: string, v: ParamValue): string {
  if (v === null) return '–';
  if (typeof v !== 'number') return v;
  if (column === 'seconds') return fmt(v, 2);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** "0.1234 ± 0.0056 (3)" for seeds folded, "0.1234" for one run. */
export function cellText(c: MetricCell | undefined, digits = 4): string {
  if (!c || !Number.isFinite(c.mean)) return '–';
  const m = c.mean.toFixed(digits);
  return c.n > 1 ? `${m} ± ${c.std.toFixed(digits)} (${c.n})` : m;
}

/** The keys of the rows drawn, in order: each row, then its seeds while it is expanded. */
export function shownRowKeys(
  rows: readonly ExperimentRow[],
  expanded: ReadonlySet<string>,
): string[] {
  return rows.flatMap((r) => [
    r.key,
    ...(r.members && expanded.has(r.key) ? r.members.map((m) => m.key) : []),
  ]);
}

/** A row is checked when all its runs are. */
export function rowSelected(r: ExperimentRow, selected: ReadonlySet<string>): boolean {
  return r.runIds.every((id) => selected.has(id));
}

/** Checks or unchecks all of a row's runs. */
export function toggleRow(
  r: ExperimentRow,
  selected: ReadonlySet<string>,
  on: boolean,
): Set<string> {
  const next = new Set(selected);
  for (const id of r.runIds) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

/**
 * The two rows a paired test compares: exactly two checked rows (a folded row counts once,
 * an expanded one by its checked members); undefined otherwise.
 */
export function significancePair(
  v: ExperimentsView,
  selected: ReadonlySet<string>,
  expanded: ReadonlySet<string>,
): [ExperimentRow, ExperimentRow] | undefined {
  const picked = v.groups.flatMap((g) =>
    g.rows.flatMap((r) =>
      expanded.has(r.key) && r.members
        ? r.members.filter((m) => rowSelected(m, selected))
        : rowSelected(r, selected)
          ? [r]
          : [],
    ),
  );
  return picked.length === 2 ? [picked[0], picked[1]] : undefined;
}

/** The rows with any run selected, and their group's label where there are several groups. */
export function selectedRows(
  v: ExperimentsView,
  selected: ReadonlySet<string>,
): Array<{ label: string; row: ExperimentRow }> {
  const many = v.groups.length > 1;
  return v.groups.flatMap((g) =>
    g.rows
      .filter((r) => r.runIds.some((id) => selected.has(id)))
      .map((row) => ({
        label: many ? `${row.name} · ${g.label.split(',')[0]}` : row.name,
        row,
      })),
  );
}

/** One small bar chart per metric (own y scale), the selected rows side by side, ±std as a rule. */
export function barSpec(
  rows: ReadonlyArray<{ label: string; row: ExperimentRow }>,
  metrics: readonly string[],
): TopLevelSpec {
  const shown = metrics.filter((m) => m.includes('@'));
  const values = rows.flatMap(({ label, row }) =>
    shown
      .filter((m) => row.metrics[m] !== undefined)
      .map((m) => {
        const c = row.metrics[m];
        return { run: label, metric: m, value: c.mean, lo: c.mean - c.std, hi: c.mean + c.std };
      }),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Test metrics of the selected runs',
    data: { values },
    columns: 4,
    facet: { field: 'metric', type: 'nominal', title: null, sort: shown },
    spec: {
      width: Math.max(60, 22 * rows.length),
      height: 90,
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'run', type: 'nominal', title: null, axis: null },
            y: {
              field: 'value',
              type: 'quantitative',
              title: null,
              axis: { tickCount: 3, format: '~r' },
            },
            color: { field: 'run', type: 'nominal', title: 'run' },
          },
        },
        {
          // the spread over seeds; a single run's rule has no length
          mark: { type: 'rule' },
          encoding: {
            x: { field: 'run', type: 'nominal' },
            y: { field: 'lo', type: 'quantitative' },
            y2: { field: 'hi' },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
