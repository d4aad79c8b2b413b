/**
 * The host's side of the job worker: a minimal interface over worker_threads (so the queue
 * logic is unit-tested with a fake) and one-shot jobs that resolve with the worker's answer.
 */
import { Worker } from 'node:worker_threads';
import {
  isWorkerEvent,
  type UnnamedColumns,
  type WorkerEvent,
  type WorkerRequest,
} from '../shared/messages.js';

/** A job's failure as the worker reported it, with the columns to ask for when it says so. */
export class JobError extends Error {
  override readonly name = 'JobError';

  constructor(
    message: string,
    readonly columns?: UnnamedColumns,
  ) {
    super(message);
  }
}

export interface WorkerLike {
  postMessage(m: WorkerRequest): void;
  onMessage(f: (e: WorkerEvent) => void): void;
  /** called once, when the worker is gone for any reason; error set when it crashed */
  onExit(f: (code: number, error?: Error) => void): void;
  /** stops the worker; the promise settles once it is gone */
  terminate(): Promise<void> | void;
}

export type WorkerFactory = () => WorkerLike;

/** Starts dist/train-worker.js (or any worker file) behind the WorkerLike interface. */
export function nodeWorkerFactory(file: string): WorkerFactory {
  return () => {
    const w = new Worker(file);
    let crash: Error | undefined;
    w.on('error', (e) => (crash = e));
    return {
      postMessage: (m) => w.postMessage(m),
      onMessage: (f) =>
        w.on('message', (m: unknown) => {
          if (isWorkerEvent(m)) f(m);
        }),
      onExit: (f) => w.on('exit', (code) => f(code, crash)),
      terminate: () => w.terminate().then(() => undefined),
    };
  };
}

type Answer = Extract<
  WorkerEvent,
  {
    type:
      | 'described'
      | 'projected'
      | 'recommended'
      | 'itemGraphBuilt'
      | 'communitiesFound'
      | 'sessionsListed'
      | 'sessionShown'
      | 'itemInspected';
  }
>;

type Progress = Extract<WorkerEvent, { type: 'progress' }>;

/**
 * Runs one non-training job in a fresh worker and resolves with its answer; `onProgress`
 * hears the job's progress events (a projection's iterations) until then.
 */
export function runJob<T extends Answer['type']>(
  factory: WorkerFactory,
  request: Exclude<WorkerRequest, { type: 'train' | 'cancel' }>,
  answer: T,
  onProgress?: (p: Progress) => void,
): Promise<Extract<WorkerEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const w = factory();
    let settled = false;
    w.onMessage((e) => {
      if (settled) return;
      if (e.type === 'progress') {
        onProgress?.(e);
      } else if (e.type === answer) {
        settled = true;
        resolve(e as Extract<WorkerEvent, { type: T }>);
        void w.terminate();
      } else if (e.type === 'failed') {
        settled = true;
        reject(new JobError(e.message, e.columns));
        void w.terminate();
      }
    });
    w.onExit((code, error) => {
      if (settled) return;
      settled = true;
      reject(
        new Error(
          error
            ? `worker crashed: ${error.message}`
            : `worker exited (code ${code}) without an answer`,
        ),
      );
    });
    w.postMessage(request);
  });
}
