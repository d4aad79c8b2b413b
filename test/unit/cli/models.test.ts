import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODELS } from '../../../src/models/registry.js';
import { EXPERIMENT_DEFAULTS } from '../../../src/runs/experiment.js';
import { reclab } from './runCli.js';

/** Help text with commander's line wrapping undone. */
const flat = (lines: string[]) => lines.join('\n').replace(/\s+/g, ' ');

test('models lists every model with its title and paper', async () => {
  const r = await reclab(['models', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  const listed = r.json?.models as { name: string; paper?: string; hyperparameters: string[] }[];
  assert.deepEqual(
    listed.map((m) => m.name),
    [...MODELS.keys()],
  );
  for (const m of MODELS.values()) {
    const row = r.out.find((l) => l.startsWith(`${m.name} `));
    assert.ok(row?.includes(m.title) && row.includes(m.paper ?? '-'), m.name);
  }
  assert.deepEqual(listed.find((m) => m.name === 'ngcf')?.hyperparameters.length, 15);
});

test("models <name> lists the model's hyperparameters with defaults, ranges, descriptions and sources", async () => {
  const r = await reclab(['models', 'lightgcn', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  const hyper = r.json?.hyper as Record<string, unknown>[];
  assert.deepEqual(
    hyper.map((h) => h.name).sort(),
    Object.keys(MODELS.get('lightgcn')?.defaults ?? {}).sort(),
  );
  const layers = hyper.find((h) => h.name === 'layers');
  assert.deepEqual(
    [layers?.type, layers?.default, layers?.min, layers?.accepts],
    ['integer', 3, 0, 'an integer >= 0'],
  );
  assert.match(String(layers?.source), /--layer 3/);
  assert.ok(
    r.out.some((l) => /^dim\s+64\s+an integer >= 1\s+embedding size; LightGCN code/.test(l)),
    r.out.join('\n'),
  );
  assert.ok(r.out.some((l) => /^layerWeights\s+""\s+a string/.test(l)));
  assert.ok(r.out.some((l) => l.startsWith('paper: He et al., LightGCN')));

  const p = await reclab(['models', 'popularity']);
  assert.ok(p.out.includes('popularity has no hyperparameters.'));
  const bad = await reclab(['models', 'nosuch']);
  assert.equal(bad.code, 1);
  assert.match(bad.err.join('\n'), /expected a model name, one of: popularity, itemknn, /);
});

test("train --help shows every default; with --model it lists that model's hyperparameters", async () => {
  const r = await reclab(['train', '--help']);
  assert.equal(r.code, 0, r.err.join('\n'));
  const help = flat(r.out);
  const D = EXPERIMENT_DEFAULTS;
  for (const [flag, shown] of [
    ['--epochs <n>', D.epochs],
    ['--seed <n>', D.seed],
    ['--threads <n>', D.threads],
    ['--eval-every <n>', D.evalEvery],
    ['--patience <n>', D.patience],
    ['--metric <name>', D.metric],
    ['--ks <list>', D.ks.join(',')],
  ] as const)
    assert.match(help, new RegExp(`${flag} ((?! --).)*\\(default: ${shown}\\)`), flag);
  for (const flag of ['--dim', '--lr', '--reg', '--batch-size', '--layers', '--hyper'])
    assert.match(
      help,
      new RegExp(
        `${flag} <[^>]+> ((?! --).)*\\(default: model default, see \`reclab models <name>\`\\)`,
      ),
      flag,
    );

  const m = await reclab(['train', '--model', 'ngcf', '--help']);
  assert.equal(m.code, 0, m.err.join('\n'));
  assert.ok(m.out.includes('ngcf: NGCF'));
  assert.ok(m.out.some((l) => /^messageDropout\s+0\.1\s+a number in \[0, 1\)/.test(l)));
});

test('hyperparameters out of range stop train before a run folder is made, naming where they came from', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-cli-hyper-'));
  const file = join(ws, 'bad.reclab.json');
  writeFileSync(file, JSON.stringify({ dataset: 'demo', model: 'ngcf', hyper: { batchSize: 0 } }));
  const base = ['train', '--dataset', 'demo', '-w', ws];
  const cases: [string[], RegExp][] = [
    [[...base, '--model', 'mf', '--dim', '0'], /^reclab: (command line|--dim)\b.*dim\b.*>= 1/],
    [
      [...base, '--model', 'lightgcn', '--dim', '-4'],
      /^reclab: (command line|--dim)\b.*dim\b.*>= 1/,
    ],
    [[...base, '--model', 'mf', '--lr', '-1'], /^reclab: (command line|--lr)\b.*lr\b.*> 0/],
    [[...base, '--model', 'mf', '--hyper', 'loss=foo'], /^reclab: .*loss\b.*bpr, bce, margin/],
    [
      [...base, '--model', 'lightgcn', '--hyper', 'sampler=foo'],
      /^reclab: .*sampler\b.*uniform, popularity/,
    ],
    [['train', file, '-w', ws], new RegExp(`^reclab: ${file}\\b.*batchSize\\b.*>= 1`)],
    [[...base, '--model', 'mf', '--layers', '2'], /^reclab: .*hyperparameter of mf, one of: dim/],
  ];
  for (const [args, re] of cases) {
    const r = await reclab(args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0], re, args.join(' '));
    assert.equal(existsSync(join(ws, '.reclab')), false, `${args.join(' ')} wrote a run`);
  }
});

test('a hyperparameter declared as text stays text from --hyper: LightGCN++ from the command line', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-cli-hyper-text-'));
  const r = await reclab([
    'train',
    '--dataset',
    'demo',
    '--model',
    'lightgcn',
    '--epochs',
    '1',
    '--hyper',
    'gamma=0.2',
    'normAlpha=0.6',
    'normBeta=-0.1',
    '-w',
    ws,
    '--json',
  ]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const run = JSON.parse(readFileSync(join(String(r.json?.dir), 'run.json'), 'utf8')) as {
    config: { hyper: Record<string, unknown> };
  };
  assert.equal(run.config.hyper.gamma, '0.2');
  assert.equal(run.config.hyper.normAlpha, 0.6);
  // an experiment file may write it as a number
  const file = join(ws, 'lightgcnpp.reclab.json');
  writeFileSync(
    file,
    JSON.stringify({ dataset: 'demo', model: 'lightgcn', epochs: 1, hyper: { gamma: 0.2 } }),
  );
  const fromFile = await reclab(['train', file, '-w', ws, '--json']);
  assert.equal(fromFile.code, 0, fromFile.err.join('\n'));
  // a bad gamma is still refused by the model, naming it
  const bad = await reclab([
    'train',
    '--dataset',
    'demo',
    '--model',
    'lightgcn',
    '--hyper',
    'gamma=2',
    '-w',
    ws,
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.err[0], /gamma/);
});
