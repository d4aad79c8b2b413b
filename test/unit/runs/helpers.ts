/** Shared by the run-folder tests: a small experiment, run metadata, a dead pid. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

/**
 * A tiny lastfm-kg folder (ratings_final.txt, the train.txt / test.txt split, kg_final.txt:
 * item i is entity i, 3 relations to 10 more entities), for models that need a knowledge graph.
 */
export function smallKgDataset(): string {
  const dir = join(tmpFolder(), 'kg');
  mkdirSync(dir);
  const nUsers = 24;
  const nItems = 16;
  const train: string[] = [];
  const test: string[] = [];
  for (let u = 0; u < nUsers; u++)
    for (let k = 0; k < 5; k++) {
      const i = (u * 3 + k * 5 + (u % 4)) % nItems;
      (k === 4 ? test : train).push(`${u}\t${i}`);
    }
  const kg: string[] = [];
  for (let i = 0; i < nItems; i++)
    for (let r = 0; r < 3; r++) kg.push(`${i}\t${r}\t${nItems + ((i + 3 * r) % 10)}`);
  writeFileSync(join(dir, 'train.txt'), `${train.join('\n')}\n`);
  writeFileSync(join(dir, 'test.txt'), `${test.join('\n')}\n`);
  const ratings = [...train, ...test].map((l) => `${l}\t1`);
  writeFileSync(join(dir, 'ratings_final.txt'), `${ratings.join('\n')}\n`);
  writeFileSync(join(dir, 'kg_final.txt'), `${kg.join('\n')}\n`);
  return `lastfm-kg:${dir}`;
}

/** `reclab train` flags for a small run of `model` (on `dataset`, default the small demo). */
export function trainFlags(
  model: string,
  epochs: number,
  evalEvery: number,
  ws: string,
  dataset: string = SMALL_DEMO,
): string[] {
  return [
    'train',
    '--dataset',
    dataset,
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
