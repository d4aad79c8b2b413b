/** Commands on saved runs: metrics, embeddings, recommendations, compare/export, rename, delete, reveal. */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../../src/runs/format.js';
import { deleteRun, renameRun } from '../../src/runs/store.js';
import { comparisonTable, toCsv } from '../compare/table.js';
import { ComparePanel, chartBytes, saveWithDialog } from '../panels/comparePanel.js';
import { EmbeddingsPanel } from '../panels/embeddingsPanel.js';
import { MetricsPanel } from '../panels/metricsPanel.js';
import { isChartFormat, type ChartFormat } from '../shared/messages.js';
import type { Services } from '../services.js';
import { runJob } from '../training/workerClient.js';
import { log } from '../util/guard.js';
import { runLabel } from '../views/runLabels.js';
import { isRunNode, resolveRun } from './pickRun.js';

export async function showMetrics(s: Services, arg: unknown): Promise<MetricsPanel | undefined> {
  const run = await resolveRun(s.store, arg, { title: 'Show Metrics of…' });
  if (!run) return undefined;
  return MetricsPanel.show(s, { runIds: [run.id], follow: run.state.status === 'running' });
}

export async function showEmbeddings(
  s: Services,
  arg: unknown,
): Promise<EmbeddingsPanel | undefined> {
  const run = await resolveRun(s.store, arg, {
    title: 'Show Embeddings of…',
    filter: (r) => existsSync(join(r.dir, FILES.embeddings)),
    empty: 'no runs with embeddings yet: train an embedding model (mf, lightgcn, ngcf)',
  });
  if (!run) return undefined;
  return EmbeddingsPanel.show(s, { runDir: run.dir, runId: run.id }, runLabel(run));
}

export async function recommendForUser(
  s: Services,
  arg: unknown,
  userArg?: unknown,
): Promise<unknown> {
  const run = await resolveRun(s.store, arg, {
    title: 'Recommend with…',
    filter: (r) => r.state.status === 'done',
  });
  if (!run) return undefined;
  const user =
    typeof userArg === 'string'
      ? userArg
      : await vscode.window.showInputBox({
          title: `Recommend with ${runLabel(run)}`,
          prompt: 'User id as in the dataset file',
          placeHolder: 'e.g. 0',
        });
  if (!user) return undefined;
  const { detail } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `RecLab: top 20 for user ${user}…` },
    () => runJob(s.workers, { type: 'recommend', runDir: run.dir, user, k: 20 }, 'recommended'),
  );
  log(
    `top 20 for user ${detail.user} (${runLabel(run)}): ${detail.recommendations.map((r) => `${r.item}${r.hit ? '*' : ''}`).join(' ')}`,
  );
  if (typeof userArg !== 'string') {
    void vscode.window.showQuickPick(
      detail.recommendations.map((r, i) => ({
        label: `${i + 1}. ${r.item}`,
        description: r.hit ? '$(star-full) in the test set' : '',
      })),
      {
        title: `Top ${detail.recommendations.length} for user ${detail.user} (${detail.trainItems.length} training items) — ${runLabel(run)}`,
      },
    );
  }
  return detail;
}

/** Run ids from a tree invocation (node, selected nodes), an id list, or undefined for all. */
function selectedRunIds(arg: unknown, selection: unknown): string[] {
  if (Array.isArray(selection) && selection.some(isRunNode))
    return selection.filter(isRunNode).map((n) => n.run.id);
  if (Array.isArray(arg) && arg.every((x) => typeof x === 'string')) return arg as string[];
  if (isRunNode(arg)) return [arg.run.id];
  return [];
}

export function compare(s: Services, arg: unknown, selection: unknown): ComparePanel {
  if (!s.store.all.some((r) => r.summary))
    throw new Error('no finished experiments to compare yet');
  const ids = selectedRunIds(arg, selection);
  return ComparePanel.show(s, { runIds: ids.length > 1 ? ids : [] });
}

/** Export Comparison: CSV from the host, SVG/PNG from the chart in the webview. */
export async function exportComparison(
  s: Services,
  whatArg?: unknown,
  target?: unknown,
): Promise<string | undefined> {
  let what: 'csv' | ChartFormat | undefined =
    whatArg === 'csv' || isChartFormat(whatArg) ? whatArg : undefined;
  if (!what) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'CSV table', id: 'csv' as const },
        { label: 'SVG chart', id: 'svg' as const },
        { label: 'PNG chart', id: 'png' as const },
      ],
      { title: 'Export Comparison as…' },
    );
    what = pick?.id;
  }
  if (!what) return undefined;
  const path = typeof target === 'string' ? target : undefined;
  if (what === 'csv') {
    const panel = ComparePanel.registry.get('compare');
    const csv = panel ? panel.csv() : toCsv(comparisonTable(s.store.all));
    return saveWithDialog('csv', new TextEncoder().encode(csv), path);
  }
  const panel = ComparePanel.registry.get('compare') ?? compare(s, undefined, undefined);
  await panel.revealAndWait();
  const data = await panel.chart(what);
  return saveWithDialog(what, chartBytes(what, data), path);
}

export async function deleteExperiment(
  s: Services,
  arg: unknown,
  selection: unknown,
  confirm: unknown = true,
): Promise<void> {
  const nodes = Array.isArray(selection) ? selection.filter(isRunNode) : [];
  const runs =
    nodes.length > 1
      ? nodes.map((n) => n.run)
      : [await resolveRun(s.store, arg, { title: 'Delete Experiment…' })];
  const list = runs.filter((r): r is NonNullable<typeof r> => r !== undefined);
  if (list.length === 0) return;
  if (list.some((r) => r.id === s.training.current?.id))
    throw new Error('stop the run before deleting it');
  if (confirm !== false) {
    const what = list.length === 1 ? `"${runLabel(list[0])}"` : `${list.length} experiments`;
    const ok = await vscode.window.showWarningMessage(
      `Delete ${what} and its files?`,
      { modal: true },
      'Delete',
    );
    if (ok !== 'Delete') return;
  }
  for (const r of list) deleteRun(r);
  s.store.refresh();
}

export async function renameExperiment(
  s: Services,
  arg: unknown,
  nameArg?: unknown,
): Promise<void> {
  const run = await resolveRun(s.store, arg, { title: 'Rename Experiment…' });
  if (!run) return;
  const name =
    typeof nameArg === 'string'
      ? nameArg
      : await vscode.window.showInputBox({
          title: 'Rename Experiment',
          value: runLabel(run),
          validateInput: (t) => (t.trim() ? undefined : 'a name is required'),
        });
  if (!name?.trim()) return;
  renameRun(run, name.trim());
  s.store.refresh();
}

export async function openExperimentFolder(s: Services, arg: unknown): Promise<void> {
  const run = await resolveRun(s.store, arg, { title: 'Open Experiment Folder…' });
  if (!run) return;
  const uri = vscode.Uri.file(run.dir);
  // revealInExplorer works in desktop and web editors alike; the OS file manager only on desktop.
  await vscode.commands.executeCommand('revealInExplorer', uri);
  const meta = vscode.Uri.joinPath(uri, FILES.meta);
  await vscode.window.showTextDocument(meta, { preview: true });
}
