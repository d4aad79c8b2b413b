import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/index.js';
import { readArraysFile } from '../../../src/runs/arraysFile.js';
import { FILES } from '../../../src/runs/format.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { readRun } from '../../../src/runs/store.js';
import { CancelledError } from '../../../src/train/trainer.js';

for (const model of ['mf', 'lightgcn', 'ngcf']) {
  test(`${model}: a run cancelled after 2 epochs and resumed to 4 equals a straight 4-epoch run`, async () => {
    const dataset = await loadDataset('demo');
    const exp = {
      dataset: 'demo',
      model,
      epochs: 4,
      evalEvery: 2,
      ks: [20],
      threads: 1,
      hyper: { dim: 8, lr: 0.01 },
    };
    const straight = await runExperiment(exp, {
      dataset,
      workspace: mkdtempSync(join(tmpdir(), 'reclab-resume-')),
    });

    const ws = mkdtempSync(join(tmpdir(), 'reclab-resume-'));
    const ac = new AbortController();
    let dir = '';
    await assert.rejects(
      runExperiment(exp, {
        dataset,
        workspace: ws,
        signal: ac.signal,
        onStart: (s) => (dir = s.dir),
        onEpoch: (r) => {
          if (r.epoch === 2) ac.abort();
        },
      }),
      CancelledError,
    );
    const stopped = readRun(dir);
    assert.equal(stopped.state.status, 'cancelled');
    assert.equal(Number(readArraysFile(join(dir, FILES.last)).meta.epoch), 2);

    const resumed = await runExperiment({ ...exp }, { dataset, resume: stopped });
    assert.equal(resumed.dir, dir, 'the same run folder is continued');
    assert.deepEqual(
      resumed.history.map((h) => h.epoch),
      [1, 2, 3, 4],
    );
    assert.deepEqual(resumed.summary.metrics, straight.summary.metrics);
    const a = readFileSync(join(straight.dir ?? '', FILES.embeddings));
    const b = readFileSync(join(dir, FILES.embeddings));
    assert.ok(a.equals(b), 'embeddings are bit-identical');
    const done = readRun(dir);
    assert.equal(done.state.status, 'done');
    assert.deepEqual(
      done.history.map((h) => h.epoch),
      [1, 2, 3, 4],
    );
  });
}
