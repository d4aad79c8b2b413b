import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isJournalEntry,
  planRecovery,
  recoverTraining,
  recoveryMessage,
  type RunReader,
} from '../../../extension/training/recovery.js';
import type { JournalEntry, ResumeTarget } from '../../../extension/training/trainingManager.js';
import type { ExperimentConfig } from '../../../src/runs/experiment.js';
import { FILES, type RunRecord, type RunStatus } from '../../../src/runs/format.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { fakeRun } from './fixtures.js';

const OLD_PID = 4242;

function entry(label: string, run?: string): JournalEntry {
  return {
    config: { dataset: 'demo', model: 'mf', name: label },
    workspace: '/ws',
    label,
    pid: OLD_PID,
    ...(run ? { run: { id: run, dir: `/ws/.reclab/runs/${run}` } } : {}),
  };
}

/** Runs in memory: id -> status, pid and whether last.bin exists. */
function reader(runs: Record<string, [RunStatus, number, boolean]>): RunReader {
  const byDir = (dir: string) => Object.keys(runs).find((id) => dir.endsWith(`/${id}`));
  return {
    read: (dir) => {
      const id = byDir(dir);
      if (!id) return undefined;
      const r = fakeRun(id, { status: runs[id][0], history: [{ epoch: 7, loss: 1, seconds: 1 }] });
      return { ...r, state: { ...r.state, pid: runs[id][1] } };
    },
    hasCheckpoint: (dir) => {
      const id = byDir(dir);
      return id !== undefined && runs[id][2];
    },
  };
}

test('recovery plan: interrupted runs with a checkpoint resume, the rest start again or are left', () => {
  const steps = planRecovery(
    [
      entry('resumes', 'a'),
      entry('no checkpoint', 'b'),
      entry('never started'),
      entry('finished meanwhile', 'c'),
      entry('stopped by the user', 'd'),
      entry('deleted', 'gone'),
      entry('old window still exiting', 'e'),
      entry('resumed from the CLI', 'f'),
    ],
    reader({
      a: ['interrupted', OLD_PID, true],
      b: ['interrupted', OLD_PID, false],
      c: ['done', OLD_PID, true],
      d: ['cancelled', OLD_PID, true],
      e: ['running', OLD_PID, true],
      f: ['running', 999, true],
    }),
  );
  assert.deepEqual(
    steps.map((s) => [s.entry.label, s.kind, s.kind === 'skip' ? s.why : '']),
    [
      ['resumes', 'resume', ''],
      ['no checkpoint', 'restart', ''],
      ['never started', 'restart', ''],
      ['finished meanwhile', 'skip', 'it is done'],
      ['stopped by the user', 'skip', 'it is cancelled'],
      ['deleted', 'skip', 'its run folder is gone'],
      ['old window still exiting', 'wait', ''],
      ['resumed from the CLI', 'skip', 'process 999 is training it'],
    ],
  );
  assert.equal(
    recoveryMessage(steps),
    'RecLab: training stopped when the window closed; resuming resumes after epoch 7, ' +
      'starting no checkpoint again (it had no checkpoint yet), queued never started again.',
  );
  assert.equal(recoveryMessage(steps.filter((s) => s.kind === 'skip')), undefined);
});

class FakeQueue {
  readonly queued: Array<{ config: ExperimentConfig; resume?: ResumeTarget }> = [];
  journalWrites = 0;
  enqueue(config: ExperimentConfig, _workspace: string, resume?: ResumeTarget) {
    this.queued.push({ config, ...(resume ? { resume } : {}) });
    return { key: this.queued.length, config, workspace: '/ws', label: '' };
  }
  saveJournal() {
    this.journalWrites++;
  }
}

test('a run whose extension host died mid-training is queued to resume in its folder', async () => {
  // a real run, stopped after epoch 2, then made to look as a crash leaves it: still
  // "running" under a process that no longer exists
  const ws = mkdtempSync(join(tmpdir(), 'reclab-recover-'));
  const config = { dataset: 'demo', model: 'mf', epochs: 6, threads: 1, hyper: { dim: 4 } };
  const ac = new AbortController();
  let dir = '';
  await assert.rejects(
    runExperiment(config, {
      workspace: ws,
      signal: ac.signal,
      onStart: (s) => (dir = s.dir),
      onEpoch: (r) => r.epoch === 2 && ac.abort(),
    }),
  );
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const status = JSON.parse(readFileSync(join(dir, FILES.status), 'utf8'));
  writeFileSync(
    join(dir, FILES.status),
    JSON.stringify({ ...status, status: 'running', pid: dead }),
  );
  const id = dir.split('/').pop() ?? '';
  const q = new FakeQueue();
  const steps = await recoverTraining(q, [
    { config, workspace: ws, label: 'crashed', pid: dead, run: { id, dir } },
  ]);
  assert.deepEqual(
    steps.map((s) => s.kind),
    ['resume'],
  );
  assert.equal(q.queued.length, 1);
  assert.deepEqual(q.queued[0].resume && [q.queued[0].resume.id, q.queued[0].resume.dir], [
    id,
    dir,
  ]);
  assert.deepEqual(
    q.queued[0].resume?.history.map((h) => h.epoch),
    [1, 2],
  );
  assert.equal(q.journalWrites, 1, 'the journal is rewritten once the work is queued');
});

test('recovery waits for the closed window to let go of its run, then resumes it', async () => {
  let status: RunStatus = 'running';
  const run = (): RunRecord => fakeRun('a', { status });
  const runs: RunReader = {
    read: () => ({ ...run(), state: { ...run().state, pid: OLD_PID } }),
    hasCheckpoint: () => true,
  };
  let slept = 0;
  const q = new FakeQueue();
  const steps = await recoverTraining(q, [entry('a', 'a')], {
    runs,
    sleep: async () => {
      // the old extension host marks it interrupted on its way out
      if (++slept === 3) status = 'interrupted';
    },
  });
  assert.equal(slept, 3);
  assert.deepEqual(
    steps.map((s) => s.kind),
    ['resume'],
  );
  // a process that never lets go: given up after waitMs, nothing queued
  status = 'running';
  const q2 = new FakeQueue();
  const stuck = await recoverTraining(q2, [entry('a', 'a')], {
    runs,
    waitMs: 1000,
    sleep: async () => undefined,
  });
  assert.deepEqual(
    stuck.map((s) => [s.kind, s.kind === 'skip' && s.why]),
    [['skip', `the closed window's process ${OLD_PID} still trains it`]],
  );
  assert.equal(q2.queued.length, 0);
});

test('journal entries read back from storage are checked', () => {
  assert.ok(isJournalEntry(entry('a', 'x')));
  assert.ok(isJournalEntry(entry('a')));
  assert.ok(!isJournalEntry(null));
  assert.ok(!isJournalEntry({ ...entry('a'), pid: '1' }));
  assert.ok(!isJournalEntry({ ...entry('a'), config: { model: 'mf' } }));
  assert.ok(!isJournalEntry({ ...entry('a'), run: { id: 'x' } }));
});
