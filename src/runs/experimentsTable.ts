/**
 * The experiments table: saved runs grouped by what makes their numbers comparable (the same
 * dataset, the same split), each row with the parameters that made it beside its metrics, the
 * best row per group and metric marked. Runs that differ only by their seed fold into one row
 * with the mean, the sample standard deviation and n (unless expanded). Pure: the CLI prints it,
 * the extension may draw it.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonicalJson.js';
import type { SplitSpec } from './experiment.js';
import type { RunRecord } from './format.js';
import type { EpochRecord } from '../train/trainer.js';
import { withoutSeed } from './sweepView.js';
import { runTags } from './tags.js';

/** The parameters shown beside a run's metrics; undefined where a run has none (no layers). */
export interface RunParams {
  readonly model: string;
  readonly dataset: string;
  readonly split: string;
  readonly epochs?: number;
  readonly selectedEpoch?: number;
  readonly dim?: number;
  readonly layers?: number;
  readonly lr?: number;
  readonly batch?: number;
  readonly loss?: string;
  readonly sampler?: string;
  readonly seed?: number;
  readonly seconds?: number;
}

/** A metric of a row: one run's value, or the mean over seeds with its spread. */
export interface CellValue {
  readonly mean: number;
  /** sample standard deviation over the seeds; 0 for one run */
  readonly std: number;
  readonly n: number;
}

export interface TableRow {
  /** the runs behind the row: one, or several seeds of one configuration */
  readonly runs: readonly RunRecord[];
  readonly name: string;
  readonly params: RunParams;
  /** the seeds of the folded runs, ascending */
  readonly seeds: readonly number[];
  /** the user's tags of the row's runs (of any of its seeds), in the order first added */
  readonly tags: readonly string[];
  readonly metrics: Readonly<Record<string, CellValue>>;
  /** false: a run that did not finish; its numbers are its last evaluation, never marked best */
  readonly final: boolean;
}

export interface TableGroup {
  readonly key: string;
  /** "demo, split ratio 0.8/0.1/0.1" */
  readonly label: string;
  readonly dataset: string;
  readonly split: string;
  readonly rows: readonly TableRow[];
  /** metric -> indices into rows of the best final row(s) */
  readonly best: Readonly<Record<string, readonly number[]>>;
}

/** Metrics where a smaller value is better (popularity bias, concentration, time). */
export function lowerIsBetter(metric: string): boolean {
  return /^(avgpop|gini)@|seconds$/i.test(metric);
}

