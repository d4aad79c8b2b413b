/**
 * VRKG4Rec's relation assignment of one run: the host reads the run's relation-assignment.json
 * (checked and shaped by src/runs/relationAssignment.ts) and sends the chart's data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  parseRelationAssignment,
  RELATION_ASSIGNMENT_FILE,
  relationAssignmentView,
} from '../../src/runs/relationAssignment.js';
import type { RelationsState } from '../shared/relationMessages.js';
import type { Services } from '../services.js';
import { runLabel } from '../views/runLabels.js';
import { Panel, PanelRegistry } from './panel.js';

export class RelationsPanel extends Panel {
  static readonly viewType = 'reclab.relations';
  static readonly registry = new PanelRegistry<RelationsPanel>();

  static show(s: Services, state: RelationsState): RelationsPanel {
    const existing = RelationsPanel.registry.get(state.runId);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      RelationsPanel.viewType,
      'Relation Assignment',
      vscode.ViewColumn.Active,
      {},
    );
    return RelationsPanel.restore(s, panel, state);
  }

  static restore(s: Services, panel: vscode.WebviewPanel, state: RelationsState): RelationsPanel {
    return RelationsPanel.registry.add(new RelationsPanel(s, panel, state));
  }

  private constructor(
    private readonly s: Services,
    panel: vscode.WebviewPanel,
    private readonly state: RelationsState,
  ) {
    super(panel, 'relations', state.runId, s.extensionUri, state);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await this.load('Reading the relation assignment…', async () => {
      const run = this.s.store.byId(this.state.runId);
      if (!run) throw new Error(`no run with id ${this.state.runId}`);
      const file = join(run.dir, RELATION_ASSIGNMENT_FILE);
      const view = relationAssignmentView(
        parseRelationAssignment(readFileSync(file, 'utf8'), file),
      );
      const label = runLabel(run);
      this.panel.title = `Relations: ${label}`;
      return { type: 'relations', run: label, view };
    });
  }
}
