/** What commands, views and panels share; built once in activate(). */
import type * as vscode from 'vscode';
import type { ColumnStore } from './datasets/columnsPrompt.js';
import type { PickedDatasets } from './datasets/picked.js';
import type { RunStore } from './runs/runStore.js';
import type { TrainingManager } from './training/trainingManager.js';
import type { WorkerFactory } from './training/workerClient.js';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly extensionUri: vscode.Uri;
  readonly store: RunStore;
  readonly training: TrainingManager;
  readonly workers: WorkerFactory;
  /** dataset paths outside the workspace that the user picked, and may be read */
  readonly picked: PickedDatasets;
  /** the columns the user said hold the users and items of files whose header does not */
  readonly columns: ColumnStore;
}
