/** Comparison: sortable runs x metrics table (best per column marked), grouped bars, overlaid curves. */
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type {
  ChartFormat,
  ComparisonTable,
  HostMessage,
  RunSeries,
} from '../../extension/shared/messages.js';
import { post } from '../api.js';
import { embed, rendered } from '../chart.js';
import { app, clear, fmt, h } from '../dom.js';
import { curveSpec, evaluatedPart, metricRows } from './metricsSpec.js';

export interface SortState {
  readonly column: string;
  readonly descending: boolean;
}

/** Rows sorted by a column ("label" or a metric); missing values last either way. */
export function sortRows(t: ComparisonTable, s: SortState): ComparisonTable['rows'] {
  const val = (r: ComparisonTable['rows'][number]) =>
    s.column === 'label' ? r.label : r.values[s.column];
  return [...t.rows].sort((a, b) => {
    const x = val(a);
    const y = val(b);
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const c =
      typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return s.descending ? -c : c;
  });
}

/** One small bar chart per metric (own y scale: recall and hit rate differ by 10x), runs side by side. */
export function barSpec(t: ComparisonTable): TopLevelSpec {
  const metrics = t.columns.filter((c) => c.includes('@'));
  const values = t.rows.flatMap((r) =>
    metrics
      .map((m) => ({ run: r.label, metric: m, value: r.values[m] }))
      .filter((v) => v.value !== null),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Test metrics per run',
    data: { values },
    columns: 4,
    facet: { field: 'metric', type: 'nominal', title: null, sort: metrics },
    spec: {
      width: Math.max(60, 22 * t.rows.length),
      height: 90,
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
    resolve: { scale: { y: 'independent' } },
  };
}

function renderTable(
  el: HTMLElement,
  t: ComparisonTable,
  sort: SortState,
  onSort: (s: SortState) => void,
): void {
  clear(el);
  const head = h('tr', {});
  const cols = ['label', 'model', ...t.columns];
  for (const c of cols) {
    const active = sort.column === c;
    const th = h(
      'th',
      { class: active ? 'sorted' : undefined, tabindex: 0, title: 'Sort' },
      c === 'label' ? 'run' : c,
      active ? (sort.descending ? ' ▼' : ' ▲') : '',
    );
    if (c !== 'model') {
      const go = () => onSort({ column: c, descending: active ? !sort.descending : c !== 'label' });
      th.addEventListener('click', go);
      th.addEventListener('keydown', (e) => e.key === 'Enter' && go());
    }
    head.append(th);
  }
  const body = h('tbody', {});
  for (const r of sortRows(t, sort)) {
    const link = h('a', { href: '#', title: r.id }, r.label);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      post({ type: 'openRun', id: r.id });
    });
    const tr = h('tr', {}, h('td', {}, link), h('td', {}, r.model));
    for (const c of t.columns) {
      const best = t.best[c] === r.id && t.rows.length > 1;
      tr.append(
        h(
          'td',
          { class: best ? 'num best' : 'num', title: best ? 'best in this column' : undefined },
          fmt(r.values[c], c === 'seconds' ? 1 : 4),
          best ? ' ★' : '',
        ),
      );
    }
    body.append(tr);
  }
  el.append(h('table', { class: 'compare', id: 'compare-table' }, h('thead', {}, head), body));
}

async function exportView(view: View, format: ChartFormat): Promise<string> {
  return format === 'svg' ? view.toSVG() : view.toImageURL('png', 2);
}

export function mountCompare(): (m: HostMessage) => Promise<void> {
  const root = app();
  clear(root);
  const tableEl = h('div', { id: 'table-wrap' });
  const barEl = h('div', { class: 'chart', id: 'bar-chart' });
  const curveEl = h('div', { class: 'chart', id: 'curve-chart' });
  const button = (label: string, what: 'csv' | ChartFormat) => {
    const b = h('button', { type: 'button', id: `export-${what}` }, label);
    b.addEventListener('click', () => {
      if (what !== 'csv' && barView) {
        void exportView(barView, what).then((data) =>
          post({ type: 'chartExported', format: what, data }),
        );
      } else post({ type: 'requestExport', what });
    });
    return b;
  };
  root.append(
    h(
      'div',
      { class: 'toolbar' },
      h('span', { class: 'muted', id: 'compare-count' }),
      button('Export CSV', 'csv'),
      button('Export SVG', 'svg'),
      button('Export PNG', 'png'),
    ),
    tableEl,
    h('div', { class: 'grid2' }, barEl, curveEl),
  );
  let sort: SortState = { column: 'recall@20', descending: true };
  let barView: View | undefined;
  let last: { table: ComparisonTable; runs: RunSeries[] } | undefined;

  const drawTable = () =>
    last && renderTable(tableEl, last.table, sort, (s) => ((sort = s), drawTable()));
  return async (m) => {
    if (m.type === 'exportChart') {
      if (!barView) throw new Error('the chart has not rendered yet');
      post({ type: 'chartExported', format: m.format, data: await exportView(barView, m.format) });
      return;
    }
    if (m.type !== 'compare') return;
    last = { table: m.table, runs: m.runs };
    if (!m.table.columns.includes(sort.column) && sort.column !== 'label')
      sort = { column: m.table.columns[0] ?? 'label', descending: true };
    const count = document.getElementById('compare-count');
    if (count)
      count.textContent = `${m.table.rows.length} run${m.table.rows.length === 1 ? '' : 's'}`;
    drawTable();
    barView = (await embed(barEl, barSpec(m.table))).view;
    const metric =
      m.table.columns.find((c) => c === 'recall@20') ?? m.table.columns[0] ?? 'recall@20';
    const curve = await embed(curveEl, {
      ...curveSpec(`Learning curves: ${metric}${evaluatedPart(m.runs)}`, metric),
      data: { values: metricRows(m.runs, metric) },
    });
    void curve;
    rendered();
  };
}
