/** Train Model... (quick picks), Run Experiment File, Stop Training, and the CodeLens on *.reclab.json. */
import * as vscode from 'vscode';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { MODELS } from '../../src/models/registry.js';
import { readExperimentFile, type ExperimentConfig } from '../../src/runs/experiment.js';
import type { Hyperparameters } from '../../src/models/types.js';
import { lineOfKey } from '../datasets/access.js';
import { refuseOutside, workspaceRoots } from '../datasets/picked.js';
import { FILES, type SweepTag } from '../../src/runs/format.js';
import { isResumable, resumeBlocker } from '../runs/resumable.js';
import type { Services } from '../services.js';
import { expandSweep } from '../../src/runs/sweep.js';
import { resumeTarget } from '../training/recovery.js';
import { planSweep, sweepSummary } from '../training/sweepQueue.js';
import type { RunOutcome, TrainJob } from '../training/trainingManager.js';
import { askAndRemember } from '../datasets/columnsPrompt.js';
import { resumeDescription, runLabel } from '../views/runLabels.js';
import { resolveRun } from './pickRun.js';
import type { DatasetsTree } from '../views/datasetsTree.js';
import { workspaceRoot } from '../util/workspace.js';
import {
  DEMO_DATASET,
  experimentFileName,
  experimentFileText,
  KEY_HYPERPARAMETERS,
  parsedOrDefault,
  resolveDatasetSpec,
  stepTitle,
  toExperiment,
  trainSteps,
  validateNumber,
  type TrainChoice,
} from './trainChoice.js';

const DEFAULT_EPOCHS = 20;

/**
 * Queues a run of the config, with its dataset path made absolute against the workspace and
 * the columns chosen for its file (when the header does not name them) in its datasetOptions,
 * so that run.json records them and a resume or an evaluation reads the file the same way.
 */
export function startTraining(s: Services, config: ExperimentConfig, sweep?: SweepTag): void {
  const root = workspaceRoot();
  const dataset = resolveDatasetSpec(config.dataset, root, isAbsolute, join);
  const datasetOptions = s.columns.options(dataset, config.datasetOptions);
  const resolved = { ...config, dataset, ...(datasetOptions && { datasetOptions }) };
  const job = s.training.enqueue(resolved, root, undefined, sweep);
  if (!sweep) announceQueued(s, job);
}

/**
 * An experiment file with a "sweep": every point checked up front (expandSweep refuses a bad
 * axis before anything runs), then queued one run each; points finished before are skipped
 * and stopped ones resumed, as `reclab sweep` does.
 */
function queueSweep(s: Services, config: ExperimentConfig, file: string): string {
  // expanded from the file as written: the same sweep id and point keys as `reclab sweep`'s
  const sweep = expandSweep(config, file);
  s.store.refresh();
  const plan = planSweep(sweep, s.store.all);
  for (const p of plan) {
    if (p.status === 'trained') {
      // relative dataset paths in a file are relative to the file
      const dataset = resolveDatasetSpec(p.point.config.dataset, dirname(file), isAbsolute, join);
      startTraining(s, { ...p.point.config, dataset }, p.tag);
    } else if (p.status === 'resumed' && p.run && !s.training.has(p.run.id))
      s.training.enqueue(
        p.run.meta?.config as unknown as ExperimentConfig,
        workspaceRoot(),
        resumeTarget(p.run, runLabel(p.run)),
        p.tag,
      );
  }
  const summary = sweepSummary(sweep, plan);
  void vscode.window.showInformationMessage(`RecLab: ${summary}.`);
  return summary;
}

/**
 * A run that failed because its dataset's header names no user or item column: asks which
 * column is which and queues it again with them. False when it was not such a failure, was
 * a resume (its run.json says how it was read), or the user cancelled.
 */
export async function retryWithColumns(s: Services, o: RunOutcome): Promise<boolean> {
  if (o.status !== 'failed' || !o.columns || o.job.resume) return false;
  // no loop: the retry names a column for each role asked, so it cannot fail this way again
  if (!(await askAndRemember(s.columns, o.columns))) return false;
  startTraining(s, o.job.config);
  return true;
}

