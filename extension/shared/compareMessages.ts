/**
 * The Compare panel's own contract: the experiments table as plain data (groups of one dataset
 * and split, rows with their parameters and metrics, seeds folded into mean ± std), the
 * column choices kept per workspace, the run selection, the paired significance test and the
 * table's exports. Plain data only: the webview bundle imports this file (types from the
 * library are type-only imports).
 */
import type { PairedTTest, WilcoxonTest } from '../../src/eval/significance.js';
import type { SweepTable } from '../../src/runs/sweepView.js';
import type { RunSeries, RunStatus } from './messages.js';

/** A parameter cell: a number (sorted and filtered as one), a text, or nothing. */
export type ParamValue = string | number | null;

/** A metric of a row: one run's value, or the mean over its seeds with the spread. */
export interface MetricCell {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

export interface ExperimentRow {
  /** stable key: the row's run ids */
  readonly key: string;
  readonly name: string;
  readonly runIds: readonly string[];
  /** 'done' for a finished row; otherwise the run's status (its numbers are its last evaluation) */
  readonly status: RunStatus;
  /** parameter column -> value */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly metrics: Readonly<Record<string, MetricCell>>;
  /** metrics where this row is the best of its group */
  readonly best: readonly string[];
  /** a row folding several seeds: one row per run, shown when expanded */
  readonly members?: readonly ExperimentRow[];
}

/** Runs of one dataset and split: their numbers are comparable, other groups' are not. */
export interface ExperimentGroup {
  readonly key: string;
  /** "demo, split ratio 0.8/0.1/0.1" */
  readonly label: string;
  readonly rows: readonly ExperimentRow[];
}

export interface ExperimentsView {
  readonly groups: readonly ExperimentGroup[];
  /** parameter columns some row has a value for, in display order */
  readonly paramColumns: readonly string[];
  /** metric columns, grouped by metric then K */
  readonly metricColumns: readonly string[];
}

export interface SortChoice {
  /** 'name', a parameter column or a metric column */
  readonly column: string;
  readonly descending: boolean;
}

/** What the user chose to see; kept per workspace. */
export interface ComparePrefs {
  readonly hidden: readonly string[];
  readonly sort: SortChoice;
  /** column -> filter text ("mf", ">0.1", "<=64") */
  readonly filters: Readonly<Record<string, string>>;
}

export const DEFAULT_PREFS: ComparePrefs = {
  hidden: [],
  sort: { column: 'recall@20', descending: true },
  filters: {},
};

/** The paired test of two rows over their per-user values (seeds averaged per user). */
export interface SignificanceResult {
  readonly metric: string;
  readonly a: string;
  readonly b: string;
  readonly users: number;
  /** how the runs' per-user values were paired (one test set; seeds' means; seed by seed) */
  readonly pairing: string;
  readonly meanA: number;
  readonly meanB: number;
  readonly tTest: PairedTTest;
  readonly wilcoxon: WilcoxonTest;
}

export type TableFormat = 'csv' | 'md';

/** What the table shows now: the columns not hidden and the rows passing the filters, in order. */
export interface TableShown {
  readonly columns: readonly string[];
  /** row keys (a folded row's members too while it is expanded) */
  readonly rows: readonly string[];
}

export type RunAction = 'rename' | 'tag' | 'delete' | 'resume';

// ---------------------------------------------------------------- host -> webview

export type CompareHostMessage =
  | {
      readonly type: 'compare';
      readonly view: ExperimentsView;
      /** learning curves of every run in the view; the plots show the selected ones */
      readonly runs: RunSeries[];
      readonly prefs: ComparePrefs;
      /** run ids selected (checked) */
      readonly selected: readonly string[];
      /** the sweeps among the runs, for the sweep view (shown when checked runs hold one) */
      readonly sweeps: readonly SweepTable[];
    }
  | {
      /** Show Sweep: open the sweep view of this sweep */
      readonly type: 'showSweep';
      readonly id: string;
    }
  | {
      readonly type: 'significance';
      readonly result?: SignificanceResult;
      /** why the test could not run (another test set, no per-user values) */
      readonly error?: string;
    };

// ---------------------------------------------------------------- webview -> host

export type CompareWebviewMessage =
  | { readonly type: 'comparePrefs'; readonly prefs: ComparePrefs }
  | { readonly type: 'compareSelect'; readonly runIds: readonly string[] }
  | {
      readonly type: 'requestSignificance';
      readonly a: readonly string[];
      readonly b: readonly string[];
      readonly metric: string;
    }
  | { readonly type: 'exportTable'; readonly format: TableFormat }
  | { readonly type: 'tableShown'; readonly shown: TableShown }
  | { readonly type: 'runAction'; readonly action: RunAction; readonly runIds: readonly string[] };

type Shape = Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'>;

export const COMPARE_HOST_SHAPES: Record<CompareHostMessage['type'], Shape> = {
  compare: { view: 'object', prefs: 'object', runs: 'array', selected: 'array', sweeps: 'array' },
  showSweep: { id: 'string' },
  significance: {},
};

export const COMPARE_WEBVIEW_SHAPES: Record<CompareWebviewMessage['type'], Shape> = {
  comparePrefs: { prefs: 'object' },
  compareSelect: { runIds: 'array' },
  requestSignificance: { a: 'array', b: 'array', metric: 'string' },
  exportTable: { format: 'string' },
  tableShown: { shown: 'object' },
  runAction: { action: 'string', runIds: 'array' },
};

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Saved preferences, checked field by field: a stale or foreign value falls back to defaults. */
export function prefsFrom(x: unknown): ComparePrefs {
  if (!isObj(x)) return DEFAULT_PREFS;
  const hidden = Array.isArray(x.hidden) ? x.hidden.filter((v) => typeof v === 'string') : [];
  const s = isObj(x.sort) ? x.sort : {};
  const sort =
    typeof s.column === 'string'
      ? { column: s.column, descending: s.descending === true }
      : DEFAULT_PREFS.sort;
  const filters: Record<string, string> = {};
  if (isObj(x.filters))
    for (const [k, v] of Object.entries(x.filters))
      if (typeof v === 'string' && v.trim()) filters[k] = v;
  return { hidden, sort, filters };
}
