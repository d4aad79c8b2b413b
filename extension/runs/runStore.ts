/**
 * The runs on disk, as the extension sees them: re-read when anything under .reclab/runs
 * changes (a FileSystemWatcher, debounced: an epoch touches two files), whether the run was
 * started here, in another window or from the CLI.
 */
import * as vscode from 'vscode';
import { runSourceFiles, type SourceFile } from '../../src/data/fingerprint.js';
import { listRuns } from '../../src/runs/store.js';
import type { RunRecord } from '../../src/runs/format.js';
import { errorMessage } from '../../src/util/errors.js';
import { log } from '../util/guard.js';
import { runsRoot, workspaceRoot } from '../util/workspace.js';
import { Coalescer } from '../util/coalesce.js';

export class RunStore implements vscode.Disposable {
  private runs: RunRecord[] = [];
  private readonly refreshSoon = new Coalescer(() => this.refresh(), 150);
  private readonly emitter = new vscode.EventEmitter<readonly RunRecord[]>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** fingerprints of runs saved before run.json recorded one, hashed once per session */
  private readonly legacyFiles = new Map<string, SourceFile[] | undefined>();

  constructor() {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const w = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(folder, '.reclab/runs/**'),
      );
      const poke = () => this.scheduleRefresh();
      this.disposables.push(w, w.onDidCreate(poke), w.onDidChange(poke), w.onDidDelete(poke));
    }
    this.refresh();
  }

  get all(): readonly RunRecord[] {
    return this.runs;
  }

  byId(id: string): RunRecord | undefined {
    return this.runs.find((r) => r.id === id);
  }

  /**
   * The source files a run read: run.json's fingerprint, or for an older run the files its
   * spec names, hashed the first time it is asked for (Gowalla's take about 30 ms).
   */
  sourceFiles(r: RunRecord): SourceFile[] | undefined {
    const recorded = r.meta?.data?.files;
    if (recorded) return [...recorded];
    const meta = r.meta;
    if (!meta) return undefined;
    if (!this.legacyFiles.has(r.id)) {
      let files: SourceFile[] | undefined;
      try {
        files = runSourceFiles(meta, workspaceRoot());
      } catch (e) {
        log(`could not fingerprint the data of run ${r.id}: ${errorMessage(e)}`);
      }
      this.legacyFiles.set(r.id, files);
    }
    return this.legacyFiles.get(r.id);
  }

  /** Refreshes within delayMs (150 ms unless given), joining a refresh already pending. */
  scheduleRefresh(delayMs?: number): void {
    this.refreshSoon.schedule(delayMs);
  }

  refresh(): void {
    this.refreshSoon.cancel();
    try {
      this.runs = listRuns(runsRoot());
    } catch (e) {
      log(`could not list runs: ${errorMessage(e)}`);
      this.runs = [];
    }
    this.emitter.fire(this.runs);
  }

  dispose(): void {
    this.refreshSoon.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
