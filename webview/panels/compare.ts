/**
 * Compare: the experiments table (a table per dataset and split, best per group marked,
 * parameter columns beside the metrics, each sortable, hideable and filterable; seeds folded
 * into mean ± std (n), expandable), runs picked with checkboxes, the charts following the
 * selection, a paired significance test of two checked rows, and the exports.
 */
import type { View } from 'vega';
import type { SweepTable } from '../../src/runs/sweepView.js';
import type {
  ComparePrefs,
  ExperimentGroup,
  ExperimentRow,
  ExperimentsView,
  RunAction,
  SignificanceResult,
} from '../../extension/shared/compareMessages.js';
import type { ChartFormat, HostMessage, RunSeries } from '../../extension/shared/messages.js';
import { post, setState } from '../api.js';
import { embed, rendered } from '../chart.js';
import { app, clear, h } from '../dom.js';
import {
  allColumns,
  barSpec,
  cellText,
  filterRows,
  nextSort,
  paramText,
  rowSelected,
  selectedRows,
  shownRowKeys,
  significancePair,
  sortRows,
  toggleRow,
  visibleColumns,
} from './compareTable.js';
import { mountSweepView } from './compareSweep.js';
import { curveSpec, evaluatedPart, metricRows } from './metricsSpec.js';

interface Model {
  view: ExperimentsView;
  sweeps: readonly SweepTable[];
  runs: RunSeries[];
  prefs: ComparePrefs;
  selected: Set<string>;
  expanded: Set<string>;
  text: string;
}

async function exportView(view: View, format: ChartFormat): Promise<string> {
  return format === 'svg' ? view.toSVG() : view.toImageURL('png', 2);
}

const pText = (p: number) => (p < 1e-4 ? p.toExponential(2) : p.toFixed(4));

/** The paired test's outcome: which row is ahead, both tests' p-values and effect sizes. */
export function significanceLines(r: SignificanceResult): string[] {
  const d = r.meanA - r.meanB;
  const ahead =
    d === 0 ? 'neither is ahead' : `${d > 0 ? 'A' : 'B'} is ahead by ${Math.abs(d).toFixed(4)}`;
  return [
    `${r.metric} per user over ${r.users.toLocaleString('en-US')} test users (${r.pairing}): A ${r.meanA.toFixed(4)}, B ${r.meanB.toFixed(4)}; ${ahead}.`,
    `Paired t-test: t = ${r.tTest.t.toFixed(3)} (df ${r.tTest.df}), p = ${pText(r.tTest.p)}, Cohen's d = ${r.tTest.cohensD.toFixed(3)}.`,
    `Wilcoxon signed-rank: z = ${r.wilcoxon.z.toFixed(3)}, p = ${pText(r.wilcoxon.p)}, rank-biserial r = ${r.wilcoxon.rankBiserial.toFixed(3)} (${r.wilcoxon.zeros.toLocaleString('en-US')} users tie).`,
  ];
}

/** One test's line of the significance table; the sentence behind it as its tooltip. */
const testRow = (title: string, test: string, statistic: string, p: number, effect: string) =>
  h(
    'tr',
    { title },
    h('th', {}, test),
    h('td', {}, statistic),
    h('td', { class: 'p' }, pText(p)),
    h('td', {}, effect),
  );