function announceQueued(s: Services, job: TrainJob): void {
  if (
    s.training.current &&
    s.training.current.label !== job.label &&
    s.training.queued.includes(job)
  ) {
    void vscode.window.showInformationMessage(
      `RecLab: ${job.label} queued; it starts when the current run ends.`,
    );
  }
}

async function pickDataset(datasets: DatasetsTree): Promise<string | undefined> {
  const nodes = await datasets.candidates();
  const items: Array<vscode.QuickPickItem & { spec?: string }> = [
    ...nodes.map((n) => ({
      label: n.spec === DEMO_DATASET ? '$(beaker) Demo dataset' : `$(table) ${n.label}`,
      description: n.kind,
      spec: n.spec,
    })),
    { label: '$(folder-opened) Browse for a file…', description: 'a path whose format is sniffed' },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: stepTitle(trainSteps(), 'dataset'),
    placeHolder: 'Which dataset?',
  });
  if (!pick) return undefined;
  if (pick.spec) return pick.spec;
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    canSelectFolders: true,
    canSelectFiles: true,
    openLabel: 'Use dataset',
  });
  return files?.[0]?.fsPath;
}

async function askNumber(
  title: string,
  name: string,
  def: number | undefined,
  integer: boolean,
): Promise<number | undefined | null> {
  const text = await vscode.window.showInputBox({
    title,
    prompt: `${name} (default ${def ?? 'none'}; leave empty to keep it)`,
    placeHolder: String(def ?? ''),
    value: def === undefined ? '' : String(def),
    validateInput: (t) => validateNumber(t, { integer, min: integer ? 1 : Number.MIN_VALUE }),
  });
  if (text === undefined) return null; // Escape: abandon the whole flow
  return parsedOrDefault(text, def);
}

export async function trainModel(s: Services, datasets: DatasetsTree): Promise<void> {
  const dataset = await pickDataset(datasets);
  if (!dataset) return;
  // chosen here by the user: allowed outside the workspace, also in the file saved from it
  const resolvedSpec = resolveDatasetSpec(dataset, workspaceRoot(), isAbsolute, join);
  s.picked.addSpec(resolvedSpec);
  const model = await vscode.window.showQuickPick(
    [...MODELS.values()].map((m) => ({
      label: m.name,
      description: m.title,
      detail: m.paper,
      entry: m,
    })),
    {
      title: stepTitle(trainSteps(), 'model'),
      placeHolder: 'Which model?',
      matchOnDescription: true,
    },
  );
  if (!model) return;
  const entry = model.entry;
  const steps = trainSteps(entry);
  const hyper: Hyperparameters = {};
  let epochs: number | undefined;
  if (entry.trainable) {
    const e = await askNumber(stepTitle(steps, 'epochs'), 'epochs', DEFAULT_EPOCHS, true);
    if (e === null) return;
    epochs = e ?? DEFAULT_EPOCHS;
    for (const key of KEY_HYPERPARAMETERS) {
      const integer = key === 'dim';
      const def = entry.defaults[key];
      if (typeof def !== 'number') continue;
      const v = await askNumber(stepTitle(steps, key), key, def, integer);
      if (v === null) return;
      if (v !== undefined) hyper[key] = v;
    }
  }
  // the columns chosen before for this file go into the experiment (and the saved file)
  const datasetOptions = s.columns.options(resolvedSpec);
  const choice: TrainChoice = {
    dataset,
    model: entry.name,
    trainable: entry.trainable,
    epochs,
    hyper,
    ...(datasetOptions && { datasetOptions }),
  };
  const config = toExperiment(choice);
  const how = await vscode.window.showQuickPick(
    [
      { label: '$(play) Train now', id: 'train' },
      {
        label: '$(save) Train and save as experiment file',
        description: experimentFileName(config),
        id: 'both',
      },
      {
        label: '$(file-code) Only save as experiment file',
        description: experimentFileName(config),
        id: 'save',
      },
    ],
    { title: stepTitle(steps, 'start'), placeHolder: JSON.stringify(config) },
  );
  if (!how) return;
  if (how.id !== 'train') await saveExperimentFile(config);
  if (how.id !== 'save') startTraining(s, config);
}

