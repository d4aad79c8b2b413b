/** Every RecLab command, each wrapped so an error becomes a message instead of a crash. */
import * as vscode from 'vscode';
import type { DashboardView } from '../panels/dashboardView.js';
import type { Services } from '../services.js';
import { guarded } from '../util/guard.js';
import type { DatasetsTree } from '../views/datasetsTree.js';
import type { ExperimentsTree } from '../views/experimentsTree.js';
import { inspectDataset } from './datasetCommands.js';
import { downloadBenchmarkDataset } from './downloadCommands.js';
import {
  compare,
  deleteExperiment,
  exportComparison,
  openExperimentFolder,
  recommendForUser,
  renameExperiment,
  showEmbeddings,
  showMetrics,
} from './runCommands.js';
import { showRelationAssignment } from './relationsCommand.js';
import { showSessionCommand } from './sessionCommand.js';
import { similarItemsCommand } from './similarItemsCommand.js';
import { showSweep } from './sweepViewCommand.js';
import { tagExperiment } from './tagCommand.js';
import { resumeRun, runExperimentFile, stopTraining, trainModel } from './trainCommands.js';

export function registerCommands(
  s: Services,
  datasets: DatasetsTree,
  _experiments: ExperimentsTree,
  _dashboard: DashboardView,
): vscode.Disposable[] {
  const table: Record<string, [string, (...args: unknown[]) => unknown]> = {
    'reclab.inspectDataset': ['Inspect Dataset', (a) => inspectDataset(s, datasets, a)],
    'reclab.downloadDataset': [
      'Download Benchmark Dataset',
      (a, confirm) => downloadBenchmarkDataset(datasets, a, confirm),
    ],
    'reclab.train': ['Train Model', () => trainModel(s, datasets)],
    'reclab.runExperimentFile': ['Run Experiment File', (a) => runExperimentFile(s, a)],
    'reclab.stopTraining': ['Stop Training', () => stopTraining(s)],
    'reclab.resumeRun': ['Resume Run', (a) => resumeRun(s, a)],
    'reclab.openDashboard': [
      'Open Dashboard',
      () => vscode.commands.executeCommand(`reclab.dashboard.focus`),
    ],
    'reclab.compare': ['Compare Experiments', (a, sel) => compare(s, a, sel)],
    'reclab.showSweep': ['Show Sweep', (a) => showSweep(s, a)],
    'reclab.showMetrics': ['Show Metrics', (a) => showMetrics(s, a)],
    'reclab.showEmbeddings': ['Show Embeddings', (a) => showEmbeddings(s, a)],
    'reclab.recommend': ['Recommend for User', (a, u) => recommendForUser(s, a, u)],
    'reclab.similarItems': ['Similar Items', (a, i) => similarItemsCommand(s, a, i)],
    'reclab.showSession': ['Show Session', (a, x) => showSessionCommand(s, a, x)],
    'reclab.showRelationAssignment': [
      'Show Relation Assignment',
      (a) => showRelationAssignment(s, a),
    ],
    'reclab.deleteExperiment': [
      'Delete Experiment',
      (a, sel, confirm) => deleteExperiment(s, a, sel, confirm),
    ],
    'reclab.renameExperiment': ['Rename Experiment', (a, name) => renameExperiment(s, a, name)],
    'reclab.tagExperiment': ['Tag Run', (a, tags) => tagExperiment(s, a, tags)],
    'reclab.openExperimentFolder': ['Open Experiment Folder', (a) => openExperimentFolder(s, a)],
    'reclab.exportComparison': [
      'Export Comparison',
      (what, target) => exportComparison(s, what, target),
    ],
    'reclab.refresh': [
      'Refresh',
      () => {
        s.store.refresh();
        datasets.refresh();
      },
    ],
  };
  return Object.entries(table).map(([id, [what, f]]) =>
    vscode.commands.registerCommand(id, guarded(what, f)),
  );
}
