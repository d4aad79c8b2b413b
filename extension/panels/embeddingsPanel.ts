/**
 * A run's embeddings in 2-D (PCA in a worker; the webview only draws). Clicking a user asks
 * a worker for its training items and top-K recommendations.
 */
import * as vscode from 'vscode';
import type { WebviewMessage } from '../shared/messages.js';
import type { Services } from '../services.js';
import { runJob } from '../training/workerClient.js';
import { Panel, PanelRegistry } from './panel.js';

export interface EmbeddingsState {
  readonly runDir: string;
  readonly runId: string;
}

export class EmbeddingsPanel extends Panel {
  static readonly viewType = 'reclab.embeddings';
  static readonly registry = new PanelRegistry<EmbeddingsPanel>();

  static show(s: Services, state: EmbeddingsState, title: string): EmbeddingsPanel {
    const existing = EmbeddingsPanel.registry.get(state.runId);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      EmbeddingsPanel.viewType,
      `Embeddings: ${title}`,
      vscode.ViewColumn.Active,
      {},
    );
    return EmbeddingsPanel.restore(s, panel, state);
  }

  static restore(s: Services, panel: vscode.WebviewPanel, state: EmbeddingsState): EmbeddingsPanel {
    return EmbeddingsPanel.registry.add(new EmbeddingsPanel(s, panel, state));
  }

  private constructor(
    private readonly s: Services,
    panel: vscode.WebviewPanel,
    private readonly state: EmbeddingsState,
  ) {
    super(panel, 'embeddings', state.runId, s.extensionUri, state);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await this.load('Projecting embeddings (PCA)…', async () => {
      const r = await runJob(
        this.s.workers,
        { type: 'project', runDir: this.state.runDir },
        'projected',
      );
      return { type: 'embeddings', projection: r.projection };
    });
  }

  protected override async onMessage(m: WebviewMessage): Promise<void> {
    if (m.type !== 'selectUser') return;
    try {
      const r = await runJob(
        this.s.workers,
        { type: 'recommend', runDir: this.state.runDir, user: `#${m.index}`, k: 20 },
        'recommended',
      );
      this.post({ type: 'userDetail', detail: r.detail });
    } catch (e) {
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }
}
