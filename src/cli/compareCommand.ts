/**
 * `reclab compare [runs...]`: the experiments table. Runs grouped by dataset and split (numbers
 * of two datasets are never ranked against each other), the best per group and metric marked,
 * the parameters beside the metrics, seeds of one configuration folded into mean ± std (n)
 * unless --expand; as an aligned table, CSV or Markdown. With two runs and --significance, a
 * paired t-test and Wilcoxon signed-rank test over their per-user values.
 */
import { Option, type Command } from 'commander';
import {
  experimentsTable,
  lastEvaluation,
  type CellValue,
  type TableGroup,
  type TableRow,
} from '../runs/experimentsTable.js';
import type { RunRecord } from '../runs/format.js';
import { compareRunsPaired, type PairedComparison } from '../runs/pairedComparison.js';
import { selectionLabel } from '../runs/selection.js';
import { findRun, listRuns } from '../runs/store.js';
import { checkTag, runTags } from '../runs/tags.js';
import { InputError } from '../util/errors.js';
import { fmtMetric, fmtSeconds, formatTable, sortMetricKeys } from './format.js';

export interface CompareIo {
  out: (line: string) => void;
}

export type CompareFormat = 'table' | 'csv' | 'md';

interface CompareFlags {
  json?: boolean;
  workspace?: string;
  format: CompareFormat;
  expand?: boolean;
  significance?: boolean;
  metric?: string;
  tag?: string;
}

/** One parameter column: its header and how a row's value reads. */
interface ParamColumn {
  readonly header: string;
  readonly value: (r: TableRow) => string;
}

const text = (v: number | string | undefined) => (v === undefined ? '' : String(v));

function epochsCell(r: TableRow): string {
  const p = r.params;
  // a run that did not finish: how far it got
  if (!r.final) return `${r.runs[0].state.epoch} of ${r.runs[0].state.epochs}`;
  // a model that does not train (popularity) ran no epochs
  if (!p.epochs) return '';
  const sel = p.selectedEpoch;
  return sel !== undefined && sel !== p.epochs ? `${p.epochs} (best ${sel})` : `${p.epochs}`;
}

const PARAMS: readonly ParamColumn[] = [
  { header: 'model', value: (r) => r.params.model },
  { header: 'epochs', value: epochsCell },
  { header: 'dim', value: (r) => text(r.params.dim) },
  { header: 'layers', value: (r) => text(r.params.layers) },
  { header: 'lr', value: (r) => text(r.params.lr) },
  { header: 'batch', value: (r) => text(r.params.batch) },
  { header: 'loss', value: (r) => text(r.params.loss) },
  { header: 'sampler', value: (r) => text(r.params.sampler) },
  { header: 'seed', value: (r) => (r.runs.length > 1 ? r.seeds.join(',') : text(r.params.seed)) },
  { header: 'n', value: (r) => String(r.runs.length) },
  { header: 'tags', value: (r) => r.tags.join(', ') },
  {
    header: 'time',
    value: (r) => (r.params.seconds === undefined ? '' : fmtSeconds(r.params.seconds)),
  },
];

/** The metrics a table shows: recall and ndcg at every K, hit and coverage at the largest. */
function headlineMetrics(groups: readonly TableGroup[]): string[] {
  const all = sortMetricKeys([
    ...new Set(groups.flatMap((g) => g.rows.flatMap((r) => Object.keys(r.metrics)))),
  ]);
  const maxK = Math.max(0, ...all.map((k) => Number(k.split('@')[1] ?? 0)));
  return all.filter(
    (k) => /^(recall|ndcg)@/.test(k) || new RegExp(`^(hit|coverage)@${maxK}$`).test(k),
  );
}

function rowName(r: TableRow): string {
  const base = r.final ? r.name : `${r.name} (${r.runs[0].state.status})`;
  const mark = selectionLabel(r.runs[0].summary);
  return mark ? `${base} ${mark}` : base;
}

