/**
 * Training queue: one run at a time in its own worker, the rest wait in order. Knows nothing
 * about VS Code (the notification and status bar listen to its events), so it is unit-tested
 * with a fake worker. A worker that dies without saying how the run ended has its run marked
 * failed on disk, and the queue moves on. What it is training and what waits is written to a
 * journal as it changes, so that a window that closes (a reload, an extension-host crash) can
 * be followed by one that resumes the work (see recovery.ts); closing marks the active run
 * interrupted, not failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../src/runs/experiment.js';
import { writeJsonAtomic } from '../../src/util/atomic.js';
import { FILES, type SweepTag } from '../../src/runs/format.js';
import { errorMessage } from '../../src/util/errors.js';
import type { ActiveRun, EpochData, UnnamedColumns, WorkerEvent } from '../shared/messages.js';
import type { WorkerFactory, WorkerLike } from './workerClient.js';

/** A run to continue from its last checkpoint instead of starting a new one. */
export interface ResumeTarget {
  readonly id: string;
  readonly dir: string;
  readonly label: string;
  /** the epochs it has already, so that the live curves show the whole run */
  readonly history: readonly EpochData[];
}

export interface TrainJob {
  readonly key: number;
  readonly config: ExperimentConfig;
  readonly workspace: string;
  readonly label: string;
  readonly resume?: ResumeTarget;
  /** the sweep point this run is (run.json records it) */
  readonly sweep?: SweepTag;
}

/** One run the manager is training or will train, as the journal keeps it. */
export interface JournalEntry {
  readonly config: ExperimentConfig;
  readonly workspace: string;
  readonly label: string;
  /** its run folder, once it has one (a resumed run has one from the start) */
  readonly run?: { readonly id: string; readonly dir: string };
  /** the process training it: the pid its status.json names while it runs */
  readonly pid: number;
}

/** Where the manager records its work as it changes (the extension: workspace state). */
export interface TrainingJournal {
  save(entries: readonly JournalEntry[]): void;
}

/** What an interrupted run's status says when the window closed under it. */
export const EDITOR_CLOSED =
  'the editor closed while training; it resumes from its last epoch when the workspace opens again';

export type RunOutcome =
  | {
      readonly status: 'done';
      readonly job: TrainJob;
      readonly id: string;
      readonly metrics: Record<string, number>;
      readonly seconds: number;
    }
  | {
      readonly status: 'failed' | 'cancelled';
      readonly job: TrainJob;
      readonly id: string | undefined;
      readonly message: string;
      /** the dataset's header names no user/item column: which ones, to ask the user */
      readonly columns?: UnnamedColumns;
    };

export interface TrainingListener {
  /** the active run changed (progress, phase, new epoch) or the queue changed */
  onChange?(active: ActiveRun | null): void;
  onLog?(line: string): void;
  onStart?(job: TrainJob): void;
  onEnd?(outcome: RunOutcome): void;
}

interface Active {
  readonly job: TrainJob;
  readonly worker: WorkerLike;
  state: ActiveRun;
  dir: string | undefined;
  cancelled: boolean;
  ended: boolean;
}

/**
 * Marks a run folder that still says running as failed (its worker died and could not write
 * it itself) or interrupted (the editor closed under it).
 */
export function markRunEnded(dir: string, status: 'failed' | 'interrupted', message: string): void {
  const file = join(dir, FILES.status);
  if (!existsSync(file)) return;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (state.status !== 'running') return;
    writeJsonAtomic(file, {
      ...state,
      status,
      error: message,
      updatedAt: new Date().toISOString(),
    });
  } catch {
    // an unreadable status file already reads as broken in the tree; nothing better to do
  }
}

export class TrainingManager {
  private readonly queue: TrainJob[] = [];
  private active: Active | undefined;
  private nextKey = 1;
  private readonly listeners = new Set<TrainingListener>();

  constructor(
    private readonly factory: WorkerFactory,
    private readonly journal?: TrainingJournal,
  ) {}

  listen(l: TrainingListener): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  get current(): ActiveRun | null {
    return this.active?.state ?? null;
  }

  get queued(): readonly TrainJob[] {
    return this.queue;
  }

  /**
   * Queues a run, or with `resume` the continuation of a saved one from its last checkpoint
   * (its own config; `config.epochs` may raise the total); it starts at once when nothing is
   * training.
   */
  enqueue(
    config: ExperimentConfig,
    workspace: string,
    resume?: ResumeTarget,
    sweep?: SweepTag,
  ): TrainJob {
    const job: TrainJob = {
      key: this.nextKey++,
      config,
      workspace,
      label: resume?.label ?? config.name ?? `${config.model} on ${config.dataset}`,
      ...(resume ? { resume } : {}),
      ...(sweep ? { sweep } : {}),
    };
    this.queue.push(job);
    if (!this.active) this.startNext();
    else this.emitChange();
    this.saveJournal();
    return job;
  }

  /** Whether this run is training or waiting to be resumed here. */
  has(runId: string): boolean {
    return (
      this.active?.state.id === runId ||
      this.active?.job.resume?.id === runId ||
      this.queue.some((j) => j.resume?.id === runId)
    );
  }

