/** Shared by the run-folder tests: a small experiment, run metadata, a dead pid. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunMeta } from '../../../src/runs/format.js';
import type { EpochRecord } from '../../../src/train/trainer.js';

export const tmpFolder = (): string => mkdtempSync(join(tmpdir(), 'reclab-runs-'));

/** Seconds of training and evaluation differ run to run; the rest of a record must not. */
export const withoutTimes = ({ seconds: _s, evalSeconds: _e, ...r }: EpochRecord) => r;

export const SMALL_DEMO = 'demo:users=60,items=40';

/** Four quick epochs of MF, evaluated every epoch, several batches each. */
export const smallExperiment = {
  dataset: SMALL_DEMO,
  model: 'mf',
  epochs: 4,
  evalEvery: 1,
  ks: [20],
  threads: 1,
  hyper: { dim: 8, lr: 0.01, batchSize: 128 },
};

/** Walk corpora scaled to the tiny demo, so the skip-gram models' runs take a second. */
const SMALL_HYPER: Record<string, string[]> = {
  deepwalk: ['--hyper', 'walksPerNode=2', 'walkLength=20'],
  node2vec: ['--hyper', 'walksPerNode=2', 'walkLength=20', 'p=0.5', 'q=2'],
};

/** `reclab train` flags for a small run of `model`. */
export function trainFlags(model: string, epochs: number, evalEvery: number, ws: string): string[] {
  return [
    'train',
    '--dataset',
    SMALL_DEMO,
    '--model',
    model,
    '--epochs',
    String(epochs),
    '--eval-every',
    String(evalEvery),
    '--dim',
    '8',
    '--threads',
    '1',
    '--json',
    '-w',
    ws,
    ...(SMALL_HYPER[model] ?? []),
  ];
}

/** Run metadata for RunWriter.create in tests. */
export function testMeta(id: string): Omit<RunMeta, 'createdAt'> {
  const env = {
    reclab: '0',
    node: 'v20',
    platform: 'linux',
    cpus: 1,
    host: 'h',
    backend: 'js',
    threads: 1,
  };
  return { id, name: id, model: 'mf', dataset: 'demo', config: {}, env };
}

/** The pid of a process that has exited. */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout);
}
