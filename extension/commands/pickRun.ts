/** Which run a command acts on: the tree node it was invoked on, an id (tests, links), or a pick. */
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/runs/format.js';
import type { RunStore } from '../runs/runStore.js';
import type { ExperimentNode } from '../views/experimentsTree.js';
import { runDescription, runLabel } from '../views/runLabels.js';

export function isRunNode(x: unknown): x is Extract<ExperimentNode, { kind: 'run' }> {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'run';
}

export async function resolveRun(
  store: RunStore,
  arg: unknown,
  opts: {
    title: string;
    filter?: (r: RunRecord) => boolean;
    empty?: string;
    /** the pick's description of a run (default: model, headline metric, duration) */
    describe?: (r: RunRecord) => string;
  },
): Promise<RunRecord | undefined> {
  if (isRunNode(arg)) return store.byId(arg.run.id) ?? arg.run;
  if (typeof arg === 'string') {
    store.refresh();
    const r = store.byId(arg);
    if (!r) throw new Error(`no run with id ${arg}`);
    return r;
  }
  const runs = store.all.filter(opts.filter ?? (() => true));
  if (runs.length === 0)
    throw new Error(
      opts.empty ?? 'no experiments yet: train a model first (RecLab: Train Model...)',
    );
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: runLabel(r),
      description: (opts.describe ?? runDescription)(r),
      detail: `${r.meta?.dataset ?? '?'} · ${r.id}`,
      run: r,
    })),
    { title: opts.title, matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.run;
}
