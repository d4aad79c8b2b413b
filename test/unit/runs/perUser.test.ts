import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { FILES } from '../../../src/runs/format.js';
import { readPerUser } from '../../../src/runs/perUser.js';
import { readRun, RunWriter } from '../../../src/runs/store.js';
import { smallExperiment, tmpFolder } from './helpers.js';

const mean = (a: Float32Array) => a.reduce((s, x) => s + x, 0) / a.length;

test('a run saves per-user recall and ndcg of its test evaluation, averaging to its metrics', async () => {
  const ws = tmpFolder();
  const a = await runExperiment({ ...smallExperiment, epochs: 2, ks: [10, 20] }, { workspace: ws });
  const saved = readPerUser(readRun(a.dir as string));
  assert.ok(saved, 'peruser.bin written');
  assert.deepEqual(Object.keys(saved.values).sort(), [
    'ndcg@10',
    'ndcg@20',
    'recall@10',
    'recall@20',
  ]);
  assert.ok(saved.users.length > 10);
  assert.ok(
    saved.users.every((u, i) => i === 0 || u > saved.users[i - 1]),
    'users ascending',
  );
  for (const [k, v] of Object.entries(saved.values)) {
    assert.equal(v.length, saved.users.length);
    assert.ok(Math.abs(mean(v) - a.summary.metrics[k]) < 1e-6, `${k}: mean of users = metric`);
  }
  assert.equal(saved.epoch, a.summary.selectedEpoch);

  // another model on the same split is tested on the same set; another seed splits anew
  const b = await runExperiment(
    { ...smallExperiment, model: 'popularity', epochs: undefined, hyper: {} },
    { workspace: ws },
  );
  const c = await runExperiment({ ...smallExperiment, epochs: 1, seed: 7 }, { workspace: ws });
  assert.equal(readPerUser(readRun(b.dir as string))?.testHash, saved.testHash);
  assert.notEqual(readPerUser(readRun(c.dir as string))?.testHash, saved.testHash);
});

test('a resumed run drops the per-user metrics of its earlier test until it is tested again', async () => {
  const ws = tmpFolder();
  const a = await runExperiment({ ...smallExperiment, epochs: 1 }, { workspace: ws });
  const dir = a.dir as string;
  assert.ok(existsSync(join(dir, FILES.perUser)));
  RunWriter.reopen(dir, 3, { epoch: 1 });
  assert.ok(!existsSync(join(dir, FILES.perUser)), 'stale per-user metrics removed');
});
