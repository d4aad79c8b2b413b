/**
 * The dataset paths outside the workspace that the user picked (an open dialog, the Train
 * Model wizard), kept in the workspace's state so that an experiment file saved with such a
 * path runs again later; and the check that refuses the other ones (access.ts).
 */
import * as vscode from 'vscode';
import { InputError } from '../../src/util/errors.js';
import { pathOutside, realPath, specPaths } from './access.js';

const KEY = 'reclab.pickedDatasets';

export class PickedDatasets {
  constructor(private readonly state: vscode.Memento) {}

  all(): string[] {
    const v = this.state.get<unknown>(KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  /** Records paths the user chose (real paths, links resolved). */
  add(paths: readonly string[]): void {
    const all = new Set([...this.all(), ...paths.map(realPath)]);
    void this.state.update(KEY, [...all]);
  }

  /** Records the paths of a dataset spec the user chose. */
  addSpec(spec: string): void {
    this.add(specPaths(spec));
  }
}

/** The open workspace folders on disk: where a dataset path may point without being picked. */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
}

/** Where a refused path came from, for the message: the file and its field. */
export interface DatasetField {
  readonly file: string;
  readonly field: string;
  readonly line?: number;
}

/**
 * Undefined when `spec` may be read; otherwise the refusal (an InputError naming the file and
 * field, quoting only that field), shown with a Choose… button that opens a dialog on the
 * path: a path picked there is allowed from then on, and `retry` runs again.
 */
export function refuseOutside(
  picked: PickedDatasets,
  spec: string,
  where: DatasetField,
  retry: () => unknown,
  roots: readonly string[] = workspaceRoots(),
): InputError | undefined {
  const outside = pathOutside(spec, roots, picked.all());
  if (!outside) return undefined;
  const error = new InputError(
    { file: where.file, line: where.line, text: spec },
    `a "${where.field}" inside the workspace (${outside} is outside it: choose it in a dialog to allow it)`,
  );
  void vscode.window.showErrorMessage(`RecLab: ${error.message}`, 'Choose…').then(async (pick) => {
    if (pick !== 'Choose…') return;
    const uris = await vscode.window.showOpenDialog({
      defaultUri: vscode.Uri.file(outside),
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Allow and use',
      title: `Allow RecLab to read ${outside}`,
    });
    if (!uris?.[0]) return;
    picked.add([uris[0].fsPath]);
    await retry();
  });
  return error;
}
