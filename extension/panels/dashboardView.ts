/** The Dashboard webview view in the RecLab sidebar: the active run's live curves and the best runs. */
import * as vscode from 'vscode';
import { comparisonTable } from '../compare/table.js';
import type { ActiveRun, WebviewMessage } from '../shared/messages.js';
import type { Services } from '../services.js';
import { HEADLINE_METRIC } from '../views/runLabels.js';
import { panelHtml, webviewOptions } from './html.js';
import { PanelChannel } from './panelChannel.js';
import { Coalescer } from '../util/coalesce.js';

export class DashboardView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'reclab.dashboard';
  private view: vscode.WebviewView | undefined;
  private channel: PanelChannel | undefined;
  private readonly refreshSoon = new Coalescer(() => this.refresh(), 300);
  private last: ActiveRun | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly s: Services) {
    this.subs.push(s.store.onDidChange(() => this.refreshSoon.schedule()));
    // the active run is recorded on every change, not at the throttled refresh, so that the
    // curves kept after a run ends include its last epoch
    const record = () => {
      this.last = s.training.current ?? this.last;
      this.refreshSoon.schedule();
    };
    this.subs.push(s.training.listen({ onChange: record, onEnd: record }));
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  get renderCount(): number {
    return this.channel?.rendered ?? 0;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.s.extensionUri);
    this.channel?.dispose();
    this.channel = new PanelChannel(view.webview, 'dashboard', (m) => this.onMessage(m));
    view.webview.html = panelHtml(
      view.webview,
      this.s.extensionUri,
      'dashboard',
      'RecLab Dashboard',
    );
    view.onDidChangeVisibility(() => (view.visible ? this.refresh() : this.channel?.reset()));
    view.onDidDispose(() => {
      this.channel?.dispose();
      this.channel = undefined;
      this.view = undefined;
    });
    this.refresh();
  }

  refresh(): void {
    if (!this.channel) return;
    const table = comparisonTable(this.s.store.all);
    const best = [...table.rows]
      .filter((r) => typeof r.values[HEADLINE_METRIC] === 'number')
      .sort((a, b) => (b.values[HEADLINE_METRIC] ?? 0) - (a.values[HEADLINE_METRIC] ?? 0))
      .slice(0, 5);
    const active = this.s.training.current;
    this.channel.post({
      type: 'dashboard',
      active,
      ...(active || !this.last ? {} : { last: this.last }),
      best,
      metric: HEADLINE_METRIC,
    });
  }

  private async onMessage(m: WebviewMessage): Promise<void> {
    if (m.type === 'openRun') await vscode.commands.executeCommand('reclab.showMetrics', m.id);
  }

  dispose(): void {
    this.refreshSoon.dispose();
    this.channel?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
