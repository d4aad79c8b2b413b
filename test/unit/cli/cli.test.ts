import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { listRuns } from '../../../src/runs/store.js';
import { CancelledError } from '../../../src/train/trainer.js';
import { reclab } from './runCli.js';

const ws = mkdtempSync(join(tmpdir(), 'reclab-cli-'));

test('inspect demo --json ends with one JSON object holding the sizes', async () => {
  const r = await reclab(['inspect', 'demo', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.ok(
    r.json &&
      (r.json.users as number) > 0 &&
      (r.json.items as number) > 0 &&
      (r.json.interactions as number) > 0,
  );
});

test('train with flags writes a run that list, eval, compare and recommend read back', async () => {
  const t = await reclab([
    'train',
    '--dataset',
    'demo',
    '--model',
    'mf',
    '--epochs',
    '2',
    '--dim',
    '16',
    '--lr',
    '0.01',
    '--json',
    '-w',
    ws,
  ]);
  assert.equal(t.code, 0, t.err.join('\n'));
  assert.ok(
    t.json && typeof t.json['recall@20'] === 'number' && typeof t.json.seconds === 'number',
  );
  const runId = t.json.run as string;
  assert.ok(existsSync(join(ws, '.reclab', 'runs', runId, 'summary.json')));
  assert.ok(existsSync(join(ws, '.reclab', 'runs', runId, 'embeddings.bin')));

  const e = await reclab(['eval', runId.slice(0, 22), '--json', '-w', ws]);
  assert.equal(e.code, 0, e.err.join('\n'));
  assert.ok(
    Math.abs((e.json?.['recall@20'] as number) - (t.json['recall@20'] as number)) < 1e-9,
    'eval reproduces the saved metrics',
  );

  const p = await reclab([
    'train',
    '--dataset',
    'demo',
    '--model',
    'popularity',
    '--json',
    '-w',
    ws,
  ]);
  assert.equal(p.code, 0, p.err.join('\n'));
  const c = await reclab(['compare', '--json', '-w', ws]);
  assert.equal(c.code, 0);
  assert.equal((c.json?.runs as unknown[]).length, 2);
  assert.ok(
    c.out.some((l) => l.includes('*')),
    'best per column is marked',
  );

  const rec = await reclab(['recommend', runId, '--user', 'u0001', '-k', '5', '--json', '-w', ws]);
  assert.equal(rec.code, 0, rec.err.join('\n'));
  assert.equal((rec.json?.items as string[]).length, 5);
});

test('an experiment file runs, and flags override it', async () => {
  const f = join(ws, 'pop.reclab.json');
  writeFileSync(f, JSON.stringify({ dataset: 'demo', model: 'mf', epochs: 50, name: 'from-file' }));
  const r = await reclab(['train', f, '--epochs', '1', '--no-save', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.equal(r.json?.epochs, 1);
});

test('bad input exits non-zero with one line naming what was expected', async () => {
  const cases: [string[], RegExp][] = [
    [['train', '--dataset', 'demo', '--model', 'nosuch'], /expected a model name, one of: .*mf/],
    [
      ['train', '--dataset', 'demo', '--model', 'mf', '--epochs', 'x'],
      /--epochs: expected an integer/,
    ],
    [['inspect', join(ws, 'missing.csv')], /missing\.csv/],
    [['eval', 'no-such-run', '-w', ws], /expected a run id/],
    [
      ['train', '--dataset', 'demo', '--model', 'mf', '--hyper', 'nosuch=1'],
      /expected a hyperparameter of mf, one of: dim/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = await reclab(args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err.join('\n'), re, args.join(' '));
    assert.equal(r.err.filter((l) => l.startsWith('reclab:')).length, 1);
  }
});

test('--help lists every command', async () => {
  const r = await reclab(['--help']);
  for (const c of ['inspect', 'train', 'eval', 'compare', 'recommend', 'demo', 'list'])
    assert.ok(r.out.join('\n').includes(c), c);
  assert.ok(readdirSync(ws).length > 0);
});

test('list shows a stopped run by its epoch and last evaluation', async () => {
  const w = mkdtempSync(join(tmpdir(), 'reclab-cli-list-'));
  const ac = new AbortController();
  await assert.rejects(
    runExperiment(
      { dataset: 'demo', model: 'mf', epochs: 4, evalEvery: 1, ks: [20], hyper: { dim: 8 } },
      {
        workspace: w,
        signal: ac.signal,
        onEpoch: (r) => {
          if (r.epoch === 2) ac.abort();
        },
      },
    ),
    CancelledError,
  );
  const [run] = listRuns(join(w, '.reclab', 'runs'));
  const last = run.history.at(-1)?.metrics?.['recall@20'];
  assert.equal(typeof last, 'number');
  const r = await reclab(['list', '--json', '-w', w]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const [row] = r.json?.runs as Record<string, unknown>[];
  assert.deepEqual(
    [row.status, row.epoch, row.epochs, row['recall@20']],
    ['cancelled', 2, 4, last],
  );
  assert.ok(r.out.some((l) => /cancelled\s+2\/4\s+0\.\d{4}/.test(l)));
});