async function saveExperimentFile(config: ExperimentConfig): Promise<void> {
  const root = workspaceRoot();
  let path = join(root, experimentFileName(config));
  for (let i = 2; existsSync(path); i++)
    path = join(root, experimentFileName(config).replace(/\.reclab\.json$/, `-${i}.reclab.json`));
  writeFileSync(path, experimentFileText(config));
  await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
}

/**
 * Run Experiment File (the CodeLens, the explorer, the palette). Returns the refusal when the
 * file's dataset lies outside the workspace and was not picked (shown with a Choose… button).
 */
export async function runExperimentFile(s: Services, arg: unknown): Promise<string | undefined> {
  let uri =
    arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.file(arg) : undefined;
  const active = vscode.window.activeTextEditor?.document;
  if (!uri && active?.fileName.endsWith('.reclab.json')) uri = active.uri;
  if (!uri) {
    const files = await vscode.workspace.findFiles('**/*.reclab.json', '**/node_modules/**', 100);
    if (files.length === 0)
      throw new Error(
        'no *.reclab.json experiment files in the workspace (Train Model… can create one)',
      );
    const pick = await vscode.window.showQuickPick(
      files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
      { title: 'Run Experiment File' },
    );
    uri = pick?.uri;
  }
  if (!uri) return undefined;
  const file = uri.fsPath;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const config = readExperimentFile(file);
  // Relative dataset paths in a file are relative to the file, like $schema references.
  const dataset = resolveDatasetSpec(config.dataset, dirname(file), isAbsolute, join);
  // with no folder open, the file's own folder stands for the workspace
  const roots = workspaceRoots().length ? workspaceRoots() : [dirname(file)];
  const where = { file, field: 'dataset', line: lineOfKey(readFileSync(file, 'utf8'), 'dataset') };
  const refused = refuseOutside(s.picked, dataset, where, () => runExperimentFile(s, uri), roots);
  if (refused) return refused.message;
  if (config.sweep) return queueSweep(s, config, file);
  startTraining(s, { ...config, dataset });
  return undefined;
}

/**
 * Resume Run: continues a cancelled, failed or interrupted run from its last checkpoint, in
 * the same run folder (a tree node, a run id, or a pick among the resumable runs).
 */
export async function resumeRun(s: Services, arg: unknown): Promise<string | undefined> {
  const run = await resolveRun(s.store, arg, {
    title: 'Resume Run…',
    filter: (r) => isResumable(r) && !s.training.has(r.id),
    empty:
      'no run to resume: cancelled, failed or interrupted runs with a last-epoch checkpoint can be resumed',
    describe: resumeDescription,
  });
  if (!run?.meta) return undefined;
  const blocker = s.training.has(run.id) ? 'it is training or queued here' : resumeBlocker(run);
  if (blocker) throw new Error(`${runLabel(run)} cannot be resumed: ${blocker}`);
  const config = run.meta.config as unknown as ExperimentConfig;
  // a run folder can come with a cloned repository too: its dataset path is checked as a file's
  const where = { file: join(run.dir, FILES.meta), field: 'config.dataset' };
  const refused = refuseOutside(s.picked, config.dataset, where, () => resumeRun(s, run.id));
  if (refused) return refused.message;
  const job = s.training.enqueue(config, workspaceRoot(), resumeTarget(run, runLabel(run)));
  announceQueued(s, job);
  return undefined;
}

export function stopTraining(s: Services): void {
  if (s.training.cancel()) {
    void vscode.window.showInformationMessage('RecLab: stopping after the current batch…');
    return;
  }
  const n = s.training.clearQueue();
  void vscode.window.showInformationMessage(
    n ? `RecLab: removed ${n} queued run(s).` : 'RecLab: nothing is training.',
  );
}

/** "▶ Run" above every *.reclab.json. */
export class ExperimentCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const range = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(range, {
        title: '$(play) Run',
        command: 'reclab.runExperimentFile',
        arguments: [doc.uri],
      }),
      new vscode.CodeLens(range, {
        title: 'Show experiments',
        command: 'reclab.experiments.focus',
      }),
    ];
  }
}
