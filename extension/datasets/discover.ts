/** Finds dataset files in the workspace: by name (the glob), then by their first lines (sniff). */
import * as vscode from 'vscode';
import { DATASET_EXCLUDE, DATASET_GLOB, sniffDataset, type DatasetCandidate } from './sniff.js';

async function head(uri: vscode.Uri, bytes = 2048): Promise<string[]> {
  const all = await vscode.workspace.fs.readFile(uri);
  return new TextDecoder().decode(all.subarray(0, bytes)).split(/\r?\n/).slice(0, 5);
}

export async function discoverDatasets(limit = 200): Promise<DatasetCandidate[]> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return [];
  const files = await vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, DATASET_GLOB),
    DATASET_EXCLUDE,
    limit,
  );
  const out = new Map<string, DatasetCandidate>();
  for (const uri of files) {
    const rel = vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
    try {
      const dir = vscode.Uri.joinPath(uri, '..');
      const siblings = (await vscode.workspace.fs.readDirectory(dir)).map(([name]) => name);
      const c = sniffDataset(rel, await head(uri), siblings);
      if (c) out.set(c.spec, c);
    } catch {
      // unreadable file: not a dataset we can offer
    }
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}
