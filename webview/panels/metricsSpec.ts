/**
 * Learning-curve rows and specs, DOM-free (unit-tested in Node): shared by the metrics,
 * compare and dashboard panels.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunSeries } from '../../extension/shared/messages.js';
import { rateChanges } from '../../src/train/lrSchedule.js';

type Row = { run: string; epoch: number; value: number };

export function lossRows(runs: readonly RunSeries[]): Row[] {
  return runs.flatMap((r) =>
    r.epochs.map((e) => ({ run: r.label, epoch: e.epoch, value: e.loss })),
  );
}

/**
 * Learning rate per epoch, only when a schedule changes it in some run (a constant rate is a
 * flat line not worth a chart); then every run that reports its rate, for comparison.
 */
export function lrRows(runs: readonly RunSeries[]): Row[] {
  if (!runs.some((r) => rateChanges(r.epochs))) return [];
  return runs.flatMap((r) =>
    r.epochs.flatMap((e) =>
      e.lr === undefined ? [] : [{ run: r.label, epoch: e.epoch, value: e.lr }],
    ),
  );
}

export function metricRows(runs: readonly RunSeries[], metric: string): Row[] {
  return runs.flatMap((r) =>
    r.epochs.flatMap((e) => {
      const v = e.metrics?.[metric];
      return v === undefined ? [] : [{ run: r.label, epoch: e.epoch, value: v }];
    }),
  );
}

/**
 * Which part the charted evaluations were computed on, for the chart's title: a curve on
 * validation must not be read as test numbers (" on validation", " on test", or both).
 */
export function evaluatedPart(runs: readonly RunSeries[]): string {
  const parts = new Set<string>();
  for (const r of runs)
    for (const e of r.epochs) if (e.metrics && e.evaluatedOn) parts.add(e.evaluatedOn);
  if (parts.size === 0) return '';
  const names = [...parts]
    .sort()
    .reverse()
    .map((p) => (p === 'valid' ? 'validation' : 'test'));
  return ` on ${names.join(' and ')}`;
}

export function metricNames(runs: readonly RunSeries[]): string[] {
  const s = new Set<string>();
  for (const r of runs)
    for (const e of r.epochs) for (const k of Object.keys(e.metrics ?? {})) s.add(k);
  return [...s].sort();
}

/**
 * What the Metric dropdown offers: the evaluated metrics, or, before any evaluation, the
 * run's metric greyed out with why the list is empty (a run evaluates every evalEvery epochs).
 */
export function metricChoice(
  runs: readonly RunSeries[],
  runMetric: string,
): { readonly names: string[]; readonly waiting?: string } {
  const names = metricNames(runs);
  if (names.length > 0) return { names };
  const trained = runs.some((r) => r.epochs.length > 0);
  return {
    names: [],
    waiting: trained
      ? `${runMetric} and the other metrics appear after the first evaluated epoch (every evalEvery epochs, and on test at the end)`
      : `${runMetric} and the other metrics appear once the run has trained and evaluated an epoch`,
  };
}

/** A published number drawn as a horizontal rule: "LightGCN paper 0.1823". */
export interface RuleRow {
  readonly value: number;
  readonly label: string;
}

/**
 * The papers' values for exactly this metric key (recall@20 is not recall@10), one per
 * distinct label: runs of the same model on the paper's dataset share their rule.
 */
export function paperRules(runs: readonly RunSeries[], metric: string): RuleRow[] {
  const key = metric.trim().toLowerCase();
  const out = new Map<string, RuleRow>();
  for (const r of runs)
    for (const p of r.paper ?? [])
      if (p.metric === key && !out.has(p.label))
        out.set(p.label, { value: p.value, label: p.label });
  return [...out.values()];
}

export function curveSpec(
  title: string,
  yTitle: string,
  log = false,
  rules: readonly RuleRow[] = [],
  ruleColour = '#888888',
): TopLevelSpec {
  const head = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 'container',
    height: 220,
  } as const;
  const mark = { type: 'line', point: true, tooltip: true } as const;
  const encoding = {
    // format 'd': epochs are whole (one evaluated epoch made a one-value domain read 5.000000)
    x: {
      field: 'epoch',
      type: 'quantitative',
      title: 'epoch',
      axis: { tickMinStep: 1, format: 'd' },
    },
    y: {
      field: 'value',
      type: 'quantitative',
      title: yTitle,
      scale: log ? { type: 'log' as const } : { zero: false },
    },
    color: { field: 'run', type: 'nominal', title: 'run' },
  } as const;
  // a plain unit spec without rules: the compare panel swaps its data for inline values
  if (rules.length === 0) return { ...head, data: { name: 'table' }, mark, encoding };
  const values = rules.map((r) => ({ ...r }));
  return {
    ...head,
    layer: [
      { data: { name: 'table' }, mark, encoding },
      {
        data: { values },
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5, color: ruleColour },
        encoding: {
          y: { field: 'value', type: 'quantitative' },
          tooltip: [{ field: 'label', title: 'published' }],
        },
      },
      {
        data: { values },
        mark: {
          type: 'text',
          align: 'right',
          baseline: 'bottom',
          dx: -4,
          dy: -3,
          color: ruleColour,
        },
        encoding: {
          x: { value: 'width' },
          y: { field: 'value', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
    ],
  };
}
