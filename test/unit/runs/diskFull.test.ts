/**
 * A disk that fills up during training: the error names the run and the file that could not
 * be written and says the epochs before it are safe; they are, and the run resumes to the
 * numbers of an uninterrupted one. On a real 2 MB tmpfs where one can be mounted (root, or CI
 * machines that allow it), and always through the injected write failure of atomic.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/index.js';
import { readArraysMeta } from '../../../src/runs/arraysFile.js';
import { simulateDiskFull } from '../../../src/util/atomic.js';
import { FILES, type RunState } from '../../../src/runs/format.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { readHistory, readRun, RunWriteError, RunWriter } from '../../../src/runs/store.js';
import { RecLabError } from '../../../src/util/errors.js';
import { deadPid, smallExperiment, testMeta, tmpFolder } from './helpers.js';

const exp = smallExperiment;
const dataset = loadDataset(exp.dataset);
const tmp = tmpFolder;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Trains until `fill` is called after epoch 2; checks the error; returns the run folder. */
async function trainUntilFull(workspace: string, fill: () => void): Promise<string> {
  let dir = '';
  let id = '';
  const err = await runExperiment(exp, {
    dataset: await dataset,
    workspace,
    onStart: (s) => ((dir = s.dir), (id = s.id)),
    onEpoch: (r) => {
      if (r.epoch === 2) fill();
    },
  }).then(
    () => assert.fail('training went on on a full disk'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof RunWriteError && err instanceof RecLabError, String(err));
  assert.match(
    err.message,
    new RegExp(
      `^run ${id}: could not write ${escape(dir)}/(${Object.values(FILES).map(escape).join('|')}): ` +
        'no space left on device\\. Epochs 1-2 are safe in its folder; free some space, then resume the run\\.$',
    ),
  );
  assert.equal(err.code, 'ENOSPC');
  // the epochs before it are safe: the checkpoint of epoch 2 and the log of epochs 1-2
  assert.equal(readArraysMeta(join(dir, FILES.last)).epoch, 2);
  assert.deepEqual(
    readHistory(join(dir, FILES.metrics))
      .slice(0, 2)
      .map((r) => r.epoch),
    [1, 2],
  );
  return dir;
}

/** Resumes the run (space freed) and compares it with an uninterrupted run. */
async function resumeMatches(dir: string): Promise<void> {
  const straight = await runExperiment(exp, { dataset: await dataset, workspace: tmp() });
  const resumed = await runExperiment(exp, { dataset: await dataset, resume: readRun(dir) });
  assert.deepEqual(resumed.summary.metrics, straight.summary.metrics);
  assert.deepEqual(
    readHistory(join(dir, FILES.metrics)).map((r) => r.epoch),
    [1, 2, 3, 4],
  );
  assert.equal(readRun(dir).state.status, 'done');
}

test('disk full (injected write failure): the message names run and file, the epochs before are safe and resumable', async () => {
  let dir: string;
  try {
    dir = await trainUntilFull(tmp(), () => simulateDiskFull(0));
  } finally {
    simulateDiskFull(undefined);
  }
  // Nothing could be written, the failed status included; the CLI's process would now exit,
  // and its run read as interrupted: so does this one once its pid is a dead process's.
  const st = JSON.parse(readFileSync(join(dir, FILES.status), 'utf8')) as RunState;
  assert.equal(st.status, 'running');
  writeFileSync(join(dir, FILES.status), JSON.stringify({ ...st, pid: deadPid() }));
  await resumeMatches(dir);
});

test('a failed append is cut back: the next one starts on a fresh line', () => {
  const w = RunWriter.create(tmp(), testMeta('r'), 3);
  w.appendEpoch({ epoch: 1, loss: 0.5, seconds: 1 });
  simulateDiskFull(10); // part of the next line fits
  try {
    assert.throws(() => w.appendEpoch({ epoch: 2, loss: 0.4, seconds: 1 }), RunWriteError);
  } finally {
    simulateDiskFull(undefined);
  }
  const file = join(w.dir, FILES.metrics);
  assert.equal(readFileSync(file, 'utf8'), '{"epoch":1,"loss":0.5,"seconds":1}\n');
  w.appendEpoch({ epoch: 2, loss: 0.4, seconds: 1 });
  assert.deepEqual(
    readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).epoch),
    [1, 2],
  );
});

/** Mounts a 2 MB tmpfs on a fresh folder, or says why not. */
function mountTmpfs(): { dir: string } | { why: string } {
  const dir = tmp();
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (r.status === 0) return { dir };
  rmSync(dir, { recursive: true, force: true });
  return { why: `no tmpfs: ${(r.stderr || r.error?.message || 'mount failed').trim()}` };
}

/** Writes a file until the disk is full. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

const mount = mountTmpfs();
test(
  'disk full (a 2 MB tmpfs filled during training): the message names run and file, the epochs before are safe and resumable',
  { skip: 'why' in mount ? mount.why : false },
  async () => {
    if (!('dir' in mount)) return;
    try {
      const ballast = join(mount.dir, 'ballast');
      const dir = await trainUntilFull(mount.dir, () => fillDisk(ballast));
      // the failure is recorded where it can be: the status file is rewritten in place
      assert.equal(readRun(dir).state.status, 'failed');
      rmSync(ballast);
      await resumeMatches(dir);
    } finally {
      spawnSync('umount', [mount.dir]);
      rmSync(mount.dir, { recursive: true, force: true });
    }
  },
);