  /** Writes the active run and the queue to the journal (the manager does on each change). */
  saveJournal(): void {
    const entry = (job: TrainJob, run?: { id: string; dir: string }): JournalEntry => ({
      config: job.config,
      workspace: job.workspace,
      label: job.label,
      ...(run ? { run: { id: run.id, dir: run.dir } } : {}),
      pid: process.pid,
    });
    const a = this.active;
    const entries = this.queue.map((job) => entry(job, job.resume));
    if (a) entries.unshift(entry(a.job, a.dir ? { id: a.state.id, dir: a.dir } : undefined));
    try {
      this.journal?.save(entries);
    } catch {
      // a journal that cannot be written loses recovery, not the run itself
    }
  }

  /** Cancels the active run (it stops at its next batch); false when nothing runs. */
  cancel(): boolean {
    const a = this.active;
    if (!a) return false;
    a.cancelled = true;
    a.worker.postMessage({ type: 'cancel' });
    return true;
  }

  /** Drops queued runs that have not started. */
  clearQueue(): number {
    const n = this.queue.length;
    this.queue.length = 0;
    this.emitChange();
    this.saveJournal();
    return n;
  }

  /**
   * The editor is closing: stops the worker and, once it is gone (so that no write of its
   * can follow), marks the active run interrupted. The journal is left as it is: it tells the
   * next window what to resume.
   */
  async shutdown(): Promise<void> {
    this.queue.length = 0;
    this.listeners.clear();
    const a = this.active;
    this.active = undefined;
    if (!a || a.ended) return;
    a.ended = true;
    try {
      await a.worker.terminate();
    } finally {
      if (a.dir) markRunEnded(a.dir, 'interrupted', EDITOR_CLOSED);
    }
  }

  dispose(): void {
    void this.shutdown();
  }

  private each(f: (l: TrainingListener) => void): void {
    for (const l of [...this.listeners]) {
      try {
        f(l);
      } catch {
        // a broken listener must not stop training or other listeners
      }
    }
  }

  private emitChange(): void {
    const s = this.active ? { ...this.active.state, queued: this.queue.length } : null;
    if (this.active && s) this.active.state = s;
    this.each((l) => l.onChange?.(s));
  }

  private startNext(): void {
    const job = this.queue.shift();
    if (!job) {
      this.emitChange();
      return;
    }
    let worker: WorkerLike;
    try {
      worker = this.factory();
    } catch (e) {
      this.each((l) =>
        l.onEnd?.({
          status: 'failed',
          job,
          id: undefined,
          message: `could not start the training worker: ${errorMessage(e)}`,
        }),
      );
      this.startNext();
      return;
    }
    const history = job.resume ? [...job.resume.history] : [];
    const a: Active = {
      job,
      worker,
      dir: job.resume?.dir,
      cancelled: false,
      ended: false,
      state: {
        id: job.resume?.id ?? '',
        label: job.label,
        model: job.config.model,
        phase: 'loading',
        epoch: history.at(-1)?.epoch ?? 0,
        epochs: job.config.epochs ?? 0,
        history,
        queued: this.queue.length,
      },
    };
    this.active = a;
    worker.onMessage((e) => this.onEvent(a, e));
    worker.onExit((code, error) => {
      if (a.ended) return;
      const why = error
        ? `training worker crashed: ${error.message}`
        : `training worker exited unexpectedly (code ${code})`;
      this.end(a, { status: 'failed', job, id: a.state.id || undefined, message: why });
    });
    this.each((l) => l.onStart?.(job));
    this.emitChange();
    worker.postMessage({
      type: 'train',
      config: job.config,
      workspace: job.workspace,
      ...(job.resume ? { resumeDir: job.resume.dir } : {}),
      ...(job.sweep ? { sweep: job.sweep } : {}),
    });
  }

  private onEvent(a: Active, e: WorkerEvent): void {
    if (a.ended) return;
    switch (e.type) {
      case 'log':
        this.each((l) => l.onLog?.(e.message));
        return;
      case 'phase':
        a.state = { ...a.state, phase: e.phase };
        break;
      case 'started':
        a.dir = e.dir || undefined;
        a.state = { ...a.state, id: e.id, label: e.name, model: e.model, epochs: e.epochs };
        this.saveJournal();
        break;
      case 'batch':
        a.state = {
          ...a.state,
          epoch: e.epoch,
          epochs: e.epochs,
          batch: { batch: e.batch, batches: e.batches, loss: e.loss },
        };
        break;
      case 'epoch': {
        // a resumed run may redo an epoch its log has but its checkpoint had not reached
        const before = a.state.history.filter((h) => h.epoch < e.record.epoch);
        a.state = { ...a.state, epoch: e.record.epoch, history: [...before, e.record] };
        break;
      }
      case 'finished':
        this.end(a, {
          status: 'done',
          job: a.job,
          id: e.id,
          metrics: e.metrics,
          seconds: e.seconds,
        });
        return;
      case 'failed':
        this.end(a, {
          status: e.cancelled || a.cancelled ? 'cancelled' : 'failed',
          job: a.job,
          id: a.state.id || undefined,
          message: e.message,
          ...(e.columns && { columns: e.columns }),
        });
        return;
      default:
        return;
    }
    this.emitChange();
  }

  private end(a: Active, outcome: RunOutcome): void {
    a.ended = true;
    void a.worker.terminate();
    if (outcome.status !== 'done' && a.dir) markRunEnded(a.dir, 'failed', outcome.message);
    this.active = undefined;
    this.each((l) => l.onEnd?.(outcome));
    this.startNext();
    this.saveJournal();
  }
}
