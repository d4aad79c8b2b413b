/** The Datasets tree: the built-in demo plus dataset files found in the workspace. */
import * as vscode from 'vscode';
import { errorMessage } from '../../src/util/errors.js';
import { DEMO_DATASET } from '../commands/trainChoice.js';
import { discoverDatasets } from '../datasets/discover.js';
import type { DatasetCandidate } from '../datasets/sniff.js';
import { log } from '../util/guard.js';

export interface DatasetNode {
  readonly spec: string;
  readonly label: string;
  readonly kind: string;
}

export class DatasetsTree implements vscode.TreeDataProvider<DatasetNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DatasetNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private cache: DatasetCandidate[] | undefined;
  private readonly subs: vscode.Disposable[] = [this.emitter];

  constructor() {
    const w = vscode.workspace.createFileSystemWatcher(
      '**/*.{inter,csv,tsv,dat,data,txt}',
      false,
      true,
      false,
    );
    const poke = () => this.refresh();
    this.subs.push(w, w.onDidCreate(poke), w.onDidDelete(poke));
  }

  refresh(): void {
    this.cache = undefined;
    this.emitter.fire(undefined);
  }

  getTreeItem(n: DatasetNode): vscode.TreeItem {
    const t = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
    t.id = `dataset:${n.spec}`;
    t.description = n.kind;
    t.tooltip = n.spec;
    t.iconPath = new vscode.ThemeIcon(n.spec === DEMO_DATASET ? 'beaker' : 'table');
    t.contextValue = 'reclab.dataset';
    t.command = { command: 'reclab.inspectDataset', title: 'Inspect Dataset', arguments: [n] };
    return t;
  }

  async getChildren(n?: DatasetNode): Promise<DatasetNode[]> {
    if (n) return [];
    if (!this.cache) {
      try {
        this.cache = await discoverDatasets();
      } catch (e) {
        log(`dataset discovery failed: ${errorMessage(e)}`);
        this.cache = [];
      }
    }
    return [
      { spec: DEMO_DATASET, label: 'Demo dataset', kind: 'synthetic' },
      ...this.cache.map((c) => ({ spec: c.spec, label: c.path, kind: c.kind })),
    ];
  }

  /** The candidates last found (for the Train Model quick pick). */
  async candidates(): Promise<DatasetNode[]> {
    return this.getChildren();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
