/**
 * The sweep view's data: the runs of one sweep as rows of {point, swept values..., metrics},
 * which swept keys vary (the seed aside: seeds are repeats, drawn as points around their mean),
 * whether a numeric key reads on a log axis, and the long-form rows a parallel-coordinates
 * chart and a scatter draw. Pure and free of Node: the host builds the table, the webview the
 * charts from it.
 */
import type { RunRecord, SweepTag } from './format.js';

export type SweepCell = number | string;

/** A swept key that varies among the sweep's runs. */
export interface SweepAxis {
  /** as in the experiment file: `hyper.lr`, `model` */
  readonly key: string;
  /** as shown: `lr`, `model` */
  readonly label: string;
  readonly numeric: boolean;
  /**
   * numbers all positive spanning a factor of 10 or more: a log axis (a log range's draws and
   * grids like [1e-4, 1e-3, 1e-2]); run.json keeps the values, not the range they came from
   */
  readonly log: boolean;
  /** the distinct values, ascending (numbers) or in first-seen order (text) */
  readonly values: readonly SweepCell[];
}

export interface SweepRun {
  readonly runId: string;
  readonly name: string;
  /** the point's key (a digest of its experiment) */
  readonly point: string;
  /** the configuration without its seed: runs of one configuration share it */
  readonly config: string;
  readonly seed?: number;
  /** axis key -> this run's value */
  readonly values: Readonly<Record<string, SweepCell>>;
  /** the final test metrics; an unfinished run has none */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface SweepTable {
  readonly id: string;
  readonly axes: readonly SweepAxis[];
  /** whether runs repeat a configuration with other seeds */
  readonly seeds: boolean;
  /** metric names some finished run of the sweep has */
  readonly metrics: readonly string[];
  readonly runs: readonly SweepRun[];
}

/** The sweeps among some runs, with how many runs each has, in order of first appearance. */
export function sweepsOf(runs: readonly RunRecord[]): Array<{ id: string; runs: number }> {
  const count = new Map<string, number>();
  for (const r of runs) {
    const id = r.meta?.sweep?.id;
    if (id) count.set(id, (count.get(id) ?? 0) + 1);
  }
  return [...count].map(([id, n]) => ({ id, runs: n }));
}

/** A seed-only variation's name without its seed: `sweep@lr=0.01,seed=2` -> `sweep@lr=0.01`. */
export function withoutSeed(name: string): string {
  return name.replace(/([@,])seed=[^,]*,?/, (_m, sep: string) => sep).replace(/[@,]$/, '');
}

const cell = (v: SweepTag['values'][string]): SweepCell => (typeof v === 'boolean' ? String(v) : v);
const shortKey = (key: string) => key.replace(/^hyper\./, '');

function axisOf(key: string, seen: readonly SweepCell[]): SweepAxis {
  const numeric = seen.every((v) => typeof v === 'number');
  const distinct = [...new Set(seen)];
  if (!numeric) return { key, label: shortKey(key), numeric, log: false, values: distinct };
  const nums = (distinct as number[]).sort((a, b) => a - b);
  const log = nums[0] > 0 && nums[nums.length - 1] / nums[0] >= 10;
  return { key, label: shortKey(key), numeric, log, values: nums };
}

/** The runs of sweep `id` with their swept values and metrics, and the axes that vary. */
export function sweepTable(all: readonly RunRecord[], id: string): SweepTable {
  const runs = all.filter((r) => r.meta?.sweep?.id === id);
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.meta?.sweep?.values ?? {})))];
  const valuesOf = (r: RunRecord) => r.meta?.sweep?.values ?? {};
  const axes = keys
    .filter((k) => k !== 'seed')
    .map((k) =>
      axisOf(
        k,
        runs
          .map((r) => valuesOf(r)[k])
          .filter((v) => v !== undefined)
          .map(cell),
      ),
    )
    .filter((a) => a.values.length > 1);
  const rows = runs.map((r): SweepRun => {
    const v = valuesOf(r);
    const values: Record<string, SweepCell> = {};
    for (const a of axes) if (v[a.key] !== undefined) values[a.key] = cell(v[a.key]);
    const seed = typeof v.seed === 'number' ? v.seed : undefined;
    const { seed: _s, ...rest } = v;
    return {
      runId: r.id,
      name: r.meta?.name ?? r.id,
      point: r.meta?.sweep?.point ?? '',
      config: JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))),
      ...(seed !== undefined && { seed }),
      values,
      metrics: r.summary?.metrics ?? {},
    };
  });
  const configs = new Set(rows.map((r) => r.config));
  return {
    id,
    axes,
    seeds: configs.size < rows.length,
    metrics: [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort(),
    runs: rows,
  };
}

