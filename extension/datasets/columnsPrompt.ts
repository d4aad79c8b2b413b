/**
 * Asking which column is which when a data file's header names no user or item column, and
 * remembering the answer per file in the workspace's state, so that the inspector, the
 * Train Model wizard and every run of that file read it the same way.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { DatasetOptions } from '../../src/runs/experiment.js';
import type { UnnamedColumns } from '../shared/messages.js';
import { realPath, specPaths } from './access.js';
import {
  choiceFor,
  columnPickItems,
  parseChoices,
  rolePrompt,
  rolesToAsk,
  withChoice,
  withColumns,
  type ColumnChoice,
  type ColumnRole,
} from './columnChoice.js';

const KEY = 'reclab.datasetColumns';

export class ColumnStore {
  constructor(private readonly state: vscode.Memento) {}

  /** The columns chosen for one of the spec's files, if any. */
  forSpec(spec: string): ColumnChoice | undefined {
    return choiceFor(parseChoices(this.state.get<unknown>(KEY)), specPaths(spec).map(realPath));
  }

  /** The loader options for `spec`, with the columns chosen for its file added. */
  options(spec: string, options?: DatasetOptions): DatasetOptions | undefined {
    return withColumns(options, this.forSpec(spec));
  }

  async remember(file: string, choice: ColumnChoice): Promise<void> {
    const all = parseChoices(this.state.get<unknown>(KEY));
    await this.state.update(KEY, withChoice(all, realPath(file), choice));
  }
}

/** One quick pick per missing role; undefined when the user cancels one. */
export async function askColumns(missing: UnnamedColumns): Promise<ColumnChoice | undefined> {
  const roles = rolesToAsk(missing);
  if (!roles) return undefined;
  const chosen: Partial<Record<ColumnRole, string>> = {};
  for (const [k, role] of roles.entries()) {
    const pick = await vscode.window.showQuickPick(columnPickItems(missing.header, chosen), {
      // the title says why it asks: the header does not name these columns
      title: `${basename(missing.file)}: its header names no ${roles.join(' or ')} column${roles.length > 1 ? ` (${k + 1}/${roles.length})` : ''}`,
      placeHolder: rolePrompt(role),
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    chosen[role] = pick.column;
  }
  return chosen;
}

/** Asks, and remembers the answer for the file; undefined when the user cancelled. */
export async function askAndRemember(
  store: ColumnStore,
  missing: UnnamedColumns,
): Promise<ColumnChoice | undefined> {
  const choice = await askColumns(missing);
  if (choice) await store.remember(missing.file, choice);
  return choice;
}
