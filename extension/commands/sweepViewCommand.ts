/**
 * Show Sweep...: the Compare panel with one sweep's runs checked and its sweep view open
 * (hyperparameters against a metric: parallel coordinates and a scatter).
 */
import * as vscode from 'vscode';
import { sweepsOf } from '../../src/runs/sweepView.js';
import { ComparePanel, comparable } from '../panels/comparePanel.js';
import type { Services } from '../services.js';

/** `arg`: a sweep id (tests, links); otherwise a pick among the sweeps with finished runs. */
export async function showSweep(s: Services, arg?: unknown): Promise<ComparePanel | undefined> {
  const sweeps = sweepsOf(s.store.all.filter(comparable));
  if (sweeps.length === 0) {
    void vscode.window.showInformationMessage(
      'RecLab: no sweep has finished runs yet. Run an experiment file with a "sweep" (RecLab: Run Experiment File) or `reclab sweep <file>`.',
    );
    return undefined;
  }
  let id = typeof arg === 'string' ? arg : undefined;
  if (id !== undefined && !sweeps.some((x) => x.id === id))
    throw new Error(`no sweep ${id} with finished runs`);
  if (id === undefined) {
    const pick =
      sweeps.length === 1
        ? { id: sweeps[0].id }
        : await vscode.window.showQuickPick(
            sweeps.map((x) => ({ label: x.id, description: `${x.runs} runs`, id: x.id })),
            { title: 'Show Sweep…' },
          );
    id = pick?.id;
  }
  if (id === undefined) return undefined;
  const panel = ComparePanel.show(s, { runIds: [] });
  await panel.revealAndWait();
  panel.showSweep(id);
  return panel;
}
