/**
 * Learning curves (loss and ranking metrics per epoch) of one or more runs, live while the
 * active run trains: its epochs come from the worker as they end, the others from disk.
 */
import * as vscode from 'vscode';
import { hasRelationAssignment } from '../../src/runs/relationAssignment.js';
import type { RunSeries } from '../shared/messages.js';
import type { Services } from '../services.js';
import { HEADLINE_METRIC, runPaperReferences, toSeries } from '../views/runLabels.js';
import { Panel, PanelRegistry } from './panel.js';
import { Coalescer } from '../util/coalesce.js';

export interface MetricsState {
  readonly runIds: string[];
  /** also show whatever run is training */
  readonly follow: boolean;
}

export class MetricsPanel extends Panel {
  static readonly viewType = 'reclab.metrics';
  static readonly registry = new PanelRegistry<MetricsPanel>();
  private readonly refreshSoon = new Coalescer(() => this.refresh(), 300);

  static show(s: Services, state: MetricsState): MetricsPanel {
    const existing = MetricsPanel.registry.get('metrics');
    if (existing) {
      existing.state = state;
      existing.refresh();
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      MetricsPanel.viewType,
      'RecLab Metrics',
      vscode.ViewColumn.Active,
      {},
    );
    return MetricsPanel.restore(s, panel, state);
  }

  static restore(s: Services, panel: vscode.WebviewPanel, state: MetricsState): MetricsPanel {
    return MetricsPanel.registry.add(new MetricsPanel(s, panel, state));
  }

  private constructor(
    private readonly s: Services,
    panel: vscode.WebviewPanel,
    private state: MetricsState,
  ) {
    super(panel, 'metrics', 'metrics', s.extensionUri, state);
    this.track(s.store.onDidChange(() => this.refresh()));
    this.track(s.training.listen({ onChange: () => this.refreshSoon.schedule() }));
    this.refresh();
  }

  /** the runs the panel shows (its title-bar commands act on them) */
  get shownRunIds(): readonly string[] {
    return this.state.runIds;
  }

  refresh(): void {
    const active = this.s.training.current;
    const ids = new Set(this.state.runIds);
    if (this.state.follow && active?.id) ids.add(active.id);
    const runs: RunSeries[] = [];
    for (const id of ids) {
      if (active && active.id === id) {
        // run.json is written when the run starts: its dataset says whether a paper applies
        const saved = this.s.store.byId(id);
        const paper = saved
          ? runPaperReferences(saved, this.s.store.sourceFiles(saved))
          : undefined;
        runs.push({
          id,
          label: active.label,
          model: active.model,
          dataset: saved?.meta?.dataset ?? '',
          status: 'running',
          epochs: active.history,
          ...(paper ? { paper } : {}),
        });
        continue;
      }
      const r = this.s.store.byId(id);
      if (r) runs.push(toSeries(r, this.s.store.sourceFiles(r)));
    }
    this.panel.title = runs.length === 1 ? `Metrics: ${runs[0].label}` : 'RecLab Metrics';
    // the title bar's Show Relation Assignment, for a VRKG4Rec run shown here
    const relations = [...ids].some((id) => {
      const r = this.s.store.byId(id);
      return r !== undefined && hasRelationAssignment(r.dir);
    });
    void vscode.commands.executeCommand('setContext', 'reclab.metricsShowRelations', relations);
    this.post({ type: 'metrics', runs, metric: HEADLINE_METRIC, state: this.state });
  }

  override dispose(): void {
    this.refreshSoon.dispose();
    super.dispose();
  }
}
