/** Sidebar dashboard: the active run (progress and live curves) and the best runs so far. */
import type { ActiveRun, ComparisonRow, HostMessage } from '../../extension/shared/messages.js';
import { post } from '../api.js';
import { rendered } from '../chart.js';
import { fmt, h } from '../dom.js';
import { app, clear } from '../dom.js';
import { LiveChart } from './metrics.js';
import { curveSpec, lossRows, metricRows } from './metricsSpec.js';

function progress(a: ActiveRun): HTMLElement {
  const pct = a.epochs > 0 ? Math.round((100 * a.epoch) / a.epochs) : 0;
  const bar = h('div', {
    class: 'bar',
    role: 'progressbar',
    'aria-valuenow': pct,
    'aria-valuemin': 0,
    'aria-valuemax': 100,
  });
  const fill = h('div', { class: 'fill' });
  fill.style.width = `${pct}%`; // CSSOM, not a style attribute: allowed under the CSP
  bar.append(fill);
  const batch = a.batch
    ? ` · batch ${a.batch.batch}/${a.batch.batches} · loss ${fmt(a.batch.loss)}`
    : '';
  return h(
    'div',
    { class: 'active', id: 'active-run' },
    h('div', {}, h('strong', {}, a.label), ` (${a.model})`),
    h(
      'div',
      { class: 'muted' },
      `${a.phase} · epoch ${a.epoch}/${a.epochs}${batch}${a.queued ? ` · ${a.queued} queued` : ''}`,
    ),
    bar,
  );
}

function bestList(best: ComparisonRow[], metric: string): HTMLElement {
  if (best.length === 0)
    return h(
      'p',
      { class: 'muted' },
      'No finished runs yet. Run "RecLab: Train Model..." to start one.',
    );
  const ol = h('ol', { class: 'best', id: 'best-runs' });
  for (const r of best) {
    const a = h('a', { href: '#', title: r.id }, r.label);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      post({ type: 'openRun', id: r.id });
    });
    ol.append(
      h(
        'li',
        {},
        a,
        h('span', { class: 'muted' }, ` ${r.model} · ${metric} ${fmt(r.values[metric])}`),
      ),
    );
  }
  return ol;
}

export function mountDashboard(): (m: HostMessage) => Promise<void> {
  const root = app();
  clear(root);
  const activeEl = h('section', { id: 'active' });
  const lossEl = h('div', { class: 'chart small', id: 'dash-loss' });
  const metricEl = h('div', { class: 'chart small', id: 'dash-metric' });
  const bestEl = h('section', { id: 'best' });
  root.append(
    h('h3', {}, 'Training'),
    activeEl,
    lossEl,
    metricEl,
    h('h3', {}, 'Best runs'),
    bestEl,
  );
  const loss = new LiveChart(lossEl);
  const metric = new LiveChart(metricEl);
  let lastId = '';
  return async (m) => {
    if (m.type !== 'dashboard') return;
    bestEl.replaceChildren(bestList(m.best, m.metric));
    const a = m.active ?? m.last;
    if (!a) {
      activeEl.replaceChildren(h('p', { class: 'muted' }, 'Nothing is training.'));
      if (!lastId) {
        lossEl.hidden = true;
        metricEl.hidden = true;
      }
      rendered();
      return;
    }
    lastId = a.id;
    activeEl.replaceChildren(
      m.active
        ? progress(a)
        : h('p', { class: 'muted' }, `Nothing is training. Last run: ${a.label} (${a.model}).`),
    );
    lossEl.hidden = false;
    metricEl.hidden = false;
    const runs = [
      {
        id: a.id,
        label: a.label,
        model: a.model,
        dataset: '',
        status: 'running' as const,
        epochs: a.history,
      },
    ];
    const small = (title: string, y: string) => ({ ...curveSpec(title, y), height: 110 });
    await loss.show(small('loss', 'loss'), 'loss', lossRows(runs));
    await metric.show(small(m.metric, m.metric), 'metric', metricRows(runs, m.metric));
    rendered();
  };
}