export function mountCompare(): (m: HostMessage) => Promise<void> {
  const root = app();
  clear(root);
  const count = h('span', { class: 'muted', id: 'compare-count' });
  const filter = h('input', {
    type: 'search',
    id: 'compare-filter',
    placeholder: 'Filter runs by name or parameter',
    'aria-label': 'Filter runs',
  });
  const columnsBox = h('div', { class: 'column-list', id: 'column-list' });
  const columns = h(
    'details',
    { class: 'columns', id: 'compare-columns' },
    h('summary', {}, 'Columns'),
    columnsBox,
  );
  const metricSelect = h('select', { id: 'significance-metric', 'aria-label': 'Metric' });
  const testButton = h(
    'button',
    { type: 'button', id: 'significance-run', disabled: true },
    'Paired test of the 2 checked rows',
  );
  const actions = h('span', { class: 'row-actions' });
  const result = h('div', { id: 'significance', class: 'significance', 'aria-live': 'polite' });
  const tableEl = h('div', { id: 'table-wrap' });
  const barEl = h('div', { class: 'chart', id: 'bar-chart' });
  const sweep = mountSweepView();
  const curveEl = h('div', { class: 'chart', id: 'curve-chart' });
  const exportButton = (label: string, what: 'csv' | 'md' | ChartFormat) => {
    const b = h('button', { type: 'button', id: `export-${what}` }, label);
    b.addEventListener('click', () => {
      if (what === 'csv' || what === 'md') post({ type: 'exportTable', format: what });
      else if (barView)
        void exportView(barView, what).then((data) =>
          post({ type: 'chartExported', format: what, data }),
        );
    });
    return b;
  };
  root.append(
    h(
      'div',
      { class: 'toolbar' },
      filter,
      columns,
      count,
      h('span', { class: 'spacer' }),
      exportButton('Export CSV', 'csv'),
      exportButton('Export Markdown', 'md'),
      exportButton('Export SVG', 'svg'),
      exportButton('Export PNG', 'png'),
    ),
    h('div', { class: 'toolbar' }, metricSelect, testButton, actions, sweep.button),
    result,
    sweep.section,
    tableEl,
    h('div', { class: 'grid2' }, barEl, curveEl),
  );
  let model: Model | undefined;
  let barView: View | undefined;

  const savePrefs = (prefs: ComparePrefs) => {
    if (!model) return;
    model.prefs = prefs;
    post({ type: 'comparePrefs', prefs });
    drawTable();
  };

  const select = (next: Set<string>) => {
    if (!model) return;
    model.selected = next;
    post({ type: 'compareSelect', runIds: [...next] });
    setState({ runIds: [...next] });
    drawTable();
    void drawCharts();
    void sweep.update(model.sweeps, next);
  };

  const runAction = (action: RunAction, runIds: readonly string[]) =>
    post({ type: 'runAction', action, runIds });

  function drawColumnList(): void {
    if (!model) return;
    const m = model;
    clear(columnsBox);
    const hidden = new Set(m.prefs.hidden);
    for (const c of allColumns(m.view)) {
      const box = h('input', { type: 'checkbox', checked: !hidden.has(c), 'data-column': c });
      box.addEventListener('change', () => {
        const next = new Set(m.prefs.hidden);
        if (box.checked) next.delete(c);
        else next.add(c);
        savePrefs({ ...m.prefs, hidden: [...next] });
      });
      columnsBox.append(h('label', {}, box, ` ${c}`));
    }
  }

  function drawActions(): void {
    if (!model) return;
    const ids = [...model.selected];
    const pair = significancePair(model.view, model.selected, model.expanded);
    testButton.disabled = !pair;
    testButton.title = pair
      ? `${pair[0].name} (A) against ${pair[1].name} (B), user by user`
      : 'Check exactly two rows (a row of several seeds counts as one)';
    clear(actions);
    const act = (label: string, action: RunAction, enabled: boolean) => {
      const b = h('button', { type: 'button', id: `action-${action}`, disabled: !enabled }, label);
      b.addEventListener('click', () => runAction(action, ids));
      actions.append(b);
    };
    act('Rename', 'rename', ids.length === 1);
    act(ids.length > 1 ? `Tag (${ids.length})` : 'Tag', 'tag', ids.length > 0);
    act('Resume', 'resume', ids.length === 1);
    act(`Delete${ids.length ? ` (${ids.length})` : ''}`, 'delete', ids.length > 0);
  }

  function drawTable(): void {
    if (!model) return;
    const m = model;
    clear(tableEl);
    const cols = visibleColumns(m.view, m.prefs);
    let shownRows = 0;
    const shownKeys: string[] = [];
    for (const g of m.view.groups) {
      const rows = sortRows(filterRows(g.rows, m.prefs.filters, m.text), m.prefs.sort);
      shownRows += rows.length;
      shownKeys.push(...shownRowKeys(rows, m.expanded));
      tableEl.append(groupTable(m, g, rows, cols));
    }
    // the exports write what is shown
    post({ type: 'tableShown', shown: { columns: cols, rows: shownKeys } });
    const total = m.view.groups.reduce((n, g) => n + g.rows.length, 0);
    const runs = m.view.groups.reduce(
      (n, g) => n + g.rows.reduce((k, r) => k + r.runIds.length, 0),
      0,
    );
    count.textContent = `${shownRows} of ${total} rows · ${m.selected.size} of ${runs} runs checked`;
    drawActions();
  }

  function groupTable(
    m: Model,
    g: ExperimentGroup,
    rows: readonly ExperimentRow[],
    cols: readonly string[],
  ): HTMLElement {
    const metricCols = new Set(m.view.metricColumns);
    const all = h('input', {
      type: 'checkbox',
      'aria-label': `Check every run of ${g.label}`,
      checked: rows.length > 0 && rows.every((r) => rowSelected(r, m.selected)),
    });
    all.addEventListener('change', () => {
      let next: Set<string> = m.selected;
      for (const r of rows) next = toggleRow(r, next, all.checked);
      select(next);
    });
    const head = h('tr', {}, h('th', { class: 'check' }, all));
    const filters = h('tr', { class: 'filters' }, h('th', {}));
    for (const c of ['name', ...cols]) {
      const active = m.prefs.sort.column === c;
      const numeric = metricCols.has(c) || g.rows.some((r) => typeof r.params[c] === 'number');
      const th = h(
        'th',
        {
          class: [active ? 'sorted' : '', numeric ? 'num' : ''].join(' ').trim() || undefined,
          tabindex: 0,
          title: `Sort by ${c}`,
          'data-column': c,
          'aria-sort': active ? (m.prefs.sort.descending ? 'descending' : 'ascending') : undefined,
        },
        c === 'name' ? 'run' : c,
        active ? (m.prefs.sort.descending ? ' ▼' : ' ▲') : '',
      );
      const go = () => savePrefs({ ...m.prefs, sort: nextSort(m.prefs.sort, c, numeric) });
      th.addEventListener('click', go);
      th.addEventListener('keydown', (e) => e.key === 'Enter' && go());
      head.append(th);
      const input = h('input', {
        type: 'text',
        class: 'column-filter',
        'data-column': c,
        value: m.prefs.filters[c] ?? '',
        placeholder: metricCols.has(c) ? '>0.1' : 'filter',
        'aria-label': `Filter ${c}`,
      });
      input.addEventListener('change', () => {
        const next = { ...m.prefs.filters };
        if (input.value.trim()) next[c] = input.value;
        else delete next[c];
        savePrefs({ ...m.prefs, filters: next });
      });
      filters.append(h('th', {}, input));
    }
    const body = h('tbody', {});
    for (const r of rows) {
      body.append(rowEl(m, r, cols, metricCols, false));
      if (r.members && m.expanded.has(r.key))
        for (const x of r.members) body.append(rowEl(m, x, cols, metricCols, true));
    }
    return h(
      'section',
      { class: 'group', 'data-group': g.label },
      h('h3', { class: 'group-label' }, g.label),
      h('table', { class: 'compare' }, h('thead', {}, head, filters), body),
    );
  }

  function rowEl(
    m: Model,
    r: ExperimentRow,
    cols: readonly string[],
    metricCols: ReadonlySet<string>,
    member: boolean,
  ): HTMLElement {
    const box = h('input', {
      type: 'checkbox',
      checked: rowSelected(r, m.selected),
      'aria-label': `Check ${r.name}`,
    });
    box.addEventListener('change', () => select(toggleRow(r, m.selected, box.checked)));
    const link = h('a', { href: '#', title: `Open the metrics of ${r.runIds[0]}` }, r.name);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      post({ type: 'openRun', id: r.runIds[0] });
    });
    const name = h('td', { class: member ? 'name member' : 'name' });
    if (r.members) {
      const open = m.expanded.has(r.key);
      const toggle = h(
        'button',
        {
          type: 'button',
          class: 'expand',
          'aria-expanded': open ? 'true' : 'false',
          title: open ? 'Fold the seeds into one row' : `Show the ${r.runIds.length} seeds`,
        },
        open ? '▾' : '▸',
      );
      toggle.addEventListener('click', () => {
        if (open) m.expanded.delete(r.key);
        else m.expanded.add(r.key);
        drawTable();
      });
      name.append(toggle, ' ');
    }
    name.append(link);
    if (r.status !== 'done') name.append(h('span', { class: 'muted' }, ` (${r.status})`));
    const tr = h(
      'tr',
      { 'data-row': r.key, class: member ? 'member' : undefined },
      h('td', { class: 'check' }, box),
      name,
    );
    for (const c of cols) {
      if (metricCols.has(c)) {
        const best = r.best.includes(c);
        tr.append(
          h(
            'td',
            {
              class: best ? 'num best' : 'num',
              title: best ? 'best of this dataset and split' : undefined,
            },
            cellText(r.metrics[c]),
            best ? ' ★' : '',
          ),
        );
      } else {
        const v = r.params[c];
        tr.append(h('td', { class: typeof v === 'number' ? 'num' : undefined }, paramText(c, v)));
      }
    }
    return tr;
  }

  function drawMetricSelect(): void {
    if (!model) return;
    const keep = metricSelect.value;
    clear(metricSelect);
    // per-user values are saved for recall and ndcg
    const perUser = model.view.metricColumns.filter((c) => /^(recall|ndcg)@/.test(c));
    for (const c of perUser) metricSelect.append(h('option', { value: c }, c));
    metricSelect.value = perUser.includes(keep)
      ? keep
      : (perUser.find((c) => c === 'recall@20') ?? perUser[0] ?? '');
  }

  async function drawCharts(): Promise<void> {
    if (!model) return;
    const picked = selectedRows(model.view, model.selected);
    barView = (await embed(barEl, barSpec(picked, model.view.metricColumns))).view;
    const ids = model.selected;
    const series = model.runs.filter((r) => ids.has(r.id));
    const metric =
      model.view.metricColumns.find((c) => c === 'recall@20') ??
      model.view.metricColumns[0] ??
      'recall@20';
    await embed(curveEl, {
      ...curveSpec(`Learning curves: ${metric}${evaluatedPart(series)}`, metric),
      data: { values: metricRows(series, metric) },
    });
    rendered();
  }

  function showSignificance(r: SignificanceResult | undefined, error: string | undefined): void {
    clear(result);
    if (error) {
      result.className = 'significance error';
      result.append(h('p', {}, error));
      return;
    }
    if (!r) return;
    result.className = 'significance';
    const [summary, t, w] = significanceLines(r);
    result.append(
      h('h4', {}, `Paired test: A = ${r.a}, B = ${r.b}`),
      h('p', {}, summary),
      h(
        'table',
        { class: 'figures', id: 'significance-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'test'),
            h('th', {}, 'statistic'),
            h('th', {}, 'p-value'),
            h('th', {}, 'effect size'),
          ),
        ),
        h(
          'tbody',
          {},
          testRow(
            t,
            'paired t-test',
            `t = ${r.tTest.t.toFixed(3)}`,
            r.tTest.p,
            `d = ${r.tTest.cohensD.toFixed(3)}`,
          ),
          testRow(
            w,
            'Wilcoxon signed-rank',
            `z = ${r.wilcoxon.z.toFixed(3)}`,
            r.wilcoxon.p,
            `r = ${r.wilcoxon.rankBiserial.toFixed(3)}`,
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted' },
        'Two-sided p-values over the users both runs were tested on; rows of several seeds use each user\u2019s mean over the seeds.',
      ),
    );
  }

  filter.addEventListener('input', () => {
    if (!model) return;
    model.text = filter.value;
    drawTable();
  });
  testButton.addEventListener('click', () => {
    if (!model) return;
    const pair = significancePair(model.view, model.selected, model.expanded);
    if (!pair) return;
    clear(result);
    result.append(h('p', { class: 'muted' }, 'Reading the per-user values…'));
    post({
      type: 'requestSignificance',
      a: pair[0].runIds,
      b: pair[1].runIds,
      metric: metricSelect.value,
    });
  });

  return async (m) => {
    if (m.type === 'exportChart') {
      if (!barView) throw new Error('the chart has not rendered yet');
      post({ type: 'chartExported', format: m.format, data: await exportView(barView, m.format) });
      return;
    }
    if (m.type === 'significance') {
      showSignificance(m.result, m.error);
      return;
    }
    if (m.type === 'showSweep') {
      await sweep.open(m.id);
      return;
    }
    if (m.type !== 'compare') return;
    model = {
      view: m.view,
      sweeps: m.sweeps,
      runs: m.runs,
      // the panel is where prefs change: a refresh posted before the host stored the last
      // change (a run's files changing under a filter being typed) must not undo it
      prefs: model?.prefs ?? m.prefs,
      selected: new Set(m.selected),
      expanded: model?.expanded ?? new Set(),
      text: model?.text ?? '',
    };
    drawColumnList();
    drawMetricSelect();
    drawTable();
    await drawCharts();
    await sweep.update(m.sweeps, model.selected);
  };
}
