/**
 * Dataset inspector: figures table, log-log degree distributions, item long tail, activity over
 * time, and the sizes of the dataset's own split when its files give one.
 */
import type { HostMessage } from '../../extension/shared/messages.js';
import { embed, rendered } from '../chart.js';
import { app, clear, h } from '../dom.js';
import { degreeSpec, longTailSpec, perDaySpec, splitSpec } from './datasetSpec.js';

export function mountDataset(): (m: HostMessage) => Promise<void> {
  return async (m) => {
    if (m.type !== 'dataset') return;
    const d = m.description;
    const root = app();
    clear(root);
    const table = h('table', { class: 'figures', id: 'figures' });
    for (const [k, v, tip] of d.figures)
      table.append(h('tr', { title: tip }, h('th', {}, k), h('td', {}, v)));
    const degEl = h('div', { class: 'chart', id: 'degree-chart' });
    const tailEl = h('div', { class: 'chart', id: 'tail-chart' });
    const dayEl = h('div', { class: 'chart', id: 'day-chart' });
    const splitEl = h('div', { class: 'chart', id: 'split-chart' });
    root.append(
      h('h2', {}, d.name),
      h(
        'div',
        { class: 'split' },
        h('div', { class: 'figures-wrap' }, table),
        h(
          'div',
          { class: 'charts' },
          d.split ? splitEl : null,
          degEl,
          tailEl,
          d.perDay ? dayEl : null,
        ),
      ),
    );
    if (d.split) await embed(splitEl, splitSpec(d.split));
    await embed(degEl, degreeSpec(d));
    await embed(tailEl, longTailSpec(d));
    if (d.perDay) await embed(dayEl, perDaySpec(d.perDay));
    else dayEl.remove();
    rendered();
  };
}
