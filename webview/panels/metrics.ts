/** Learning curves: loss and a chosen ranking metric per epoch, one line per run, updated live. */
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { HostMessage, RunSeries } from '../../extension/shared/messages.js';
import { getState, setState } from '../api.js';
import { embed, mutedColour, rendered } from '../chart.js';
import { app, clear, h } from '../dom.js';
import {
  curveSpec,
  evaluatedPart,
  lossRows,
  lrRows,
  metricChoice,
  metricRows,
  paperRules,
} from './metricsSpec.js';

/** A chart whose data is replaced in place on updates (no re-embed, no flicker). */
export class LiveChart {
  private view: View | undefined;
  private key = '';
  private rows: object[] = [];

  constructor(readonly el: HTMLElement) {}

  async show(spec: TopLevelSpec, key: string, rows: object[]): Promise<void> {
    this.rows = rows;
    if (this.view && key === this.key) {
      // resize(): axis labels and legend change with the data, so the layout is redone
      await this.view.data('table', rows).resize().runAsync();
      return;
    }
    this.key = key;
    await embed(this.el, spec, 'svg', async (v) => {
      this.view = v;
      await v.data('table', this.rows).resize().runAsync();
    });
  }
}

export function mountMetrics(): (m: HostMessage) => Promise<void> {
  const root = app();
  clear(root);
  const select = h('select', { id: 'metric-select', 'aria-label': 'metric' });
  const empty = h(
    'p',
    { class: 'muted', id: 'metrics-empty' },
    'No epochs yet: the curves appear as the run trains.',
  );
  const note = h('span', { class: 'muted', id: 'metric-note', role: 'status' });
  const lossEl = h('div', { class: 'chart', id: 'loss-chart' });
  const metricEl = h('div', { class: 'chart', id: 'metric-chart' });
  const lrEl = h('div', { class: 'chart small', id: 'lr-chart' });
  lrEl.hidden = true;
  root.append(
    h('div', { class: 'toolbar' }, h('label', {}, 'Metric ', select), note),
    empty,
    lossEl,
    metricEl,
    lrEl,
  );
  const loss = new LiveChart(lossEl);
  const metric = new LiveChart(metricEl);
  const lr = new LiveChart(lrEl);
  let last: { runs: RunSeries[]; metric: string } | undefined;
  let chosen: string | undefined;

  const draw = async () => {
    if (!last) return;
    const { names, waiting } = metricChoice(last.runs, last.metric);
    const current =
      chosen && names.includes(chosen)
        ? chosen
        : names.includes(last.metric)
          ? last.metric
          : names[0];
    if (waiting) {
      clear(select);
      select.append(h('option', { value: '' }, `${last.metric} (not evaluated yet)`));
    } else if (Array.from(select.options, (o) => o.value).join() !== names.join()) {
      clear(select);
      for (const n of names) select.append(h('option', { value: n }, n));
    }
    select.disabled = waiting !== undefined;
    // no evaluation to chart: an earlier run's chart must not stay under this run's name
    metricEl.hidden = waiting !== undefined;
    note.textContent = waiting ?? '';
    if (current) select.value = current;
    empty.hidden = last.runs.some((r) => r.epochs.length > 0);
    await loss.show(curveSpec('Training loss', 'loss'), 'loss', lossRows(last.runs));
    if (current) {
      const rules = paperRules(last.runs, current);
      await metric.show(
        curveSpec(
          `${current} per evaluated epoch${evaluatedPart(last.runs)}`,
          current,
          false,
          rules,
          mutedColour(),
        ),
        `m:${current}:${JSON.stringify(rules)}`,
        metricRows(last.runs, current),
      );
    }
    const rates = lrRows(last.runs);
    lrEl.hidden = rates.length === 0;
    if (rates.length > 0)
      await lr.show({ ...curveSpec('Learning rate', 'lr'), height: 140 }, 'lr', rates);
    rendered();
  };
  select.addEventListener('change', () => {
    chosen = select.value;
    void draw();
  });
  return async (m) => {
    if (m.type !== 'metrics') return;
    // the serializer reopens the panel on what it shows now (it may have been reused)
    if (m.state) setState({ ...getState<Record<string, unknown>>(), ...m.state });
    last = { runs: m.runs, metric: m.metric };
    await draw();
  };
}