/** Where a value sits on its axis, 0..1: linear, log, or by rank for text; 0.5 on a flat axis. */
export function axisPosition(axis: SweepAxis, v: SweepCell): number {
  if (!axis.numeric || typeof v !== 'number') {
    const i = axis.values.indexOf(v);
    return axis.values.length > 1 ? i / (axis.values.length - 1) : 0.5;
  }
  const f = axis.log ? Math.log : (x: number) => x;
  const lo = f(axis.values[0] as number);
  const hi = f(axis.values[axis.values.length - 1] as number);
  return hi > lo ? (f(v) - lo) / (hi - lo) : 0.5;
}

/** One vertex of a run's line: its position on one axis, and the run's metric for the colour. */
export interface ParallelPoint {
  readonly run: string;
  readonly name: string;
  /** axis label; the metric's own axis is the last */
  readonly axis: string;
  /** 0..1 along the axis (see axisPosition) */
  readonly y: number;
  /** the value as read on hover */
  readonly value: string;
  readonly metric: number;
}

/** A labelled tick on an axis of the parallel plot. */
export interface AxisTick {
  readonly axis: string;
  readonly y: number;
  readonly label: string;
}

const text = (v: SweepCell) => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v);

/** The finished runs having `metric`, with its value. */
function scored(t: SweepTable, metric: string): Array<{ run: SweepRun; m: number }> {
  return t.runs
    .map((run) => ({ run, m: run.metrics[metric] }))
    .filter((x): x is { run: SweepRun; m: number } => Number.isFinite(x.m));
}

/**
 * The parallel-coordinates data of `metric`: a line per finished run through one axis per
 * varying key and a last axis of the metric itself (min to max of the runs), with the ticks
 * each axis is labelled by (every value of a short axis; min, middle and max of a long one).
 */
export function parallelData(
  t: SweepTable,
  metric: string,
): { points: ParallelPoint[]; ticks: AxisTick[]; axes: string[] } {
  const runs = scored(t, metric);
  const ms = runs.map((x) => x.m);
  const metricAxis: SweepAxis = {
    key: metric,
    label: metric,
    numeric: true,
    log: false,
    values: ms.length ? [Math.min(...ms), Math.max(...ms)] : [0],
  };
  const points = runs.flatMap(({ run, m }) => [
    ...t.axes
      .filter((a) => run.values[a.key] !== undefined)
      .map((a) => ({
        run: run.runId,
        name: run.name,
        axis: a.label,
        y: axisPosition(a, run.values[a.key]),
        value: text(run.values[a.key]),
        metric: m,
      })),
    {
      run: run.runId,
      name: run.name,
      axis: metric,
      y: axisPosition(metricAxis, m),
      value: m.toFixed(4),
      metric: m,
    },
  ]);
  const ticks = [...t.axes, metricAxis].flatMap((a) => {
    const vs = a.values;
    const shown =
      vs.length <= 8 || !a.numeric ? vs : [vs[0], vs[Math.floor(vs.length / 2)], vs[vs.length - 1]];
    const label = a === metricAxis ? (v: SweepCell) => (v as number).toFixed(4) : text;
    return shown.map((v) => ({ axis: a.label, y: axisPosition(a, v), label: label(v) }));
  });
  return { points, ticks, axes: [...t.axes.map((a) => a.label), metric] };
}

/** A point of the scatter: one run (a seed), or the mean of a configuration's seeds. */
export interface ScatterPoint {
  readonly x: SweepCell;
  readonly metric: number;
  readonly kind: 'run' | 'mean';
  /** the run's name, or the configuration's without its seed */
  readonly name: string;
  /** seeds behind a mean; 1 for a run */
  readonly n: number;
  /** the other axes' values, for the colour and the tooltip: "model=mf" */
  readonly group: string;
}

/** `axisKey` against `metric`: every finished run, and each configuration's mean over seeds. */
export function scatterData(t: SweepTable, axisKey: string, metric: string): ScatterPoint[] {
  const others = t.axes.filter((a) => a.key !== axisKey);
  const groupOf = (r: SweepRun) =>
    others.map((a) => `${a.label}=${text(r.values[a.key] ?? '?')}`).join(', ') || 'all';
  const runs = scored(t, metric).filter(({ run }) => run.values[axisKey] !== undefined);
  const points: ScatterPoint[] = runs.map(({ run, m }) => ({
    x: run.values[axisKey],
    metric: m,
    kind: 'run',
    name: run.name,
    n: 1,
    group: groupOf(run),
  }));
  const byConfig = new Map<string, Array<{ run: SweepRun; m: number }>>();
  for (const x of runs) byConfig.set(x.run.config, [...(byConfig.get(x.run.config) ?? []), x]);
  for (const xs of byConfig.values()) {
    const first = xs[0].run;
    points.push({
      x: first.values[axisKey],
      metric: xs.reduce((s, x) => s + x.m, 0) / xs.length,
      kind: 'mean',
      name: withoutSeed(first.name),
      n: xs.length,
      group: groupOf(first),
    });
  }
  return points;
}