function cell(v: CellValue | undefined): string {
  if (!v) return '-';
  return v.n > 1 ? `${fmtMetric(v.mean)}±${fmtMetric(v.std)}` : fmtMetric(v.mean);
}

/** The parameter columns with a value in some row (popularity has no dim, no lr). */
function usedParams(rows: readonly TableRow[]): ParamColumn[] {
  return PARAMS.filter((c) =>
    c.header === 'n' ? rows.some((r) => r.runs.length > 1) : rows.some((r) => c.value(r) !== ''),
  );
}

function isBest(g: TableGroup, i: number, metric: string): boolean {
  return g.rows.length > 1 && (g.best[metric] ?? []).includes(i);
}

/** The experiments table of some runs as aligned text, one table per dataset and split. */
export function comparisonLines(runs: readonly RunRecord[], expand = false): string[] {
  const groups = experimentsTable(runs, { expand });
  return tableText(groups, headlineMetrics(groups));
}

function tableText(groups: readonly TableGroup[], metrics: readonly string[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    const params = usedParams(g.rows);
    const header = ['run', ...params.map((c) => c.header), ...metrics];
    const body = g.rows.map((r, i) => [
      rowName(r),
      ...params.map((c) => c.value(r) || '-'),
      // '*' marks the best row of the group per metric, as the comparison panel does
      ...metrics.map((k) => `${cell(r.metrics[k])}${isBest(g, i, k) ? '*' : ' '}`),
    ]);
    if (lines.length) lines.push('');
    lines.push(`${g.label} (${g.rows.length} ${g.rows.length === 1 ? 'row' : 'rows'})`);
    lines.push(
      formatTable(
        header,
        body,
        header.map((h, i) =>
          i === 0 || ['model', 'loss', 'sampler', 'tags'].includes(h) ? 'l' : 'r',
        ),
      ),
    );
  }
  return lines;
}

/** RFC 4180: fields with a comma, a quote or a line break are quoted, quotes doubled. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const numText = (v: number | undefined) => (v === undefined ? '' : String(v));

function csvText(groups: readonly TableGroup[], metrics: readonly string[]): string[] {
  const folded = groups.some((g) => g.rows.some((r) => r.runs.length > 1));
  const header = [
    'group',
    'name',
    'runs',
    'status',
    'model',
    'dataset',
    'split',
    'epochs',
    'selectedEpoch',
    'dim',
    'layers',
    'lr',
    'batch',
    'loss',
    'sampler',
    'seed',
    'n',
    'tags',
    'seconds',
    ...metrics.flatMap((k) => (folded ? [k, `${k} std`] : [k])),
    'best',
  ];
  const rows = groups.flatMap((g) =>
    g.rows.map((r, i) => {
      const p = r.params;
      return [
        g.label,
        r.name,
        r.runs.map((x) => x.id).join(' '),
        r.final ? 'done' : r.runs[0].state.status,
        p.model,
        p.dataset,
        p.split,
        numText(p.epochs),
        numText(p.selectedEpoch),
        numText(p.dim),
        numText(p.layers),
        numText(p.lr),
        numText(p.batch),
        p.loss ?? '',
        p.sampler ?? '',
        r.runs.length > 1 ? r.seeds.join(' ') : numText(p.seed),
        String(r.runs.length),
        r.tags.join(', '),
        p.seconds === undefined ? '' : p.seconds.toFixed(2),
        ...metrics.flatMap((k) => {
          const v = r.metrics[k];
          const mean = v === undefined ? '' : String(v.mean);
          return folded ? [mean, v === undefined ? '' : String(v.std)] : [mean];
        }),
        metrics.filter((k) => isBest(g, i, k)).join(' '),
      ];
    }),
  );
  return [header, ...rows].map((r) => r.map(csvField).join(','));
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

function markdownText(groups: readonly TableGroup[], metrics: readonly string[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    const params = usedParams(g.rows);
    const header = ['run', ...params.map((c) => c.header), ...metrics];
    if (lines.length) lines.push('');
    lines.push(`### ${mdCell(g.label)}`, '');
    lines.push(`| ${header.map(mdCell).join(' | ')} |`);
    lines.push(`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
    g.rows.forEach((r, i) => {
      const cells = [
        rowName(r),
        ...params.map((c) => c.value(r)),
        // the best of the group in bold
        ...metrics.map((k) => (isBest(g, i, k) ? `**${cell(r.metrics[k])}**` : cell(r.metrics[k]))),
      ];
      lines.push(`| ${cells.map(mdCell).join(' | ')} |`);
    });
  }
  return lines;
}

/** Says, under a comparison, what the numbers of each run that did not finish are. */
function unfinishedNotes(runs: readonly RunRecord[]): string[] {
  return runs
    .filter((r) => !r.summary)
    .map((r) => {
      const name = `${r.meta?.name ?? r.id} (${r.state.status})`;
      const last = lastEvaluation(r);
      const shown = last
        ? `metrics of its last evaluation, epoch ${last.epoch} on ${last.evaluatedOn === 'test' ? 'the test split' : 'validation'}, not a final test result`
        : 'not evaluated before it stopped';
      return `${name}: ${shown}; \`reclab eval ${r.id}\` tests its last checkpoint`;
    });
}

