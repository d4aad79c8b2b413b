/**
 * The Compare panel's table as plain data, from the library's experiments table: groups of one
 * dataset and split (never ranked against each other), parameter columns beside the metrics,
 * runs that differ only by seed folded into one row with its runs as members. And the paired
 * test of two rows, where a folded row's per-user values are the mean over its seeds.
 */
import { pairedTTest, wilcoxonSignedRank } from '../../src/eval/significance.js';
import {
  experimentsTable,
  type TableGroup,
  type TableRow,
} from '../../src/runs/experimentsTable.js';
import type { RunRecord } from '../../src/runs/format.js';
import { pairedGroupValues } from '../../src/runs/pairedComparison.js';
import { selectionLabel } from '../../src/runs/selection.js';
import type {
  ExperimentGroup,
  ExperimentRow,
  ExperimentsView,
  ParamValue,
  SignificanceResult,
} from '../shared/compareMessages.js';
import { sortColumns } from './table.js';

/** Parameter columns in display order, and how a row's value reads. */
const PARAMS: ReadonlyArray<readonly [string, (r: TableRow) => ParamValue]> = [
  ['model', (r) => r.params.model],
  ['epochs', (r) => (r.final ? (r.params.epochs ?? null) : r.runs[0].state.epoch)],
  ['selected epoch', (r) => r.params.selectedEpoch ?? null],
  ['dim', (r) => r.params.dim ?? null],
  ['layers', (r) => r.params.layers ?? null],
  ['lr', (r) => r.params.lr ?? null],
  ['batch', (r) => r.params.batch ?? null],
  ['loss', (r) => r.params.loss ?? null],
  ['sampler', (r) => r.params.sampler ?? null],
  ['seed', (r) => (r.runs.length > 1 ? r.seeds.join(', ') : (r.params.seed ?? null))],
  ['seconds', (r) => r.params.seconds ?? null],
  // the user's labels; a column filter "paper" keeps the rows carrying it
  ['tags', (r) => (r.tags.length ? r.tags.join(', ') : null)],
];

export const PARAM_COLUMNS: readonly string[] = PARAMS.map(([c]) => c);

function rowName(r: TableRow): string {
  const mark = selectionLabel(r.runs[0].summary);
  return [r.name, mark].filter(Boolean).join(' ');
}

function toRow(r: TableRow, best: readonly string[]): ExperimentRow {
  const params: Record<string, ParamValue> = {};
  for (const [c, value] of PARAMS) params[c] = value(r);
  const members =
    r.runs.length > 1
      ? experimentsTable(r.runs, { expand: true }).flatMap((g) => g.rows.map((m) => toRow(m, [])))
      : undefined;
  return {
    key: r.runs.map((x) => x.id).join(' '),
    name: rowName(r),
    runIds: r.runs.map((x) => x.id),
    status: r.final ? 'done' : r.runs[0].state.status,
    params,
    metrics: r.metrics,
    best,
    ...(members && { members }),
  };
}

function toGroup(g: TableGroup): ExperimentGroup {
  return {
    key: g.key,
    label: g.label,
    rows: g.rows.map((r, i) =>
      // one row is the best of nothing
      toRow(
        r,
        g.rows.length > 1 ? Object.keys(g.best).filter((k) => (g.best[k] ?? []).includes(i)) : [],
      ),
    ),
  };
}

/** The table of some runs; parameter columns without a value in any row are left out. */
export function experimentsView(runs: readonly RunRecord[]): ExperimentsView {
  const groups = experimentsTable(runs).map(toGroup);
  const rows = groups.flatMap((g) => g.rows);
  return {
    groups,
    paramColumns: PARAM_COLUMNS.filter((c) => rows.some((r) => r.params[c] !== null)),
    metricColumns: sortColumns(rows.flatMap((r) => Object.keys(r.metrics))),
  };
}

const nameOf = (runs: readonly RunRecord[]) =>
  runs.length === 1
    ? (runs[0].meta?.name ?? runs[0].id)
    : `${runs[0].meta?.name ?? runs[0].id} (mean of ${runs.length} seeds)`;

const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;

/**
 * Paired t-test and Wilcoxon signed-rank of row a against row b over their per-user values of
 * `metric`. Rows of several seeds use each user's mean over the seeds: over one test set, or,
 * where each seed split anew, over the seeds' splits with each seed's two runs on one split
 * (pairedGroupValues; refused, saying why, where neither holds).
 */
export function compareRows(
  a: readonly RunRecord[],
  b: readonly RunRecord[],
  metric: string,
): SignificanceResult {
  if (a.length === 0 || b.length === 0) throw new Error('select two rows to compare');
  const { a: va, b: vb, how } = pairedGroupValues(a, b, metric);
  return {
    metric,
    a: nameOf(a),
    b: nameOf(b),
    users: va.length,
    pairing: how,
    meanA: mean(va),
    meanB: mean(vb),
    tTest: pairedTTest(va, vb),
    wilcoxon: wilcoxonSignedRank(va, vb),
  };
}
