/**
 * Download Benchmark Dataset: pick from the catalog, read the source and licence, download into
 * `<workspace>/<reclab.datasetsFolder>/<id>` with a cancellable progress notification, then
 * refresh the Datasets tree and offer Inspect. The download is async network and file IO on the
 * extension host (the one CPU step, inflating a zip member, takes well under a second).
 */
import * as vscode from 'vscode';
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import {
  CATALOG,
  catalogEntry,
  specFor,
  type DatasetEntry,
} from '../../src/data/download/catalog.js';
import {
  datasetFolder,
  downloadDataset,
  isCompleteDownload,
  type DownloadResult,
} from '../../src/data/download/download.js';
import { DownloadCancelledError } from '../../src/data/download/errors.js';
import {
  catalogPickItems,
  datasetsParent,
  DEFAULT_DATASETS_FOLDER,
  licenceDialog,
  ProgressIncrements,
} from '../datasets/downloadChoice.js';
import { log } from '../util/guard.js';
import type { DatasetsTree } from '../views/datasetsTree.js';

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file')
    throw new Error('open a folder first: datasets are downloaded into the workspace');
  return folder.uri.fsPath;
}

function hasFiles(path: string): boolean {
  try {
    return existsSync(path) && readdirSync(path).length > 0;
  } catch {
    return false;
  }
}

async function pickEntry(parent: string): Promise<DatasetEntry | undefined> {
  const pick = await vscode.window.showQuickPick(
    catalogPickItems(CATALOG, (id) => isCompleteDownload(datasetFolder(parent, id))),
    { title: 'Download Benchmark Dataset', matchOnDescription: true, matchOnDetail: true },
  );
  return pick ? catalogEntry(pick.id) : undefined;
}

/** Asks before replacing a folder; returns whether to go on (with force). */
async function confirmReplace(target: string, spec: string): Promise<boolean> {
  const complete = isCompleteDownload(target);
  const choice = await vscode.window.showWarningMessage(
    complete ? `${target} is already downloaded.` : `${target} exists and is not empty.`,
    { modal: true, detail: complete ? undefined : 'Replacing it deletes the files in it.' },
    complete ? 'Download Again' : 'Replace',
    ...(complete ? ['Inspect'] : []),
  );
  if (choice === 'Inspect') {
    void vscode.commands.executeCommand('reclab.inspectDataset', spec);
    return false;
  }
  return choice === 'Download Again' || choice === 'Replace';
}

/** Removes a folder if nothing is in it (rmdir refuses a folder with files: they stay). */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or already gone
  }
}

/**
 * @param arg a dataset id, to skip the pick
 * @param confirm false skips the licence dialog and replaces an existing folder (for scripts
 *   and tests that pass the id; the palette always shows the dialog)
 */
export async function downloadBenchmarkDataset(
  datasets: DatasetsTree,
  arg?: unknown,
  confirm: unknown = true,
): Promise<DownloadResult | undefined> {
  const root = workspaceFolder();
  const setting = vscode.workspace
    .getConfiguration('reclab')
    .get<string>('datasetsFolder', DEFAULT_DATASETS_FOLDER);
  const parent = datasetsParent(root, setting);
  const entry = typeof arg === 'string' ? catalogEntry(arg) : await pickEntry(parent);
  if (!entry) return undefined;
  const target = datasetFolder(parent, entry.id);

  const ask = confirm !== false || typeof arg !== 'string';
  if (ask) {
    const { message, detail } = licenceDialog(entry, target);
    const choice = await vscode.window.showInformationMessage(
      message,
      { modal: true, detail },
      'Download',
      'Open Source Page',
    );
    if (choice === 'Open Source Page') {
      await vscode.env.openExternal(vscode.Uri.parse(entry.homepage));
      return undefined;
    }
    if (choice !== 'Download') return undefined;
  }

  let force = false;
  if (hasFiles(target)) {
    if (ask && !(await confirmReplace(target, specFor(entry, target)))) return undefined;
    force = true;
  }

  // a download that does not finish must not leave behind the folder it created for itself
  const parentExisted = existsSync(parent);
  log(`downloading ${entry.id} from ${entry.files.map((f) => f.url).join(', ')} into ${target}`);
  let result: DownloadResult;
  try {
    result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Downloading ${entry.title}`,
        cancellable: true,
      },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        const increments = new ProgressIncrements();
        try {
          return await downloadDataset(entry, {
            dir: parent,
            force,
            signal: ac.signal,
            onProgress: (p) => {
              const step = increments.next(p);
              if (step) progress.report(step);
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    if (!parentExisted) removeIfEmpty(parent);
    if (e instanceof DownloadCancelledError) {
      log(`download of ${entry.id} cancelled`);
      void vscode.window.showInformationMessage(
        `RecLab: download of ${entry.title} cancelled; nothing was kept.`,
      );
      return undefined;
    }
    throw e;
  }
  log(`downloaded ${entry.id} to ${result.dir} in ${result.seconds.toFixed(1)}s (${result.spec})`);
  datasets.refresh();
  void vscode.window
    .showInformationMessage(`RecLab: downloaded ${entry.title} to ${result.dir}.`, 'Inspect')
    .then((pick) => {
      if (pick === 'Inspect')
        void vscode.commands.executeCommand('reclab.inspectDataset', result.spec);
    });
  return result;
}
