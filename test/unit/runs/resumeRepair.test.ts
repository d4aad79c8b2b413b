/**
 * What a kill -9 can leave in a run folder, written exactly (the kill loop meets these only by
 * chance), and a resume that makes the folder agree with its checkpoint before appending.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/index.js';
import { readArraysMeta } from '../../../src/runs/arraysFile.js';
import { FILES } from '../../../src/runs/format.js';
import { runExperiment, type ExperimentResult } from '../../../src/runs/runExperiment.js';
import { readHistory, readRun, RunWriter } from '../../../src/runs/store.js';
import { CancelledError, type EpochRecord } from '../../../src/train/trainer.js';
import { smallExperiment, testMeta, tmpFolder, withoutTimes } from './helpers.js';

const exp = smallExperiment;
const tmp = tmpFolder;
const dataset = loadDataset(exp.dataset);
let straightRun: Promise<ExperimentResult> | undefined;
const straight = () =>
  (straightRun ??= dataset.then((d) => runExperiment(exp, { dataset: d, workspace: tmp() })));

/** A run stopped (cancelled) once `stopAt` says so, as a kill would leave it but for the status. */
async function stoppedRun(stopAt: { epoch?: number; batchOfEpoch1?: boolean }): Promise<string> {
  const ac = new AbortController();
  let dir = '';
  await assert.rejects(
    runExperiment(exp, {
      dataset: await dataset,
      workspace: tmp(),
      signal: ac.signal,
      onStart: (s) => (dir = s.dir),
      onBatch: () => {
        if (stopAt.batchOfEpoch1) ac.abort();
      },
      onEpoch: (r) => {
        if (r.epoch === stopAt.epoch) ac.abort();
      },
    }),
    CancelledError,
  );
  return dir;
}

const line = (r: EpochRecord) => `${JSON.stringify(r)}\n`;

/** Resumes the run in `dir` to the end and checks it against the uninterrupted run. */
async function resumeAndCompare(dir: string): Promise<string[]> {
  const logs: string[] = [];
  const resumed = await runExperiment(exp, {
    dataset: await dataset,
    resume: readRun(dir),
    log: (m) => logs.push(m),
  });
  const lines = readFileSync(join(dir, FILES.metrics), 'utf8').split('\n');
  assert.equal(lines.pop(), '');
  const records = lines.map((l) => JSON.parse(l) as EpochRecord);
  assert.deepEqual(
    records.map((r) => r.epoch),
    [1, 2, 3, 4],
    'one whole line per epoch',
  );
  const s = await straight();
  assert.deepEqual(records.map(withoutTimes), s.history.map(withoutTimes));
  assert.deepEqual(resumed.summary.metrics, s.summary.metrics);
  assert.equal(readRun(dir).state.status, 'done');
  return logs;
}

test('killed after an epoch was logged but before its checkpoint: resume logs that epoch once', async () => {
  const dir = await stoppedRun({ epoch: 2 });
  // epoch 3's line is written, last.bin still holds epoch 2
  appendFileSync(join(dir, FILES.metrics), line((await straight()).history[2]));
  assert.equal(Number(readArraysMeta(join(dir, FILES.last)).epoch), 2);
  await resumeAndCompare(dir);
});

test('killed mid-append: the torn line is cut before the next epoch is appended', async () => {
  const dir = await stoppedRun({ epoch: 2 });
  appendFileSync(join(dir, FILES.metrics), line((await straight()).history[2]).slice(0, 17));
  await resumeAndCompare(dir);
});

test('killed before the first checkpoint: resume trains from epoch 1 and says so', async () => {
  const dir = await stoppedRun({ batchOfEpoch1: true });
  assert.deepEqual(readRun(dir).history, []);
  const logs = await resumeAndCompare(dir);
  assert.ok(
    logs.includes('no epoch had finished before the run stopped: training it from epoch 1'),
    logs.join('\n'),
  );
});

test("killed between epoch 1's log line and its checkpoint: resume trains from epoch 1", async () => {
  const dir = await stoppedRun({ batchOfEpoch1: true });
  appendFileSync(join(dir, FILES.metrics), line((await straight()).history[0]));
  await resumeAndCompare(dir);
});

test('a run without last.bin but with later epochs logged is not silently restarted', async () => {
  const dir = await stoppedRun({ epoch: 2 });
  rmSync(join(dir, FILES.last));
  await assert.rejects(
    runExperiment(exp, { dataset: await dataset, resume: readRun(dir) }),
    /last\.bin: expected a last-epoch checkpoint to resume from/,
  );
  assert.equal(readHistory(join(dir, FILES.metrics)).length, 2, 'the log is left as it was');
});

const meta = testMeta('r');
const weights = (v: number) => ({ w: Float32Array.of(v, v + 1) });

test('killed between last.bin and checkpoint.bin of a best epoch: resume brings checkpoint.bin up to it', () => {
  const w = RunWriter.create(tmp(), meta, 4);
  w.saveLast(weights(1), 1);
  w.saveCheckpoint(weights(1), 1);
  w.saveLast(weights(2), 2); // epoch 2 was the best so far; the kill came before its checkpoint
  w.fail('cancelled', 'stopped');
  const ckpt = join(w.dir, FILES.checkpoint);
  RunWriter.reopen(w.dir, 4, { epoch: 2, bestEpoch: 1 });
  assert.equal(readArraysMeta(ckpt).epoch, 1, 'an older best epoch keeps its checkpoint');
  const again = readRun(w.dir);
  writeFileSync(join(w.dir, FILES.status), JSON.stringify({ ...again.state, status: 'cancelled' }));
  RunWriter.reopen(w.dir, 4, { epoch: 2, bestEpoch: 2 });
  assert.equal(readArraysMeta(ckpt).epoch, 2);
  assert.ok(readFileSync(ckpt).equals(readFileSync(join(w.dir, FILES.last))));
});

test('a log written by an older version (an epoch listed twice after a resume) reads once per epoch', () => {
  const f = join(tmp(), FILES.metrics);
  const r = (epoch: number, loss: number): EpochRecord => ({ epoch, loss, seconds: 1 });
  writeFileSync(f, [r(1, 9), r(2, 8), r(3, 7), r(3, 6), r(4, 5)].map(line).join(''));
  assert.deepEqual(
    readHistory(f).map((x) => [x.epoch, x.loss]),
    [
      [1, 9],
      [2, 8],
      [3, 6],
      [4, 5],
    ],
  );
});
