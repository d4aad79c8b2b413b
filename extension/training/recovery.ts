/**
 * Training that a closed window left unfinished, taken up again by the next one. The training
 * manager journals what it trains and what waits; when the extension starts it reads the
 * journal and resumes each interrupted run from its last checkpoint (last.bin: weights and
 * optimizer state, with seeded sampling, so the result equals an uninterrupted run's) and
 * queues again the runs that had not started. Knows nothing about VS Code: unit-tested.
 *
 * Why resume and not a training process that outlives the window: the worker is a thread of
 * the extension host, which a reload or crash ends; a detached process would need its own
 * channel for progress and cancel, could be orphaned by an editor that never comes back, and
 * keeps using the cores after the user closed the editor. Resuming costs at most the epoch in
 * progress and reuses the tested library path (`runExperiment(config, {resume})`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, type RunRecord } from '../../src/runs/format.js';
import { readRun } from '../../src/runs/store.js';
import { hasCheckpoint } from '../runs/resumable.js';
import type { JournalEntry, ResumeTarget, TrainingManager } from './trainingManager.js';

export type RecoveryStep =
  /** interrupted with a checkpoint: continue it */
  | { readonly kind: 'resume'; readonly entry: JournalEntry; readonly run: RunRecord }
  /** never reached a checkpoint (or never started): train it again from the start */
  | { readonly kind: 'restart'; readonly entry: JournalEntry }
  /** still says running under the closed window's process, which has not exited yet */
  | { readonly kind: 'wait'; readonly entry: JournalEntry; readonly run: RunRecord }
  | { readonly kind: 'skip'; readonly entry: JournalEntry; readonly why: string };

export interface RunReader {
  /** the run in this folder, or undefined when the folder (or its run.json) is gone */
  read(dir: string): RunRecord | undefined;
  hasCheckpoint(dir: string): boolean;
}

export const diskRuns: RunReader = {
  read: (dir) => (existsSync(join(dir, FILES.meta)) ? readRun(dir) : undefined),
  hasCheckpoint,
};

/** What to do with each journalled run, in the journal's order. */
export function planRecovery(
  entries: readonly JournalEntry[],
  runs: RunReader = diskRuns,
): RecoveryStep[] {
  return entries.map((entry): RecoveryStep => {
    if (!entry.run) return { kind: 'restart', entry };
    const run = runs.read(entry.run.dir);
    if (!run) return { kind: 'skip', entry, why: 'its run folder is gone' };
    switch (run.state.status) {
      case 'running':
        return run.state.pid === entry.pid
          ? { kind: 'wait', entry, run }
          : { kind: 'skip', entry, why: `process ${run.state.pid} is training it` };
      case 'interrupted':
        return runs.hasCheckpoint(run.dir)
          ? { kind: 'resume', entry, run }
          : { kind: 'restart', entry };
      default:
        return { kind: 'skip', entry, why: `it is ${run.state.status}` };
    }
  });
}

/** The continuation of a saved run, as the training manager queues it. */
export function resumeTarget(run: RunRecord, label: string): ResumeTarget {
  return { id: run.id, dir: run.dir, label, history: run.history };
}

export interface RecoveryOptions {
  readonly runs?: RunReader;
  /** how long to wait for the closed window's process to let go of a run */
  readonly waitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Plans the recovery of `entries`, waiting (up to waitMs) for runs that the closed window's
 * process still holds, then queues the resumes and restarts in the journal's order and
 * rewrites the journal. Returns the steps taken.
 */
export async function recoverTraining(
  training: Pick<TrainingManager, 'enqueue' | 'saveJournal'>,
  entries: readonly JournalEntry[],
  o: RecoveryOptions = {},
): Promise<RecoveryStep[]> {
  const runs = o.runs ?? diskRuns;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const waitMs = o.waitMs ?? 20000;
  let steps = planRecovery(entries, runs);
  for (let waited = 0; steps.some((s) => s.kind === 'wait') && waited < waitMs; waited += 250) {
    await sleep(250);
    steps = planRecovery(entries, runs);
  }
  steps = steps.map((s) =>
    s.kind === 'wait'
      ? {
          kind: 'skip',
          entry: s.entry,
          why: `the closed window's process ${s.run.state.pid} still trains it`,
        }
      : s,
  );
  for (const s of steps) {
    if (s.kind === 'resume')
      training.enqueue(s.entry.config, s.entry.workspace, resumeTarget(s.run, s.entry.label));
    else if (s.kind === 'restart') training.enqueue(s.entry.config, s.entry.workspace);
  }
  training.saveJournal();
  return steps;
}

/** The notification after a recovery; undefined when nothing was taken up again. */
export function recoveryMessage(steps: readonly RecoveryStep[]): string | undefined {
  const said = (s: RecoveryStep): string | undefined => {
    switch (s.kind) {
      case 'resume':
        return `resuming ${s.entry.label} after epoch ${s.run.history.at(-1)?.epoch ?? 0}`;
      case 'restart':
        return s.entry.run
          ? `starting ${s.entry.label} again (it had no checkpoint yet)`
          : `queued ${s.entry.label} again`;
      default:
        return undefined;
    }
  };
  const parts = steps.map(said).filter((p): p is string => p !== undefined);
  if (parts.length === 0) return undefined;
  return `RecLab: training stopped when the window closed; ${parts.join(', ')}.`;
}

/** Whether a value read back from the journal's storage is an entry this version can use. */
export function isJournalEntry(x: unknown): x is JournalEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  const config = e.config as Record<string, unknown> | null | undefined;
  const run = e.run as Record<string, unknown> | null | undefined;
  return (
    typeof config === 'object' &&
    config !== null &&
    typeof config.dataset === 'string' &&
    typeof config.model === 'string' &&
    typeof e.workspace === 'string' &&
    typeof e.label === 'string' &&
    typeof e.pid === 'number' &&
    (run === undefined || (typeof run?.id === 'string' && typeof run.dir === 'string'))
  );
}
