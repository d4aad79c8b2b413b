/** Commands on saved runs: metrics, embeddings, recommendations, compare/export, rename, delete, reveal. */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, type RunRecord } from '../../src/runs/format.js';
import { deleteRun, renameRun } from '../../src/runs/store.js';
import { exportLines } from '../../src/cli/compareCommand.js';
import { experimentsTable } from '../../src/runs/experimentsTable.js';
import { ComparePanel, chartBytes, comparable, saveWithDialog } from '../panels/comparePanel.js';
import { EmbeddingsPanel } from '../panels/embeddingsPanel.js';
import { MetricsPanel } from '../panels/metricsPanel.js';
import { isChartFormat, type ChartFormat } from '../shared/messages.js';
import type { Services } from '../services.js';
import { runJob } from '../training/workerClient.js';
import { displayMessage } from '../util/errorText.js';
import { log } from '../util/guard.js';
import { runLabel } from '../views/runLabels.js';
import { isRunNode, resolveRun } from './pickRun.js';

export async function showMetrics(s: Services, arg: unknown): Promise<MetricsPanel | undefined> {
  const run = await resolveRun(s.store, arg, { title: 'Show Metrics of…' });
  if (!run) return undefined;
  return MetricsPanel.show(s, { runIds: [run.id], follow: run.state.status === 'running' });
}

/**
 * An empty workspace is not a failure: an information message says what to do first and
 * offers the command that does it (not awaited: the caller's command ends at once).
 */
export function nothingYet(message: string): undefined {
  const train = 'Train Model…';
  void vscode.window.showInformationMessage(`RecLab: ${message}`, train).then((pick) => {
    if (pick === train) void vscode.commands.executeCommand('reclab.train');
  });
  return undefined;
}

const hasEmbeddings = (r: RunRecord) => existsSync(join(r.dir, FILES.embeddings));

export async function showEmbeddings(
  s: Services,
  arg: unknown,
): Promise<EmbeddingsPanel | undefined> {
  if (arg === undefined && !s.store.all.some(hasEmbeddings))
    return nothingYet(
      'no runs with embeddings yet. Train an embedding model (mf, lightgcn, ngcf), then show its embeddings.',
    );
  const run = await resolveRun(s.store, arg, {
    title: 'Show Embeddings of…',
    filter: hasEmbeddings,
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

export function compare(s: Services, arg: unknown, selection: unknown): ComparePanel | undefined {
  if (!s.store.all.some(comparable))
    return nothingYet(
      'no finished experiments to compare yet. Train a model or run an experiment file; when two have finished, compare them here.',
    );
  const ids = selectedRunIds(arg, selection);
  return ComparePanel.show(s, { runIds: ids.length > 1 ? ids : [] });
}

/** Export Comparison: CSV from the host, SVG/PNG from the chart in the webview. */
export async function exportComparison(
  s: Services,
  whatArg?: unknown,
  target?: unknown,
): Promise<string | undefined> {
  let what: 'csv' | 'md' | ChartFormat | undefined =
    whatArg === 'csv' || whatArg === 'md' || isChartFormat(whatArg) ? whatArg : undefined;
  if (!what) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'CSV table', id: 'csv' as const },
        { label: 'Markdown table', id: 'md' as const },
        { label: 'SVG chart', id: 'svg' as const },
        { label: 'PNG chart', id: 'png' as const },
      ],
      { title: 'Export Comparison as…' },
    );
    what = pick?.id;
  }
  if (!what) return undefined;
  const path = typeof target === 'string' ? target : undefined;
  if (what === 'csv' || what === 'md') {
    const panel = ComparePanel.registry.get('compare');
    const text = panel
      ? panel.tableText(what)
      : `${exportLines(experimentsTable(s.store.all.filter(comparable)), what).join('\n')}\n`;
    return saveWithDialog(what, new TextEncoder().encode(text), path);
  }
  const panel = ComparePanel.registry.get('compare') ?? compare(s, undefined, undefined);
  if (!panel) return undefined;
  await panel.revealAndWait();
  const data = await panel.chart(what);
  return saveWithDialog(what, chartBytes(what, data), path);
}

/** Run ids given as a list (the Compare panel's checked runs). */
const idList = (x: unknown): string[] | undefined =>
  Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === 'string')
    ? (x as string[])
    : undefined;

/**
 * Moves run folders to the trash. A remote or web editor (code-server) has no trash: then it
 * asks once more before deleting for good. Returns false when the user kept the runs.
 */
async function trashRuns(runs: readonly RunRecord[], what: string): Promise<boolean> {
  const uris = runs.map((r) => vscode.Uri.file(r.dir));
  try {
    for (const u of uris) await vscode.workspace.fs.delete(u, { recursive: true, useTrash: true });
    return true;
  } catch (e) {
    log(`trash refused (${displayMessage(e)}): asking to delete for good`);
    const ok = await vscode.window.showWarningMessage(
      `This editor cannot move files to the trash. Delete ${what} for good?`,
      { modal: true },
      'Delete for Good',
    );
    if (ok !== 'Delete for Good') return false;
    for (const r of runs) deleteRun(r);
    return true;
  }
}

export async function deleteExperiment(
  s: Services,
  arg: unknown,
  selection: unknown,
  confirm: unknown = true,
): Promise<void> {
  const nodes = Array.isArray(selection) ? selection.filter(isRunNode) : [];
  const ids = idList(arg);
  const runs = ids
    ? ids.map((id) => s.store.byId(id))
    : nodes.length > 1
      ? nodes.map((n) => n.run)
      : [await resolveRun(s.store, arg, { title: 'Delete Experiment…' })];
  const list = runs.filter((r): r is NonNullable<typeof r> => r !== undefined);
  if (list.length === 0) return;
  if (list.some((r) => r.id === s.training.current?.id))
    throw new Error('stop the run before deleting it');
  const what = list.length === 1 ? `"${runLabel(list[0])}"` : `${list.length} experiments`;
  if (confirm !== false) {
    const ok = await vscode.window.showWarningMessage(
      `Move ${what} and its files to the trash?`,
      { modal: true },
      'Move to Trash',
    );
    if (ok !== 'Move to Trash') return;
    await trashRuns(list, what);
  } else for (const r of list) deleteRun(r); // tests and scripts: no dialog, no trash
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
