/** The Experiments tree: runs grouped by dataset, plus runs waiting in the training queue. */
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/runs/format.js';
import { hasRelationAssignment } from '../../src/runs/relationAssignment.js';
import { isResumable } from '../runs/resumable.js';
import type { RunStore } from '../runs/runStore.js';
import type { TrainingManager, TrainJob } from '../training/trainingManager.js';
import {
  groupByDataset,
  runContextValue,
  runDescription,
  runLabel,
  runTooltip,
  statusIcon,
} from './runLabels.js';
import { Coalescer } from '../util/coalesce.js';

export type ExperimentNode =
  | { readonly kind: 'group'; readonly dataset: string; readonly runs: RunRecord[] }
  | { readonly kind: 'run'; readonly run: RunRecord }
  | { readonly kind: 'queued'; readonly job: TrainJob };

function icon(status: Parameters<typeof statusIcon>[0]): vscode.ThemeIcon {
  const i = statusIcon(status);
  return new vscode.ThemeIcon(i.id, i.color ? new vscode.ThemeColor(i.color) : undefined);
}

export class ExperimentsTree implements vscode.TreeDataProvider<ExperimentNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExperimentNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subs: vscode.Disposable[];
  // VS Code debounces a tree's change events, so events faster than that (epochs of a small
  // dataset) would hold the view still until training ends: at most one every 500 ms
  private readonly changed = new Coalescer(() => this.emitter.fire(undefined), 500, 'leading');

  constructor(
    private readonly store: RunStore,
    private readonly training: TrainingManager,
  ) {
    const poke = () => this.changed.schedule();
    // the run's files change once an epoch, and file watchers can lag: the live epoch comes from
    // the training manager, with a refresh when it moves on (not on every batch)
    let shown = '';
    const onChange = () => {
      const a = training.current;
      const key = `${a?.epoch ?? -1}:${training.queued.length}`;
      if (key !== shown) {
        shown = key;
        poke();
      }
    };
    const l = training.listen({ onStart: poke, onEnd: poke, onChange });
    this.subs = [store.onDidChange(poke), l, this.emitter];
  }

  getTreeItem(n: ExperimentNode): vscode.TreeItem {
    switch (n.kind) {
      case 'group': {
        const t = new vscode.TreeItem(n.dataset, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `group:${n.dataset}`;
        t.description = `${n.runs.length} run${n.runs.length === 1 ? '' : 's'}`;
        t.iconPath = new vscode.ThemeIcon('database');
        t.contextValue = 'reclab.group';
        return t;
      }
      case 'queued': {
        const t = new vscode.TreeItem(n.job.label, vscode.TreeItemCollapsibleState.None);
        t.id = `queued:${n.job.key}`;
        t.description = `${n.job.config.model} · queued`;
        t.iconPath = icon('queued');
        t.contextValue = 'reclab.queued';
        return t;
      }
      case 'run': {
        const live = this.training.current;
        const r =
          live && live.id === n.run.id && n.run.state.status === 'running'
            ? { ...n.run, state: { ...n.run.state, epoch: live.epoch } }
            : n.run;
        const t = new vscode.TreeItem(runLabel(r), vscode.TreeItemCollapsibleState.None);
        t.id = `run:${r.id}`;
        t.description = runDescription(r);
        t.tooltip = runTooltip(r);
        t.iconPath = icon(r.state.status);
        // Menus key on this: e.g. embeddings only for finished runs, Resume for stopped ones.
        const resumable = isResumable(r) && !this.training.has(r.id);
        t.contextValue = runContextValue(r, resumable, hasRelationAssignment(r.dir));
        // no t.command: selecting a row (to compare or delete several) must not open or
        // replace a Metrics panel; the row's Show Metrics button and menu open it
        return t;
      }
    }
  }

  getChildren(n?: ExperimentNode): ExperimentNode[] {
    if (!n) {
      const queued: ExperimentNode[] = this.training.queued.map((job) => ({ kind: 'queued', job }));
      const groups: ExperimentNode[] = groupByDataset(this.store.all).map((g) => ({
        kind: 'group',
        dataset: g.dataset,
        runs: g.runs,
      }));
      return [...queued, ...groups];
    }
    if (n.kind === 'group') return n.runs.map((run) => ({ kind: 'run', run }));
    return [];
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subs) s.dispose();
  }
}