const pText = (p: number) => (p < 1e-4 ? p.toExponential(2) : p.toFixed(4));

function significanceText(c: PairedComparison, a: RunRecord, b: RunRecord): string[] {
  const name = (r: RunRecord) => r.meta?.name ?? r.id;
  const t = c.tTest;
  const w = c.wilcoxon;
  const diff = c.meanA - c.meanB;
  return [
    `${c.metric} per user, ${name(a)} (A) vs ${name(b)} (B), ${c.users} test users paired:`,
    `  mean A ${fmtMetric(c.meanA)}, B ${fmtMetric(c.meanB)}, A - B ${diff >= 0 ? '+' : ''}${diff.toFixed(4)}`,
    `  paired t-test: t = ${t.t.toFixed(3)} (df ${t.df}), p = ${pText(t.p)}, Cohen's d = ${t.cohensD.toFixed(3)}`,
    `  Wilcoxon signed-rank: W+ = ${w.wPlus}, W- = ${w.wMinus}, z = ${w.z.toFixed(3)}, p = ${pText(w.p)}, rank-biserial r = ${w.rankBiserial.toFixed(3)} (${w.n} users differ, ${w.zeros} tie)`,
    `  two-sided p-values; Wilcoxon by the normal approximation with zero differences dropped`,
  ];
}

function significanceJson(c: PairedComparison, a: RunRecord, b: RunRecord) {
  return { a: a.id, b: b.id, ...c };
}

/** The runs named, or every finished run when none is; with a tag, those carrying it. */
function selectRuns(root: string, refs: readonly string[], tag?: string): RunRecord[] {
  const named = refs.length
    ? refs.map((r) => findRun(root, r))
    : listRuns(root).filter((r) => r.summary);
  const wanted = tag === undefined ? undefined : checkTag(tag, '--tag');
  const runs = wanted ? named.filter((r) => runTags(r.meta).includes(wanted)) : named;
  if (runs.length === 0)
    throw new InputError(
      { file: root, ...(wanted && { text: `--tag ${wanted}` }) },
      wanted
        ? 'saved runs with this tag (`reclab tag <run> <tag>` adds one)'
        : 'saved runs to compare (train one with `reclab train` or `reclab demo`)',
    );
  return runs;
}

/** The metric a paired test uses: --metric, else run a's selection metric, else recall@20. */
function pairedMetric(flag: string | undefined, a: RunRecord): string {
  if (flag) return flag;
  const own = a.meta?.config.metric;
  return typeof own === 'string' && /^(recall|ndcg)@/.test(own) ? own : 'recall@20';
}

