import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, splitDataset } from '../../../src/data/index.js';
import type { Dataset } from '../../../src/data/types.js';
import { readRun } from '../../../src/runs/store.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import {
  honestSplit,
  resolveSelection,
  selectionLabel,
  SELECTED_ON_TEST,
} from '../../../src/runs/selection.js';
import { reclab } from '../cli/runCli.js';

const small = { dim: 8, lr: 0.01, batchSize: 256 };

test('splits RecLab makes always have a validation part', () => {
  assert.deepEqual(honestSplit(undefined, false), { type: 'ratio', ratios: [0.8, 0.1, 0.1] });
  assert.deepEqual(honestSplit(undefined, true), { type: 'given' });
  assert.deepEqual(honestSplit({ type: 'ratio', ratios: [0.8, 0.2] }, false), {
    type: 'ratio',
    ratios: [0.72, 0.08, 0.2],
  });
  assert.deepEqual(honestSplit({ type: 'temporal', ratios: [0.9, 0.1], perUser: true }, false), {
    type: 'temporal',
    ratios: [0.81, 0.09, 0.1],
    perUser: true,
  });
  assert.deepEqual(honestSplit({ type: 'loo', order: 'time' }, false), {
    type: 'loo',
    order: 'time',
    valid: true,
  });
  // an explicit three-part split and an explicit loo without validation are kept as asked
  assert.deepEqual(honestSplit({ type: 'ratio', ratios: [0.7, 0.2, 0.1] }, false), {
    type: 'ratio',
    ratios: [0.7, 0.2, 0.1],
  });
  assert.deepEqual(honestSplit({ type: 'loo', valid: false }, false), {
    type: 'loo',
    valid: false,
  });
});

test('selection: validation by default, the last epoch without one, test only when asked', () => {
  assert.equal(resolveSelection({ patience: 0 }, true, 'x'), 'valid');
  assert.equal(resolveSelection({ patience: 0 }, false, 'x'), 'last');
  assert.equal(resolveSelection({ selectOn: 'test', patience: 3 }, false, 'x'), 'test');
  assert.throws(
    () => resolveSelection({ selectOn: 'valid', patience: 0 }, false, 'exp.reclab.json'),
    /^InputError: exp\.reclab\.json: expected a split with a validation part to select on/,
  );
  assert.throws(
    () => resolveSelection({ patience: 2 }, false, '--patience'),
    /--patience: expected patience 0 when the last epoch is reported/,
  );
  // no evaluation during training: the last epoch, unless a selection is asked for explicitly
  assert.equal(resolveSelection({ patience: 0, evalEvery: 0 }, true, 'x'), 'last');
  assert.throws(
    () =>
      resolveSelection({ selectOn: 'valid', patience: 0, evalEvery: 0 }, true, 'exp.reclab.json'),
    /exp\.reclab\.json: expected evalEvery >= 1 to select the best epoch on validation/,
  );
  assert.equal(
    resolveSelection({ selectOn: 'valid', patience: 0, evalEvery: 0 }, true, 'x', false),
    'valid',
    'a model that does not train is evaluated once: nothing to select between',
  );
  assert.equal(selectionLabel({ selectOn: 'test' }), SELECTED_ON_TEST);
  assert.equal(selectionLabel({ selectOn: 'valid' }), '');
  assert.equal(selectionLabel(undefined), '');
});

test('leave-one-out: the best epoch and early stopping look at validation, test is evaluated once', async () => {
  const dataset = await loadDataset('demo');
  let testEvaluations = 0;
  const r = await runExperiment(
    {
      dataset: 'demo',
      model: 'mf',
      split: { type: 'loo' },
      epochs: 6,
      evalEvery: 2,
      patience: 1,
      ks: [20],
      threads: 1,
      hyper: small,
    },
    {
      dataset,
      save: false,
      onPhase: (p) => {
        if (p === 'testing') testEvaluations++;
      },
    },
  );
  const evaluated = r.history.filter((h) => h.metrics);
  assert.ok(evaluated.length >= 2);
  assert.deepEqual(new Set(evaluated.map((h) => h.evaluatedOn)), new Set(['valid']));
  assert.equal(testEvaluations, 1);
  assert.equal(r.summary.selectOn, 'valid');
  assert.equal(r.summary.selectedEpoch, r.summary.bestEpoch);
  assert.deepEqual(r.config.split, { type: 'loo', valid: true });
  // the validation part is each user's second-to-last interaction: one per user with >= 3
  const split = splitDataset(dataset, { type: 'loo', valid: true }, r.config.seed);
  assert.ok((split.valid?.users.length ?? 0) > 0);
});

