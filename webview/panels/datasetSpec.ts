/** The dataset inspector's chart specs, DOM-free (unit-tested in Node). */
import type { TopLevelSpec } from 'vega-lite';
import type { DatasetDescription, SplitSizes } from '../../extension/shared/messages.js';

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

export interface SplitRow {
  readonly part: string;
  readonly count: number;
  readonly unit: 'interactions' | 'users';
  /** "80.1% of interactions" */
  readonly share: string;
}

/** One bar per part (train, validation, test) and one for the users with test items. */
export function splitRows(s: SplitSizes): SplitRow[] {
  const total = s.train + (s.valid ?? 0) + s.test;
  const pct = (n: number, of: number) => `${of > 0 ? ((100 * n) / of).toFixed(1) : '0.0'}%`;
  const part = (name: string, n: number): SplitRow => ({
    part: name,
    count: n,
    unit: 'interactions',
    share: `${pct(n, total)} of interactions`,
  });
  return [
    part('train', s.train),
    ...(s.valid !== undefined ? [part('validation', s.valid)] : []),
    part('test', s.test),
    {
      part: 'users with test items',
      count: s.testUsers,
      unit: 'users',
      share: `${pct(s.testUsers, s.users)} of users`,
    },
  ];
}

export function splitSpec(s: SplitSizes): TopLevelSpec {
  // the figures go in the axis labels: text beside the bars would be cut off at the edge
  const values = splitRows(s).map((r) => ({
    ...r,
    label: `${r.part}: ${r.count.toLocaleString('en-US')} (${r.share})`,
  }));
  return {
    $schema: SCHEMA,
    title: "Split sizes (the dataset's own train/test files)",
    width: 'container',
    height: 26 * values.length,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } },
      x: { field: 'count', type: 'quantitative', title: 'count' },
      color: {
        field: 'unit',
        type: 'nominal',
        title: 'counts',
        scale: { domain: ['interactions', 'users'] },
      },
      tooltip: [
        { field: 'part', title: 'part' },
        { field: 'count', title: 'count', format: ',' },
        { field: 'share', title: 'share' },
      ],
    },
  };
}