/** How a split reads: "given", "ratio 0.8/0.1/0.1", "loo random", "temporal per user 0.8/0.2". */
export function splitLabel(spec: SplitSpec | undefined): string {
  if (!spec) return 'default';
  switch (spec.type) {
    case 'given':
      return 'given';
    case 'ratio':
      return `ratio ${spec.ratios.join('/')}`;
    case 'loo':
      return `loo${spec.order === 'random' ? ' random' : ''}${spec.valid === false ? ' no-valid' : ''}`;
    case 'temporal':
      return `temporal${spec.perUser ? ' per user' : ''} ${spec.ratios.join('/')}`;
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A run's parameters from its run.json and summary. */
export function runParams(r: RunRecord): RunParams {
  const c = r.meta?.config ?? {};
  const hyper = (c.hyper ?? {}) as Record<string, unknown>;
  return {
    model: r.meta?.model ?? '?',
    dataset: r.meta?.dataset ?? '?',
    split: splitLabel(c.split as SplitSpec | undefined),
    epochs: r.summary?.epochsRun ?? (r.state.epochs > 0 ? r.state.epoch : undefined),
    selectedEpoch: r.summary?.selectedEpoch ?? r.summary?.bestEpoch,
    dim: num(hyper.dim),
    layers: num(hyper.layers),
    lr: num(hyper.lr),
    batch: num(hyper.batchSize),
    loss: str(hyper.loss),
    sampler: str(hyper.sampler),
    seed: num(c.seed),
    seconds: r.summary?.seconds,
  };
}

/** Dataset and split, and the digest of the dataset's files where recorded (same name, other data). */
function groupOf(r: RunRecord): { key: string; dataset: string; split: string } {
  const p = runParams(r);
  const files = (r.meta?.data?.files ?? []).map((f) => f.sha256).join(',');
  const digest = files ? createHash('sha256').update(files).digest('hex').slice(0, 8) : '';
  return { key: `${p.dataset}\u0000${digest}\u0000${p.split}`, dataset: p.dataset, split: p.split };
}

/** What makes runs the same configuration: everything in run.json's config but seed and name. */
function configKey(r: RunRecord): string {
  const { seed: _s, name: _n, threads: _t, ...rest } = r.meta?.config ?? {};
  return `${r.meta?.model}\u0000${canonicalJson(rest)}`;
}

/** The last epoch of a run's history that was evaluated. */
export function lastEvaluation(r: RunRecord): EpochRecord | undefined {
  return [...r.history].reverse().find((e) => e.metrics !== undefined);
}

function runMetrics(r: RunRecord): Record<string, number> {
  return r.summary?.metrics ?? lastEvaluation(r)?.metrics ?? {};
}

/** Mean and sample standard deviation of each metric over the runs that have it. */
function foldMetrics(runs: readonly RunRecord[]): Record<string, CellValue> {
  const keys = new Set(runs.flatMap((r) => Object.keys(runMetrics(r))));
  const out: Record<string, CellValue> = {};
  for (const k of keys) {
    const xs = runs.map((r) => runMetrics(r)[k]).filter((x): x is number => x !== undefined);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const ss = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
    out[k] = { mean, std: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0, n: xs.length };
  }
  return out;
}

function makeRow(runs: readonly RunRecord[]): TableRow {
  const first = runs[0];
  const params = runParams(first);
  const seeds = runs
    .map((r) => runParams(r).seed)
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
  const name = first.meta?.name ?? first.id;
  const seconds = runs.map((r) => r.summary?.seconds ?? 0);
  return {
    runs,
    name: runs.length > 1 ? withoutSeed(name) : name,
    params:
      runs.length > 1
        ? { ...params, seed: undefined, seconds: seconds.reduce((a, b) => a + b, 0) / runs.length }
        : params,
    seeds,
    tags: [...new Set(runs.flatMap((r) => runTags(r.meta)))],
    metrics: foldMetrics(runs),
    final: runs.every((r) => r.summary !== undefined),
  };
}

function bestRows(rows: readonly TableRow[]): Record<string, number[]> {
  const best: Record<string, number[]> = {};
  const keys = new Set(rows.flatMap((r) => Object.keys(r.metrics)));
  for (const k of keys) {
    const lower = lowerIsBetter(k);
    let top: number | undefined;
    rows.forEach((r, i) => {
      const v = r.metrics[k]?.mean;
      if (!r.final || v === undefined || !Number.isFinite(v)) return;
      if (top === undefined || (lower ? v < top : v > top)) {
        top = v;
        best[k] = [i];
      } else if (v === top) best[k].push(i);
    });
  }
  return best;
}

/**
 * Groups runs by dataset and split (groups in order of their first run), folds finished runs
 * that differ only by seed into one row unless `expand`, and marks the best rows per metric.
 */
export function experimentsTable(
  runs: readonly RunRecord[],
  o: { readonly expand?: boolean } = {},
): TableGroup[] {
  const groups = new Map<string, { dataset: string; split: string; runs: RunRecord[] }>();
  for (const r of runs) {
    const g = groupOf(r);
    const entry = groups.get(g.key) ?? { dataset: g.dataset, split: g.split, runs: [] };
    entry.runs.push(r);
    groups.set(g.key, entry);
  }
  const labels = [...groups.values()].map((g) => `${g.dataset}, split ${g.split}`);
  return [...groups.entries()].map(([key, g], gi) => {
    const rowRuns = new Map<string, RunRecord[]>();
    for (const r of g.runs) {
      // unfinished runs and expanded tables: one row per run
      const k = o.expand || !r.summary ? `run\u0000${r.id}` : configKey(r);
      rowRuns.set(k, [...(rowRuns.get(k) ?? []), r]);
    }
    const rows = [...rowRuns.values()].map(makeRow);
    const label = labels[gi];
    // two groups of one name (the same file name, other contents): told apart by their digest
    const clash = labels.filter((l) => l === label).length > 1;
    return {
      key,
      label: clash ? `${label} [${key.split('\u0000')[1] || 'no files'}]` : label,
      dataset: g.dataset,
      split: g.split,
      rows,
      best: bestRows(rows),
    };
  });
}
