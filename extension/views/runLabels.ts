/**
 * How runs read in the Experiments tree: grouped by dataset, newest first, each with its
 * model, status, headline metric and duration. Pure functions of RunRecord, unit-tested.
 */
import type { SourceFile } from '../../src/data/fingerprint.js';
import { paperReferences } from '../../src/eval/paperNumbers.js';
import type { RunRecord } from '../../src/runs/format.js';
import { HEADLINE_METRIC, headlineValue } from '../../src/runs/headline.js';
import { describeSelection, selectionLabel } from '../../src/runs/selection.js';
import { runTags } from '../../src/runs/tags.js';
import type { EpochData, RunSeries, RunStatus } from '../shared/messages.js';

export { HEADLINE_METRIC, headlineValue };

export interface RunGroup {
  readonly dataset: string;
  readonly runs: RunRecord[];
}

/** Groups runs by dataset label (alphabetical); runs keep their order (newest first). */
export function groupByDataset(runs: readonly RunRecord[]): RunGroup[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const key = r.meta?.dataset ?? '(unknown dataset)';
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dataset, list]) => ({ dataset, runs: list }));
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function formatMetric(v: number | undefined | null): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toFixed(4);
}

export function runSeconds(r: RunRecord): number | undefined {
  if (r.summary) return r.summary.seconds;
  if (r.history.length) return r.history.reduce((s, e) => s + e.seconds + (e.evalSeconds ?? 0), 0);
  return undefined;
}

export function runLabel(r: RunRecord): string {
  return r.meta?.name ?? r.id;
}

/** "mf · R@20 0.1234 · 12.3s", or progress for a running run. */
export function runDescription(r: RunRecord, metric = HEADLINE_METRIC): string {
  const parts = [r.meta?.model ?? '?'];
  if (r.state.status === 'running') parts.push(`epoch ${r.state.epoch}/${r.state.epochs}`);
  const v = headlineValue(r, metric);
  const mark = selectionLabel(r.summary);
  if (v !== undefined)
    parts.push(`${shortMetric(metric)} ${formatMetric(v)}${mark ? ` ${mark}` : ''}`);
  const d = formatDuration(runSeconds(r));
  if (d) parts.push(d);
  const tags = runTags(r.meta);
  if (tags.length) parts.push(tags.map((t) => `#${t}`).join(' '));
  return parts.join(' · ');
}

/** recall@20 -> R@20, ndcg@20 -> NDCG@20: fits the status bar and tree rows. */
export function shortMetric(metric: string): string {
  const [name, k] = metric.split('@');
  const short: Record<string, string> = {
    recall: 'R',
    precision: 'P',
    ndcg: 'NDCG',
    hit: 'HR',
    map: 'MAP',
    mrr: 'MRR',
  };
  return `${short[name.toLowerCase()] ?? name}${k ? `@${k}` : ''}`;
}

/**
 * The tree item's contextValue, which package.json's menus key on: `reclab.run.<status>`, with
 * `.resumable` appended when the Resume action applies.
 */
/**
 * The tree's contextValue of a run, which package.json's menus match: `reclab.run.<status>`,
 * `.resumable` for a stopped run that can go on, `.relations` for a finished run with a
 * relation assignment (VRKG4Rec) to show.
 */
export function runContextValue(r: RunRecord, resumable: boolean, relations = false): string {
  const done = r.state.status === 'done';
  return `reclab.run.${r.state.status}${resumable ? '.resumable' : ''}${done && relations ? '.relations' : ''}`;
}

/** How a resumable run reads in the Resume Run pick: "cancelled after epoch 12 of 500". */
export function resumeDescription(r: RunRecord): string {
  const epoch = r.history.at(-1)?.epoch ?? 0;
  const why = r.state.error ? `: ${r.state.error}` : '';
  return `${r.meta?.model ?? '?'} · ${r.state.status} after epoch ${epoch} of ${r.state.epochs}${r.state.status === 'failed' ? why : ''}`;
}

/** Codicon and theme colour per status. */
export function statusIcon(status: RunStatus): { readonly id: string; readonly color?: string } {
  switch (status) {
    case 'running':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'queued':
      return { id: 'clock' };
    case 'done':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'failed':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'cancelled':
      return { id: 'circle-slash', color: 'disabledForeground' };
    case 'interrupted':
      return { id: 'warning', color: 'list.warningForeground' };
  }
}

export function runTooltip(r: RunRecord): string {
  const lines = [
    `${runLabel(r)} (${r.id})`,
    `model: ${r.meta?.model ?? '?'}`,
    `dataset: ${r.meta?.dataset ?? '?'}`,
    `status: ${r.state.status}`,
  ];
  if (r.state.error) lines.push(`error: ${r.state.error}`);
  if (r.meta?.createdAt) lines.push(`started: ${r.meta.createdAt}`);
  const tags = runTags(r.meta);
  if (tags.length) lines.push(`tags: ${tags.join(', ')}`);
  if (r.summary) lines.push(`test metrics at ${describeSelection(r.summary)}`);
  for (const [k, v] of Object.entries(r.summary?.metrics ?? {}))
    lines.push(`${k}: ${formatMetric(v)}`);
  for (const p of r.problems) lines.push(`⚠ ${p}`);
  return lines.join('\n');
}

/**
 * The published numbers a run's curves are drawn against: its model on the papers' data,
 * judged by the fingerprint of the files it read (`files`: run.json's, unless the caller
 * found them another way, see RunStore.sourceFiles) and its split, never by its dataset's name.
 */
export function runPaperReferences(
  r: RunRecord,
  files: readonly SourceFile[] | undefined = r.meta?.data?.files,
  pins?: readonly string[],
): RunSeries['paper'] {
  const refs = paperReferences(r.meta?.model, { files, split: r.meta?.config.split }, pins);
  return refs.length ? refs : undefined;
}

export function toSeries(r: RunRecord, files?: readonly SourceFile[]): RunSeries {
  const paper = runPaperReferences(r, files ?? r.meta?.data?.files);
  return {
    id: r.id,
    label: runLabel(r),
    model: r.meta?.model ?? '?',
    dataset: r.meta?.dataset ?? '?',
    status: r.state.status,
    epochs: r.history.map((e): EpochData => ({ ...e })),
    ...(paper ? { paper } : {}),
  };
}
