/** Dataset inspector: the figures of describe() as a table and three charts (computed in a worker). */
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { runJob } from '../training/workerClient.js';
import { Panel, PanelRegistry } from './panel.js';

export interface DatasetState {
  readonly spec: string;
}

export class DatasetPanel extends Panel {
  static readonly viewType = 'reclab.dataset';
  static readonly registry = new PanelRegistry<DatasetPanel>();

  static show(s: Services, spec: string): DatasetPanel {
    const existing = DatasetPanel.registry.get(spec);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      DatasetPanel.viewType,
      `Dataset: ${spec}`,
      vscode.ViewColumn.Active,
      {},
    );
    return DatasetPanel.restore(s, panel, { spec });
  }

  static restore(s: Services, panel: vscode.WebviewPanel, state: DatasetState): DatasetPanel {
    return DatasetPanel.registry.add(new DatasetPanel(s, panel, state));
  }

  private constructor(
    private readonly s: Services,
    panel: vscode.WebviewPanel,
    private readonly state: DatasetState,
  ) {
    super(panel, 'dataset', state.spec, s.extensionUri, state);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await this.load(`Reading ${this.state.spec}…`, async () => {
      const r = await runJob(
        this.s.workers,
        { type: 'describe', dataset: this.state.spec },
        'described',
      );
      return { type: 'dataset', description: r.description };
    });
  }
}
