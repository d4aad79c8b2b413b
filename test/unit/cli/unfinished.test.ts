import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../../src/runs/experiment.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { readRun } from '../../../src/runs/store.js';
import { CancelledError } from '../../../src/train/trainer.js';
import { reclab } from './runCli.js';

const ws = mkdtempSync(join(tmpdir(), 'reclab-cli-unfinished-'));

/** Trains in `ws` and cancels once epoch `at` is saved (at 0: during the first epoch). */
async function cancelledRun(config: ExperimentConfig, at: number): Promise<string> {
  const ac = new AbortController();
  let id = '';
  await assert.rejects(
    runExperiment(config, {
      workspace: ws,
      signal: ac.signal,
      onStart: (s) => (id = s.id),
      onBatch: () => at === 0 && ac.abort(),
      onEpoch: (r) => r.epoch === at && ac.abort(),
    }),
    CancelledError,
  );
  return id;
}

async function finishedRun(config: ExperimentConfig): Promise<string> {
  return (await runExperiment(config, { workspace: ws })).id;
}

const mf = { dataset: 'demo', model: 'mf', ks: [10, 20], hyper: { dim: 8, lr: 0.01 } };

test('eval on a cancelled run tests its last checkpoint and says so', async () => {
  // no evaluation during training: no best checkpoint, only last.bin
  const id = await cancelledRun({ ...mf, epochs: 4, evalEvery: 0 }, 2);
  assert.ok(existsSync(join(ws, '.reclab/runs', id, 'last.bin')));
  assert.ok(!existsSync(join(ws, '.reclab/runs', id, 'checkpoint.bin')));
  const r = await reclab(['eval', id, '--json', '-w', ws]);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.equal(
    r.out[0],
    'mf-demo did not finish (cancelled at epoch 2 of 4): using its last checkpoint, last.bin (epoch 2)',
  );
  assert.deepEqual([r.json?.status, r.json?.from, r.json?.epoch], ['cancelled', 'last.bin', 2]);
  // the same numbers as a run of those 2 epochs that finished (same seed, same draws)
  const whole = readRun(
    join(ws, '.reclab/runs', await finishedRun({ ...mf, epochs: 2, evalEvery: 0 })),
  );
  for (const k of ['recall@20', 'ndcg@20', 'recall@10'])
    assert.equal(r.json?.[k], whole.summary?.metrics[k], k);
});

test('recommend on a cancelled LightGCN run ranks with its last checkpoint', async () => {
  const lg = { dataset: 'demo', model: 'lightgcn', hyper: { dim: 8, lr: 0.01 }, evalEvery: 0 };
  const id = await cancelledRun({ ...lg, epochs: 3 }, 1);
  const done = await finishedRun({ ...lg, epochs: 1 });
  const args = ['--user', 'u0003', '-k', '7', '--json', '-w', ws];
  const r = await reclab(['recommend', id, ...args]);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.match(
    r.out[0],
    /did not finish \(cancelled at epoch 1 of 3\): using its last checkpoint, last\.bin \(epoch 1\)/,
  );
  const f = await reclab(['recommend', done, ...args]);
  assert.equal(f.code, 0, f.err.join('\n'));
  assert.equal((r.json?.items as string[]).length, 7);
  assert.deepEqual(r.json?.items, f.json?.items);
});

test('eval on a run stopped before its first epoch ended names the missing checkpoint', async () => {
  const id = await cancelledRun({ ...mf, epochs: 2, name: 'early' }, 0);
  const r = await reclab(['eval', id, '-w', ws]);
  assert.equal(r.code, 1);
  assert.equal(
    r.err.join('\n'),
    `reclab: ${join(ws, '.reclab/runs', id, 'last.bin')}: expected a last-epoch checkpoint: the run is cancelled and saved none (it stopped before its first epoch ended)`,
  );
});

test('compare shows the last evaluation of a run that did not finish, marked, never as best', async () => {
  // evaluated at epoch 2, cancelled after epoch 3: the last epoch has no metrics
  const id = await cancelledRun({ ...mf, epochs: 6, evalEvery: 2, name: 'stopped' }, 3);
  const done = await finishedRun({ ...mf, epochs: 1, evalEvery: 1, name: 'finished' });
  const run = readRun(join(ws, '.reclab/runs', id));
  const atTwo = run.history.find((e) => e.epoch === 2)?.metrics?.['recall@20'];
  assert.equal(typeof atTwo, 'number');
  const r = await reclab(['compare', id, done, '--json', '-w', ws]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const row = r.out.find((l) => l.startsWith('stopped (cancelled)'));
  assert.ok(row, r.out.join('\n'));
  assert.match(row, new RegExp(`\\b3 of 6\\b.*${atTwo?.toFixed(4)} `));
  assert.ok(!row.includes('*'), 'a validation number is never marked best against test results');
  assert.ok(
    r.out.includes(
      `stopped (cancelled): metrics of its last evaluation, epoch 2 on validation, not a final test result; \`reclab eval ${id}\` tests its last checkpoint`,
    ),
    r.out.join('\n'),
  );
  const [stopped, finished] = r.json?.runs as Record<string, unknown>[];
  assert.equal(stopped['recall@20'], undefined, 'no test metric is claimed');
  assert.deepEqual(
    [
      (stopped.lastEvaluation as Record<string, unknown>).epoch,
      (stopped.lastEvaluation as Record<string, unknown>)['recall@20'],
    ],
    [2, atTwo],
  );
  assert.equal(typeof finished['recall@20'], 'number');
});

test("the demo table's epoch column shows the selected epoch", async () => {
  const r = await reclab(['demo', '--models', 'mf', '--epochs', '6', '--no-save', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  const [run] = r.json?.runs as Record<string, unknown>[];
  assert.equal(typeof run.bestEpoch, 'number');
  const row = r.out.find((l) => l.startsWith('demo-mf '));
  assert.match(row ?? '', new RegExp(`^demo-mf\\s+mf\\s+6 \\(best ${run.bestEpoch}\\)\\s`));
});