/** The demo's ratio split as given files (train and test only, no validation file). */
async function givenWithoutValidation(): Promise<Dataset> {
  const demo = await loadDataset('demo');
  const s = splitDataset(demo, { type: 'ratio', ratios: [0.8, 0.2] }, 7);
  return { ...demo, given: { train: s.train, test: s.test } };
}

test('given files without validation: no selection, the last epoch is reported', async () => {
  const dataset = await givenWithoutValidation();
  const exp = {
    dataset: 'demo',
    model: 'mf',
    epochs: 4,
    evalEvery: 1,
    ks: [20],
    threads: 1,
    hyper: small,
  };
  const r = await runExperiment(exp, { dataset, save: false });
  assert.equal(r.summary.selectOn, 'last');
  assert.equal(r.summary.selectedEpoch, 4);
  assert.equal(r.summary.bestEpoch, undefined);
  // the curve is drawn on test, and the reported numbers are the last epoch's
  assert.deepEqual(r.summary.metrics, r.history.at(-1)?.metrics);

  // the papers' habit only when asked for, and recorded
  const t = await runExperiment({ ...exp, selectOn: 'test' as const }, { dataset, save: false });
  assert.equal(t.summary.selectOn, 'test');
  const best = Math.max(...t.history.map((h) => h.metrics?.['recall@20'] ?? -1));
  assert.equal(t.summary.metrics['recall@20'], best);
  assert.equal(t.config.selectOn, 'test');

  // early stopping without a validation part is refused before any work
  const ws = mkdtempSync(join(tmpdir(), 'reclab-sel-'));
  await assert.rejects(
    runExperiment({ ...exp, patience: 2 }, { dataset, workspace: ws, source: 'e.reclab.json' }),
    /e\.reclab\.json: expected patience 0 when the last epoch is reported/,
  );
  await assert.rejects(
    runExperiment({ ...exp, selectOn: 'valid' as const }, { dataset, workspace: ws }),
    /expected a split with a validation part to select on/,
  );
  assert.equal(existsSync(join(ws, '.reclab')), false, 'no run folder was written');
});

const trainDemo = (ws: string, ...args: string[]) =>
  reclab(['train', '--dataset', 'demo', '--model', 'mf', '-w', ws, ...args]);

test('CLI: --split is parsed strictly and checked before any work', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-split-'));
  const cases: Array<[string[], RegExp]> = [
    [['--split', 'loo:bogus'], /--split: expected loo, loo:time .* or loo:random: given \| ratio/],
    [['--split', 'ratio:0.8,0.1'], /expected ratios summing to 1 \(these sum to 0\.9\)/],
    [['--split', 'ratio:0.8,0.1,0.1:x'], /expected one "type:argument": given \| ratio/],
    [['--split', 'ratio:8,2'], /expected 2 or 3 ratios between 0 and 1/],
    [['--split', 'given:x'], /expected "given" without an argument/],
    [['--split', 'random'], /expected a split type: given \| ratio:0\.8,0\.1,0\.1 \| loo/],
    [['--select-on', 'best'], /--select-on: expected valid \(best epoch on validation\)/],
    [['--metric', 'recall@50'], /command line: expected a metric at one of the cut-offs/],
    [['--patience', '3', '--split', 'given'], /expected a dataset with its own train\/test/],
  ];
  for (const [args, want] of cases) {
    const r = await trainDemo(ws, '--epochs', '1', ...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.err.at(-1) ?? '', want, args.join(' '));
  }
  assert.equal(existsSync(join(ws, '.reclab')), false, 'nothing was written');
  // --split beside --train/--test would be ignored: refused instead
  const r = await reclab([
    'train',
    '--train',
    'a.txt',
    '--test',
    'b.txt',
    '--split',
    'ratio:0.8,0.1,0.1',
    '--model',
    'mf',
    '-w',
    ws,
  ]);
  assert.equal(r.code, 1);
  assert.match(r.err.at(-1) ?? '', /no --split with --train\/--test: the files are the split/);
});

test('CLI: temporal-user splits each user by time; the run records the split and selection', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-split-'));
  const r = await trainDemo(
    ws,
    '--epochs',
    '2',
    '--eval-every',
    '1',
    '--threads',
    '1',
    '--split',
    'temporal-user:0.8,0.2',
  );
  assert.equal(r.code, 0, r.err.join('\n'));
  const dir = readdirSync(join(ws, '.reclab', 'runs'))[0];
  const run = readRun(join(ws, '.reclab', 'runs', dir));
  assert.deepEqual(run.meta?.config.split, {
    type: 'temporal',
    ratios: [0.72, 0.08, 0.2],
    perUser: true,
  });
  assert.equal(run.meta?.config.selectOn, 'valid');
  assert.equal(run.summary?.selectOn, 'valid');
  assert.ok(run.history.every((h) => !h.metrics || h.evaluatedOn === 'valid'));
});
