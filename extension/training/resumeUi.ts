/**
 * The VS Code side of recovery (recovery.ts): the training journal kept in the workspace's
 * state, which survives a reload and an extension-host crash, and the notification that tells
 * the user what was taken up again.
 */
import * as vscode from 'vscode';
import { log } from '../util/guard.js';
import { isJournalEntry, recoverTraining, recoveryMessage } from './recovery.js';
import type { JournalEntry, TrainingJournal, TrainingManager } from './trainingManager.js';

const JOURNAL_KEY = 'reclab.trainingJournal';

export interface WorkspaceJournal extends TrainingJournal {
  /** what the last window left in the journal */
  entries(): JournalEntry[];
}

export function workspaceJournal(state: vscode.Memento): WorkspaceJournal {
  return {
    save: (entries) => void state.update(JOURNAL_KEY, entries),
    entries: () => {
      const v = state.get<unknown>(JOURNAL_KEY);
      return Array.isArray(v) ? v.filter(isJournalEntry) : [];
    },
  };
}

/** Resumes what the journal holds and tells the user (with Show Metrics and Stop). */
export async function resumeInterrupted(
  training: TrainingManager,
  entries: readonly JournalEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const steps = await recoverTraining(training, entries);
  for (const s of steps) if (s.kind === 'skip') log(`not resuming ${s.entry.label}: ${s.why}`);
  const text = recoveryMessage(steps);
  if (!text) return;
  log(text);
  const resumed = steps.find((s) => s.kind === 'resume');
  const pick = await vscode.window.showInformationMessage(
    text,
    ...(resumed ? ['Show Metrics'] : []),
    'Stop',
  );
  if (pick === 'Show Metrics' && resumed)
    await vscode.commands.executeCommand('reclab.showMetrics', resumed.run.id);
  if (pick === 'Stop') await vscode.commands.executeCommand('reclab.stopTraining');
}
