/**
 * Comparison of finished runs: sortable table with the best per column, grouped bars per
 * metric and overlaid learning curves. Exports the table as CSV (built here) and the chart as
 * SVG/PNG (rendered by vega in the webview, saved here).
 */
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import type { RunRecord } from '../../src/runs/format.js';
import { comparisonTable, toCsv } from '../compare/table.js';
import type { ChartFormat, WebviewMessage } from '../shared/messages.js';
import type { Services } from '../services.js';
import { toSeries } from '../views/runLabels.js';
import { Panel, PanelRegistry } from './panel.js';

export interface CompareState {
  /** empty: every finished run */
  readonly runIds: string[];
}

/** A PNG data URL or SVG text as file bytes. */
export function chartBytes(format: ChartFormat, data: string): Uint8Array {
  if (format === 'svg') return new TextEncoder().encode(data);
  const comma = data.indexOf(',');
  return Buffer.from(comma >= 0 ? data.slice(comma + 1) : data, 'base64');
}

export class ComparePanel extends Panel {
  static readonly viewType = 'reclab.compare';
  static readonly registry = new PanelRegistry<ComparePanel>();
  private chartWaiters: Array<{ format: ChartFormat; resolve: (data: string) => void }> = [];

  static show(s: Services, state: CompareState): ComparePanel {
    const existing = ComparePanel.registry.get('compare');
    if (existing) {
      existing.state = state;
      existing.refresh();
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ComparePanel.viewType,
      'RecLab: Compare Experiments',
      vscode.ViewColumn.Active,
      {},
    );
    return ComparePanel.restore(s, panel, state);
  }

  static restore(s: Services, panel: vscode.WebviewPanel, state: CompareState): ComparePanel {
    return ComparePanel.registry.add(new ComparePanel(s, panel, state));
  }

  private constructor(
    private readonly s: Services,
    panel: vscode.WebviewPanel,
    private state: CompareState,
  ) {
    super(panel, 'compare', 'compare', s.extensionUri, state);
    this.track(s.store.onDidChange(() => this.refresh()));
    this.refresh();
  }

  runs(): RunRecord[] {
    const all = this.s.store.all.filter((r) => r.summary);
    if (this.state.runIds.length === 0) return all;
    const want = new Set(this.state.runIds);
    return all.filter((r) => want.has(r.id));
  }

  refresh(): void {
    const runs = this.runs();
    this.post({
      type: 'compare',
      table: comparisonTable(runs),
      runs: runs.map((r) => toSeries(r)),
    });
  }

  csv(): string {
    return toCsv(comparisonTable(this.runs()));
  }

  /** Asks the webview to render its chart; resolves with SVG text or a PNG data URL. */
  chart(format: ChartFormat, timeoutMs = 20000): Promise<string> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error('the comparison chart did not answer (is the panel open?)')),
        timeoutMs,
      );
      this.chartWaiters.push({
        format,
        resolve: (d) => {
          clearTimeout(t);
          resolve(d);
        },
      });
      this.post({ type: 'exportChart', format });
    });
  }

  protected override async onMessage(m: WebviewMessage): Promise<void> {
    if (m.type === 'chartExported') {
      const waiting = this.chartWaiters.filter((w) => w.format === m.format);
      this.chartWaiters = this.chartWaiters.filter((w) => w.format !== m.format);
      if (waiting.length) for (const w of waiting) w.resolve(m.data);
      else await saveWithDialog(m.format, chartBytes(m.format, m.data));
    } else if (m.type === 'requestExport') {
      await vscode.commands.executeCommand('reclab.exportComparison', m.what);
    } else if (m.type === 'openRun') {
      await vscode.commands.executeCommand('reclab.showMetrics', m.id);
    }
  }
}

const FILTERS: Record<'csv' | ChartFormat, Record<string, string[]>> = {
  csv: { 'CSV table': ['csv'] },
  svg: { 'SVG image': ['svg'] },
  png: { 'PNG image': ['png'] },
};

/** Asks where to save and writes; returns the path, or undefined when the user cancelled. */
export async function saveWithDialog(
  what: 'csv' | ChartFormat,
  bytes: Uint8Array,
  target?: string,
): Promise<string | undefined> {
  let path = target;
  if (!path) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      filters: FILTERS[what],
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `reclab-comparison.${what}`) } : {}),
    });
    if (!uri) return undefined;
    path = uri.fsPath;
  }
  writeFileSync(path, bytes);
  void vscode.window.showInformationMessage(`RecLab: saved ${path}`);
  return path;
}