export function registerCompareCommand(
  program: Command,
  io: CompareIo,
  runsRoot: (workspace: string | undefined) => string,
  workspaceOption: () => Option,
): void {
  program
    .command('compare')
    .description(
      'Compare saved runs (all finished runs when none are named), grouped by dataset and split, the best per group marked; seeds of one configuration folded into mean±std',
    )
    .argument('[runs...]', 'run ids, prefixes, names or folders')
    .addOption(
      new Option('--format <format>', 'table, csv or md (Markdown)')
        .choices(['table', 'csv', 'md'])
        .default('table'),
    )
    .option('--expand', 'one row per run, also for runs that differ only by seed')
    .option(
      '--significance',
      'with two runs A B: paired t-test and Wilcoxon signed-rank over their per-user values',
    )
    .option('--metric <name>', "metric of the paired test (default: A's metric, e.g. recall@20)")
    .option('--tag <tag>', 'only the runs with this tag (see `reclab tag`)')
    .option('--json', 'print one JSON object as the last line')
    .addOption(workspaceOption())
    .action((refs: string[], o: CompareFlags) => {
      if (o.significance && refs.length !== 2)
        throw new InputError(
          { file: '--significance', text: `${refs.length} runs` },
          'two runs: reclab compare <a> <b> --significance',
        );
      const runs = selectRuns(runsRoot(o.workspace), refs, o.tag);
      const groups = experimentsTable(runs, { expand: o.expand || o.significance });
      const metrics = headlineMetrics(groups);
      const render = { table: tableText, csv: csvText, md: markdownText }[o.format];
      for (const line of render(groups, o.format === 'csv' ? allMetrics(groups) : metrics))
        io.out(line);
      if (o.format === 'table') for (const line of unfinishedNotes(runs)) io.out(line);
      const paired = o.significance
        ? compareRunsPaired(runs[0], runs[1], pairedMetric(o.metric, runs[0]))
        : undefined;
      if (paired) {
        io.out('');
        for (const line of significanceText(paired, runs[0], runs[1])) io.out(line);
      }
      if (o.json)
        io.out(
          JSON.stringify({
            groups: groups.map(groupJson),
            runs: runs.map(runJson),
            ...(paired && { significance: significanceJson(paired, runs[0], runs[1]) }),
          }),
        );
    });
}

/** The experiments table as CSV (every metric) or Markdown (the headline metrics), as lines. */
export function exportLines(groups: readonly TableGroup[], format: 'csv' | 'md'): string[] {
  return format === 'csv'
    ? csvText(groups, allMetrics(groups))
    : markdownText(groups, headlineMetrics(groups));
}

function allMetrics(groups: readonly TableGroup[]): string[] {
  return sortMetricKeys([
    ...new Set(groups.flatMap((g) => g.rows.flatMap((r) => Object.keys(r.metrics)))),
  ]);
}

function groupJson(g: TableGroup) {
  return {
    label: g.label,
    dataset: g.dataset,
    split: g.split,
    rows: g.rows.map((r, i) => ({
      name: r.name,
      runs: r.runs.map((x) => x.id),
      final: r.final,
      params: r.params,
      seeds: r.seeds,
      tags: r.tags,
      metrics: r.metrics,
      best: Object.keys(g.best).filter((k) => isBest(g, i, k)),
    })),
  };
}

function runJson(r: RunRecord) {
  const last = r.summary ? undefined : lastEvaluation(r);
  return {
    id: r.id,
    name: r.meta?.name,
    model: r.meta?.model,
    dataset: r.meta?.dataset,
    status: r.state.status,
    ...r.summary?.metrics,
    // a run that did not finish: its last evaluation, apart from test results
    ...(last && {
      lastEvaluation: { epoch: last.epoch, on: last.evaluatedOn, ...last.metrics },
    }),
  };
}
