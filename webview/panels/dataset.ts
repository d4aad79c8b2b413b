/** Dataset inspector: figures table, log-log degree distributions, item long tail, activity over time. */
import type { TopLevelSpec } from 'vega-lite';
import type { DatasetDescription, HostMessage } from '../../extension/shared/messages.js';
import { embed, rendered } from '../chart.js';
import { app, clear, h } from '../dom.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function degreeSpec(d: DatasetDescription): TopLevelSpec {
  const values = [
    ...d.userDegrees.bins.map((b, i) => ({
      kind: 'users',
      degree: b,
      count: d.userDegrees.counts[i],
    })),
    ...d.itemDegrees.bins.map((b, i) => ({
      kind: 'items',
      degree: b,
      count: d.itemDegrees.counts[i],
    })),
  ].filter((r) => r.count > 0);
  return {
    $schema: SCHEMA,
    title: 'Degree distribution (log-log, power-of-two bins)',
    width: 'container',
    height: 220,
    data: { values },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: {
        field: 'degree',
        type: 'quantitative',
        scale: { type: 'log', base: 2 },
        title: 'degree (bin start)',
      },
      y: { field: 'count', type: 'quantitative', scale: { type: 'log' }, title: 'nodes' },
      color: { field: 'kind', type: 'nominal', title: null },
    },
  };
}

export function longTailSpec(d: DatasetDescription): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: 'Item long tail: share of interactions held by the most popular items',
    width: 'container',
    height: 200,
    data: { values: d.longTail.x.map((x, i) => ({ items: x, interactions: d.longTail.y[i] })) },
    mark: { type: 'area', line: true, opacity: 0.3, tooltip: true },
    encoding: {
      x: {
        field: 'items',
        type: 'quantitative',
        axis: { format: '%' },
        title: 'top share of items',
      },
      y: {
        field: 'interactions',
        type: 'quantitative',
        axis: { format: '%' },
        title: 'share of interactions',
      },
    },
  };
}

export function perDaySpec(p: NonNullable<DatasetDescription['perDay']>): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: 'Interactions per day',
    width: 'container',
    height: 180,
    data: { values: p.day.map((day, i) => ({ day, count: p.count[i] })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'day', type: 'temporal', title: null },
      y: { field: 'count', type: 'quantitative', title: 'interactions' },
    },
  };
}

export function mountDataset(): (m: HostMessage) => Promise<void> {
  return async (m) => {
    if (m.type !== 'dataset') return;
    const d = m.description;
    const root = app();
    clear(root);
    const table = h('table', { class: 'figures', id: 'figures' });
    for (const [k, v] of d.figures) table.append(h('tr', {}, h('th', {}, k), h('td', {}, v)));
    const degEl = h('div', { class: 'chart', id: 'degree-chart' });
    const tailEl = h('div', { class: 'chart', id: 'tail-chart' });
    const dayEl = h('div', { class: 'chart', id: 'day-chart' });
    root.append(
      h('h2', {}, d.name),
      h(
        'div',
        { class: 'split' },
        h('div', { class: 'figures-wrap' }, table),
        h('div', { class: 'charts' }, degEl, tailEl, d.perDay ? dayEl : null),
      ),
    );
    await embed(degEl, degreeSpec(d));
    await embed(tailEl, longTailSpec(d));
    if (d.perDay) await embed(dayEl, perDaySpec(d.perDay));
    else dayEl.remove();
    rendered();
  };
}
