/** Dataset inspector: the figures of describe() as a table and three charts (computed in a worker). */
import * as vscode from 'vscode';
import { askAndRemember } from '../datasets/columnsPrompt.js';
import type { Services } from '../services.js';
import { JobError, runJob } from '../training/workerClient.js';
import type { HostMessage } from '../shared/messages.js';
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
    await this.load(`Reading ${this.state.spec}…`, () => this.describe());
  }

  /**
   * The figures, read with the columns chosen for the file; a header naming no user or item
   * column asks which column is which and reads again (cancelled: the error stays shown).
   */
  private async describe(): Promise<HostMessage> {
    const asked = new Set<string>();
    for (;;) {
      const options = this.s.columns.options(this.state.spec);
      try {
        const r = await runJob(
          this.s.workers,
          { type: 'describe', dataset: this.state.spec, ...(options && { options }) },
          'described',
        );
        return { type: 'dataset', description: r.description };
      } catch (e) {
        // each file is asked about once: a second refusal is not for want of a choice
        if (!(e instanceof JobError) || !e.columns || asked.has(e.columns.file)) throw e;
        asked.add(e.columns.file);
        this.post({ type: 'error', message: e.message });
        if (!(await askAndRemember(this.s.columns, e.columns))) throw e;
        this.post({ type: 'loading', message: `Reading ${this.state.spec}…` });
      }
    }
  }
}
