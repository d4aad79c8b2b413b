/**
 * The sweep view's charts, DOM-free (unit-tested in Node): parallel coordinates of the swept
 * hyperparameters and the metric, a line per run coloured by the metric (each axis scaled 0..1
 * by src/runs/sweepView.ts, log where the values span a factor of 10, and labelled by text
 * ticks, as Vega-Lite has one y scale per view), and a scatter of one hyperparameter against
 * the metric with every seed a hollow point and each configuration's mean a filled diamond.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  parallelData,
  scatterData,
  type SweepAxis,
  type SweepTable,
} from '../../src/runs/sweepView.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Viridis without its darkest quarter: the lowest runs stay visible on a dark theme. */
const METRIC_SCHEME = { name: 'viridis' as const, extent: [0.25, 1] };

export function parallelSpec(t: SweepTable, metric: string): TopLevelSpec {
  const { points, ticks, axes } = parallelData(t, metric);
  const x = {
    field: 'axis',
    type: 'nominal' as const,
    sort: axes,
    scale: { domain: axes, padding: 0.3 },
    // axis names under the plot, clear of the value labels at the top of each axis
    axis: { title: null, labelAngle: 0, domain: false, ticks: false, labelPadding: 8 },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    scale: { domain: [-0.04, 1.04] },
    axis: null,
  };
  return {
    $schema: SCHEMA,
    title: {
      text: `${metric} across the sweep's hyperparameters`,
      subtitle: `${new Set(points.map((p) => p.run)).size} finished runs, a line each`,
    },
    width: Math.max(320, 150 * axes.length),
    height: 220,
    layer: [
      {
        // one vertical rule per axis
        data: { values: axes.map((axis) => ({ axis })) },
        mark: { type: 'rule', opacity: 0.5 },
        encoding: { x },
      },
      {
        data: { values: points.map((p) => ({ ...p, order: axes.indexOf(p.axis) })) },
        layer: [
          {
            mark: { type: 'line', strokeWidth: 2, opacity: 0.85 },
            encoding: {
              x,
              y,
              detail: { field: 'run', type: 'nominal' },
              order: { field: 'order', type: 'quantitative' },
              // stroke, on the points too (hollow): a legend of one channel is drawn as a
              // gradient, one of two (color = fill and stroke) as a list of symbols
              stroke: {
                field: 'metric',
                type: 'quantitative',
                title: metric,
                scale: { scheme: METRIC_SCHEME },
                legend: { format: '.3f' },
              },
            },
          },
          {
            mark: { type: 'point', filled: false, size: 30, strokeWidth: 3 },
            encoding: {
              x,
              y,
              stroke: { field: 'metric', type: 'quantitative', scale: { scheme: METRIC_SCHEME } },
              tooltip: [
                { field: 'name', title: 'run' },
                { field: 'axis', title: 'axis' },
                { field: 'value', title: 'value' },
              ],
            },
          },
        ],
      },
      {
        data: { values: ticks },
        mark: { type: 'text', align: 'left', dx: 6, fontSize: 10 },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}

export function scatterSpec(t: SweepTable, axis: SweepAxis, metric: string): TopLevelSpec {
  const values = scatterData(t, axis.key, metric);
  const x = axis.numeric
    ? {
        field: 'x',
        type: 'quantitative' as const,
        title: axis.label,
        scale: axis.log ? { type: 'log' as const } : { zero: false },
        axis: axis.log ? { format: '~g' } : {},
      }
    : {
        field: 'x',
        type: 'nominal' as const,
        title: axis.label,
        sort: axis.values as string[],
        axis: { labelAngle: 0 },
      };
  const others = t.axes.filter((a) => a.key !== axis.key).map((a) => a.label);
  const encoding = {
    x,
    y: {
      field: 'metric',
      type: 'quantitative' as const,
      title: metric,
      scale: { zero: false },
      axis: { format: '.3f' },
    },
    color: {
      field: 'group',
      type: 'nominal' as const,
      title: others.length ? others.join(', ') : null,
      ...(others.length ? {} : { legend: null }),
    },
    tooltip: [
      { field: 'name', title: 'run' },
      { field: 'metric', title: metric, format: '.4f' },
      { field: 'n', title: 'seeds' },
    ],
  };
  return {
    $schema: SCHEMA,
    title: {
      text: `${metric} against ${axis.label}${axis.log ? ' (log scale)' : ''}`,
      subtitle: t.seeds ? 'circles: seeds; diamonds: their mean' : 'a point per run',
    },
    width: 360,
    height: 220,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'run'" }],
        mark: { type: 'point', size: 50, opacity: 0.7 },
        encoding,
      },
      {
        transform: [{ filter: "datum.kind === 'mean'" }],
        mark: { type: 'point', shape: 'diamond', filled: true, size: 140 },
        encoding,
      },
      ...(axis.numeric
        ? [
            {
              // the means joined along the axis, one line per group of the other axes
              transform: [{ filter: "datum.kind === 'mean'" }],
              mark: { type: 'line' as const, opacity: 0.5 },
              encoding: { x, y: encoding.y, color: encoding.color },
            },
          ]
        : []),
    ],
  };
}
