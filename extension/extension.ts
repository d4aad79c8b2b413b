/**
 * RecLab's extension entry: builds the shared services, registers commands, views, panels and
 * serializers. Training and every heavy computation run in dist/train-worker.js threads.
 */
import * as vscode from 'vscode';
import { mkdirSync } from 'node:fs';
import { registerCommands } from './commands/register.js';
import { DashboardView } from './panels/dashboardView.js';
import { ComparePanel } from './panels/comparePanel.js';
import { DatasetPanel } from './panels/datasetPanel.js';
import { RelationsPanel } from './panels/relationsPanel.js';
import { EmbeddingsPanel } from './panels/embeddingsPanel.js';
import { MetricsPanel } from './panels/metricsPanel.js';
import { ColumnStore } from './datasets/columnsPrompt.js';
import { PickedDatasets } from './datasets/picked.js';
import { RunStore } from './runs/runStore.js';
import type { Services } from './services.js';
import { ExperimentCodeLens, retryWithColumns } from './commands/trainCommands.js';
import { ProgressUi } from './training/progressUi.js';
import { TrainingManager } from './training/trainingManager.js';
import { nodeWorkerFactory } from './training/workerClient.js';
import { resumeInterrupted, workspaceJournal } from './training/resumeUi.js';
import { errorMessage } from '../src/util/errors.js';
import { log, setLogChannel } from './util/guard.js';
import { setFallbackRoot } from './util/workspace.js';
import { DatasetsTree } from './views/datasetsTree.js';
import { ExperimentsTree } from './views/experimentsTree.js';
import { registerSerializers } from './panels/serializers.js';

/** What activate() returns: used by the extension-host tests, not a public API. */
export interface RecLabApi {
  readonly services: Services;
  readonly dashboard: DashboardView;
  readonly experiments: ExperimentsTree;
  readonly datasets: DatasetsTree;
  readonly panels: {
    metrics: typeof MetricsPanel.registry;
    compare: typeof ComparePanel.registry;
    embeddings: typeof EmbeddingsPanel.registry;
    dataset: typeof DatasetPanel.registry;
    relations: typeof RelationsPanel.registry;
  };
}

/** the training of this window, stopped by deactivate() */
let activeTraining: TrainingManager | undefined;

export function activate(context: vscode.ExtensionContext): RecLabApi {
  const channel = vscode.window.createOutputChannel('RecLab');
  setLogChannel(channel);
  context.subscriptions.push(channel);
  const storage = context.globalStorageUri.fsPath;
  mkdirSync(storage, { recursive: true });
  setFallbackRoot(storage);

  const workerFile = vscode.Uri.joinPath(context.extensionUri, 'dist', 'train-worker.js').fsPath;
  const workers = nodeWorkerFactory(workerFile);
  const journal = workspaceJournal(context.workspaceState);
  const training = new TrainingManager(workers, journal);
  activeTraining = training;
  const store = new RunStore();
  const services: Services = {
    context,
    extensionUri: context.extensionUri,
    store,
    training,
    workers,
    picked: new PickedDatasets(context.workspaceState),
    columns: new ColumnStore(context.workspaceState),
  };
  // The run's folder appearing, each epoch and the end refresh the runs even when the file
  // watcher is slow or absent (as in code-server here).
  let seen = '';
  training.listen({
    onEnd: () => store.scheduleRefresh(50),
    onStart: () => store.scheduleRefresh(500),
    onChange: (a) => {
      const key = a ? `${a.id}:${a.epoch}` : '';
      if (key === seen) return;
      seen = key;
      if (a?.id) store.scheduleRefresh(100);
    },
  });

  const experiments = new ExperimentsTree(store, training);
  const datasets = new DatasetsTree();
  const dashboard = new DashboardView(services);
  const experimentsView = vscode.window.createTreeView('reclab.experiments', {
    treeDataProvider: experiments,
    canSelectMany: true,
    showCollapseAll: true,
  });
  context.subscriptions.push(
    { dispose: () => training.dispose() },
    store,
    experiments,
    datasets,
    dashboard,
    experimentsView,
    new ProgressUi(training, (o) => retryWithColumns(services, o)),
    vscode.window.registerTreeDataProvider('reclab.datasets', datasets),
    vscode.window.registerWebviewViewProvider(DashboardView.viewId, dashboard),
    vscode.languages.registerCodeLensProvider(
      { pattern: '**/*.reclab.json' },
      new ExperimentCodeLens(),
    ),
    ...registerSerializers(services),
    ...registerCommands(services, datasets, experiments, dashboard),
  );
  // what a window closed during training left unfinished: resumed from its checkpoints
  void resumeInterrupted(training, journal.entries()).catch((e: unknown) =>
    log(`could not resume interrupted training: ${errorMessage(e)}`),
  );
  return {
    services,
    dashboard,
    experiments,
    datasets,
    panels: {
      metrics: MetricsPanel.registry,
      compare: ComparePanel.registry,
      embeddings: EmbeddingsPanel.registry,
      dataset: DatasetPanel.registry,
      relations: RelationsPanel.registry,
    },
  };
}

/**
 * Stops training first (the host gives deactivate a few seconds), so that the run reads
 * interrupted, and resumable, for the next window.
 */
export async function deactivate(): Promise<void> {
  const stopped = activeTraining?.shutdown();
  activeTraining = undefined;
  for (const r of [
    MetricsPanel.registry,
    ComparePanel.registry,
    EmbeddingsPanel.registry,
    DatasetPanel.registry,
    RelationsPanel.registry,
  ])
    r.disposeAll();
  await stopped;
}
