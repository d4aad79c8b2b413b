/**
 * Training queue: one run at a time in its own worker, the rest wait in order. Knows nothing
 * about VS Code (the notification and status bar listen to its events), so it is unit-tested
 * with a fake worker. A worker that dies without saying how the run ended has its run marked
 * failed on disk, and the queue moves on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../src/runs/experiment.js';
import { writeJsonAtomic } from '../../src/runs/atomic.js';
import { FILES } from '../../src/runs/format.js';
import { errorMessage } from '../../src/util/errors.js';
import type { ActiveRun, WorkerEvent } from '../shared/messages.js';
import type { WorkerFactory, WorkerLike } from './workerClient.js';

export interface TrainJob {
  readonly key: number;
  readonly config: ExperimentConfig;
  readonly workspace: string;
  readonly label: string;
}

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

/** Marks a run folder failed after its worker died (the worker could not write it itself). */
export function markRunFailed(dir: string, message: string): void {
  const file = join(dir, FILES.status);
  if (!existsSync(file)) return;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (state.status !== 'running') return;
    writeJsonAtomic(file, {
      ...state,
      status: 'failed',
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

  constructor(private readonly factory: WorkerFactory) {}

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

  /** Queues a run; it starts at once when nothing is training. Returns its queue key. */
  enqueue(config: ExperimentConfig, workspace: string): TrainJob {
    const job: TrainJob = {
      key: this.nextKey++,
      config,
      workspace,
      label: config.name ?? `${config.model} on ${config.dataset}`,
    };
    this.queue.push(job);
    if (!this.active) this.startNext();
    else this.emitChange();
    return job;
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
    return n;
  }

  dispose(): void {
    this.queue.length = 0;
    if (this.active) {
      this.active.ended = true;
      this.active.worker.terminate();
      if (this.active.dir) markRunFailed(this.active.dir, 'the editor closed while training');
      this.active = undefined;
    }
    this.listeners.clear();
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
    const a: Active = {
      job,
      worker,
      dir: undefined,
      cancelled: false,
      ended: false,
      state: {
        id: '',
        label: job.label,
        model: job.config.model,
        phase: 'loading',
        epoch: 0,
        epochs: job.config.epochs ?? 0,
        history: [],
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
    worker.postMessage({ type: 'train', config: job.config, workspace: job.workspace });
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
        break;
      case 'batch':
        a.state = {
          ...a.state,
          epoch: e.epoch,
          epochs: e.epochs,
          batch: { batch: e.batch, batches: e.batches, loss: e.loss },
        };
        break;
      case 'epoch':
        a.state = { ...a.state, epoch: e.record.epoch, history: [...a.state.history, e.record] };
        break;
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
        });
        return;
      default:
        return;
    }
    this.emitChange();
  }

  private end(a: Active, outcome: RunOutcome): void {
    a.ended = true;
    a.worker.terminate();
    if (outcome.status !== 'done' && a.dir) markRunFailed(a.dir, outcome.message);
    this.active = undefined;
    this.each((l) => l.onEnd?.(outcome));
    this.startNext();
  }
}
