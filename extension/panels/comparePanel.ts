/**
 * The experiments table: finished (and stopped) runs grouped by dataset and split, parameter
 * columns beside the metrics, seeds folded, runs checked in the panel with the charts following
 * the checks, a paired significance test of two rows, CSV/Markdown export of the table and
 * SVG/PNG of the chart (rendered by vega in the webview, saved here), and rename, tag, delete
 * and resume of the checked runs. The column choices are kept per workspace.
 */
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { experimentsTable, lastEvaluation } from '../../src/runs/experimentsTable.js';
import type { RunRecord } from '../../src/runs/format.js';
import { sweepsOf, sweepTable } from '../../src/runs/sweepView.js';
import { exportLines } from '../../src/cli/compareCommand.js';
import { compareRows, experimentsView } from '../compare/experiments.js';
import { viewExportText } from '../compare/viewExport.js';
import {
  prefsFrom,
  type CompareWebviewMessage,
  type RunAction,
  type TableFormat,
  type TableShown,
} from '../shared/compareMessages.js';
import type { ChartFormat, WebviewMessage } from '../shared/messages.js';
import type { Services } from '../services.js';
import { displayMessage } from '../util/errorText.js';
import { toSeries } from '../views/runLabels.js';
import { Panel, PanelRegistry } from './panel.js';

/** workspaceState key of the columns shown, their order and filters */
const PREFS_KEY = 'reclab.compare.prefs';

/** Runs the table shows: finished ones, and stopped ones that were evaluated (resumable). */
export function comparable(r: RunRecord): boolean {
  if (r.summary) return true;
  return r.state.status !== 'running' && lastEvaluation(r) !== undefined;
}

export interface CompareState {
  /** the runs checked; empty: every run in the table */
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
  /** the user checked or unchecked runs in the panel (then an empty selection is no runs) */
  private panelChecks = false;
  private chartWaiters: Array<{ format: ChartFormat; resolve: (data: string) => void }> = [];
  /** what the table shows (its columns and filtered rows), as the webview last drew it */
  private shown: TableShown | undefined;

  static show(s: Services, state: CompareState): ComparePanel {
    const existing = ComparePanel.registry.get('compare');
    if (existing) {
      existing.state = state;
      existing.panelChecks = false; // the command's runs (or all) replace the panel's checks
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

  /** Every run in the table. */
  allRuns(): RunRecord[] {
    return this.s.store.all.filter(comparable);
  }

  /** The checked runs: those picked in the tree or the panel, every run when none were. */
  runs(): RunRecord[] {
    const all = this.allRuns();
    const want = new Set(this.state.runIds);
    const picked = all.filter((r) => want.has(r.id));
    return picked.length ? picked : all;
  }

  /** What the table shows checked: after a check in the panel exactly that, even nothing. */
  private checked(): string[] {
    if (this.panelChecks) {
      const live = new Set(this.allRuns().map((r) => r.id));
      return this.state.runIds.filter((id) => live.has(id));
    }
    return this.runs().map((r) => r.id);
  }

  refresh(): void {
    const all = this.allRuns();
    this.post({
      type: 'compare',
      view: experimentsView(all),
      runs: all.map((r) => toSeries(r)),
      prefs: prefsFrom(this.s.context.workspaceState.get(PREFS_KEY)),
      selected: this.checked(),
      sweeps: sweepsOf(all).map((x) => sweepTable(all, x.id)),
    });
  }

  /** Checks the runs of one sweep and opens its sweep view. */
  showSweep(id: string): void {
    this.state = {
      runIds: this.allRuns()
        .filter((r) => r.meta?.sweep?.id === id)
        .map((r) => r.id),
    };
    this.panelChecks = false;
    this.refresh();
    this.post({ type: 'showSweep', id });
  }

  /**
   * The table as CSV or Markdown text: the rows and columns it shows once the webview has
   * drawn it; before that, the checked runs' full table.
   */
  tableText(format: TableFormat): string {
    if (this.shown) return viewExportText(experimentsView(this.allRuns()), this.shown, format);
    return `${exportLines(experimentsTable(this.runs()), format).join('\n')}\n`;
  }

  csv(): string {
    return this.tableText('csv');
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
    } else await this.onTableMessage(m);
  }

  private async onTableMessage(m: WebviewMessage): Promise<void> {
    const t = m as CompareWebviewMessage;
    switch (t.type) {
      case 'comparePrefs':
        await this.s.context.workspaceState.update(PREFS_KEY, prefsFrom(t.prefs));
        return;
      case 'tableShown':
        this.shown = shownFrom(t.shown);
        return;
      case 'compareSelect':
        this.state = { runIds: t.runIds.filter((x) => typeof x === 'string') };
        this.panelChecks = true;
        return;
      case 'exportTable':
        await saveWithDialog(
          t.format === 'md' ? 'md' : 'csv',
          new TextEncoder().encode(this.tableText(t.format === 'md' ? 'md' : 'csv')),
        );
        return;
      case 'requestSignificance':
        this.significance(t.a, t.b, t.metric);
        return;
      case 'runAction':
        await runAction(t.action, t.runIds);
        return;
    }
  }

  private significance(a: readonly string[], b: readonly string[], metric: string): void {
    const pick = (ids: readonly string[]) =>
      ids.map((id) => this.s.store.byId(id)).filter((r): r is RunRecord => r !== undefined);
    try {
      this.post({ type: 'significance', result: compareRows(pick(a), pick(b), metric) });
    } catch (e) {
      this.post({ type: 'significance', error: displayMessage(e) });
    }
  }
}

const strings = (x: unknown): string[] =>
  Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];

/** The webview's report of what it shows, its lists kept to strings. */
function shownFrom(x: TableShown): TableShown {
  return { columns: strings(x.columns), rows: strings(x.rows) };
}

/** Rename, tag, delete and resume act through the commands the tree uses. */
async function runAction(action: RunAction, ids: readonly string[]): Promise<void> {
  const command = {
    rename: 'reclab.renameExperiment',
    tag: 'reclab.tagExperiment',
    delete: 'reclab.deleteExperiment',
    resume: 'reclab.resumeRun',
  }[action];
  if (!command || ids.length === 0) return;
  if (action === 'delete' || action === 'tag')
    await vscode.commands.executeCommand(command, [...ids]);
  else await vscode.commands.executeCommand(command, ids[0]);
}

const FILTERS: Record<TableFormat | ChartFormat, Record<string, string[]>> = {
  csv: { 'CSV table': ['csv'] },
  md: { 'Markdown table': ['md'] },
  svg: { 'SVG image': ['svg'] },
  png: { 'PNG image': ['png'] },
};

/** Asks where to save and writes; returns the path, or undefined when the user cancelled. */
export async function saveWithDialog(
  what: TableFormat | ChartFormat,
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
