/** Where runs live: .reclab/runs under the first workspace folder (or the extension's storage). */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { RUNS_DIR } from '../../src/runs/format.js';

let fallback: string | undefined;

export function setFallbackRoot(dir: string): void {
  fallback = dir;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder && folder.uri.scheme === 'file') return folder.uri.fsPath;
  if (fallback) return fallback;
  throw new Error('open a folder to keep experiments in');
}

export function runsRoot(): string {
  return join(workspaceRoot(), RUNS_DIR);
}
