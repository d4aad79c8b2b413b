import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExperiment, readExperimentFile } from '../../../src/runs/experiment.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { expandSweep } from '../../../src/runs/sweep.js';
import { InputError } from '../../../src/util/errors.js';
import { tmpFolder } from './helpers.js';

const FILE = 'lr.reclab.json';
const base = { dataset: 'demo', model: 'mf', epochs: 2 };
const sweepOf = (sweep: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  expandSweep(parseExperiment({ ...base, ...extra, sweep }, FILE), FILE);

test('a grid is every combination, in the order the keys are written', () => {
  const s = sweepOf({ 'hyper.lr': [0.001, 0.005], model: ['mf', 'lightgcn'], seed: [1, 2, 3] });
  assert.equal(s.search, 'grid');
  assert.equal(s.points.length, 12);
  assert.match(s.id, /^lr-[0-9a-f]{8}$/);
  const [first, second] = s.points;
  assert.deepEqual(first.values, { 'hyper.lr': 0.001, model: 'mf', seed: 1 });
  assert.deepEqual(second.values, { 'hyper.lr': 0.001, model: 'mf', seed: 2 });
  assert.equal(first.config.name, 'sweep-demo@lr=0.001,model=mf,seed=1');
  assert.deepEqual(first.config.hyper, { lr: 0.001 });
  assert.equal(first.config.seed, 1);
  assert.equal(s.points[11].config.model, 'lightgcn');
  assert.equal('sweep' in first.config, false, 'a point is a plain experiment');
  assert.equal(new Set(s.points.map((p) => p.key)).size, 12);
});

test('a point keeps its key when the sweep grows: a re-run skips what it finished', () => {
  const before = sweepOf({ 'hyper.lr': [0.001], seed: [1, 2] });
  const after = sweepOf({ 'hyper.lr': [0.001], seed: [1, 2, 3] });
  assert.deepEqual(
    after.points.slice(0, 2).map((p) => p.key),
    before.points.map((p) => p.key),
  );
  assert.notEqual(after.id, before.id);
  // the name is not part of the identity; every setting is
  assert.equal(
    sweepOf({ seed: [1] }, { name: 'x' }).points[0].key,
    sweepOf({ seed: [1] }).points[0].key,
  );
  assert.notEqual(
    sweepOf({ seed: [1] }, { epochs: 3 }).points[0].key,
    sweepOf({ seed: [1] }).points[0].key,
  );
});

test('random search: budget seeded draws within the ranges, each run once per listed seed', () => {
  const spec = {
    search: 'random',
    budget: 5,
    seed: 7,
    'hyper.lr': { min: 1e-4, max: 1e-2, log: true },
    'hyper.dim': { min: 8, max: 64, integer: true },
    'hyper.loss': ['bpr', 'bce'],
  };
  const s = sweepOf(spec);
  assert.equal(s.points.length, 5);
  for (const p of s.points) {
    const h = p.config.hyper as Record<string, number | string>;
    assert.ok((h.lr as number) >= 1e-4 && (h.lr as number) <= 1e-2, `lr ${h.lr}`);
    assert.ok(Number.isInteger(h.dim) && (h.dim as number) >= 8 && (h.dim as number) <= 64);
    assert.ok(['bpr', 'bce'].includes(h.loss as string));
    assert.equal(String(h.lr), String(Number((h.lr as number).toPrecision(3))), 'readable values');
  }
  assert.deepEqual(
    sweepOf(spec).points.map((p) => p.values),
    s.points.map((p) => p.values),
    'seeded',
  );
  const other = sweepOf({ ...spec, seed: 8 });
  assert.notDeepEqual(
    other.points.map((p) => p.values),
    s.points.map((p) => p.values),
  );
  // a log range spreads over the decades: not all draws in the top one
  const many = sweepOf({ ...spec, budget: 40 }).points.map(
    (p) => (p.config.hyper as { lr: number }).lr,
  );
  assert.ok(many.some((x) => x < 1e-3) && many.some((x) => x > 1e-3));
  const seeds = sweepOf({ ...spec, seed: [1, 2] });
  assert.equal(seeds.points.length, 10);
  assert.deepEqual(
    seeds.points.slice(0, 2).map((p) => p.config.seed),
    [1, 2],
  );
  assert.deepEqual(seeds.points[0].config.hyper, seeds.points[1].config.hyper);
});

function refused(sweep: Record<string, unknown>, pattern: RegExp, extra = {}) {
  assert.throws(
    () => sweepOf(sweep, extra),
    (e: unknown) => e instanceof InputError && e.file === FILE && pattern.test(e.message),
  );
}

test('bad sweeps are refused up front, naming the file, the key or the point', () => {
  refused({ 'hyper.lr': { min: 1e-4, max: 1e-2 } }, /a list of values in a grid sweep/);
  refused({ search: 'random', 'hyper.lr': [0.1] }, /expected a budget/);
  refused({ 'hyper.lr': [0.1], budget: 3 }, /no budget in a grid sweep/);
  refused({ 'hyper.lr': [0.1], seed: 3 }, /a list of seeds in a grid sweep/);
  refused(
    { search: 'random', budget: 2, 'hyper.lr': { min: 0, max: 1, log: true } },
    /log range with min > 0/,
  );
  refused({ search: 'random', budget: 2, 'hyper.lr': { min: 2, max: 1 } }, /min <= max/);
  // each point is checked as `reclab train` would check it
  refused({ 'hyper.dim': [16, 0.5] }, /hyper\/dim must be integer.*in sweep point dim=0\.5/);
  refused({ 'hyper.layers': [2] }, /a hyperparameter of mf, .*in sweep point layers=2/);
  refused(
    { model: ['mf', 'nosuch'] },
    /sweep\/model\/1 must be equal to one of the allowed values/,
  );
  refused({ 'hyper-lr': [0.1] }, /\/sweep must NOT have additional properties "hyper-lr"/);
  refused({ 'hyper.lr': [] }, /\/sweep\/hyper\.lr/);
  refused(
    { search: 'random', budget: 20_000, seed: [1], 'hyper.lr': [0.1] },
    /at most 10000 points/,
  );
});

test('an experiment file with a sweep: its errors name the file; train refuses it', async () => {
  const dir = tmpFolder();
  const file = join(dir, 'bad.reclab.json');
  writeFileSync(file, JSON.stringify({ ...base, sweep: { 'hyper.lr': { min: 1, max: 2 } } }));
  assert.throws(
    () => expandSweep(readExperimentFile(file), file),
    new RegExp(
      `^InputError: ${file.replace(/[.]/g, '\\.')}: expected a list of values in a grid sweep`,
    ),
  );
  await assert.rejects(
    runExperiment(readExperimentFile(file), { source: file, workspace: dir }),
    /expected an experiment without "sweep": a sweep runs with `reclab sweep <file>`/,
  );
});
