/** Inspect Dataset: a tree node, an explorer file, a spec string, or a pick among found datasets. */
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import { DatasetPanel } from '../panels/datasetPanel.js';
import type { Services } from '../services.js';
import type { DatasetsTree } from '../views/datasetsTree.js';
import { workspaceRoot } from '../util/workspace.js';
import { resolveDatasetSpec } from './trainChoice.js';

function specOf(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string') return arg;
  if (
    typeof arg === 'object' &&
    arg !== null &&
    typeof (arg as { spec?: unknown }).spec === 'string'
  )
    return (arg as { spec: string }).spec;
  return undefined;
}

export async function inspectDataset(
  s: Services,
  datasets: DatasetsTree,
  arg: unknown,
): Promise<DatasetPanel | undefined> {
  let spec = specOf(arg);
  if (!spec) {
    const nodes = await datasets.candidates();
    const pick = await vscode.window.showQuickPick(
      nodes.map((n) => ({ label: n.label, description: n.kind, spec: n.spec })),
      { title: 'Inspect Dataset' },
    );
    spec = pick?.spec;
  }
  if (!spec) return undefined;
  return DatasetPanel.show(s, resolveDatasetSpec(spec, workspaceRoot(), isAbsolute, join));
}
