import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, RUNS_DIR, type RunState } from '../../../src/runs/format.js';
import { listRuns } from '../../../src/runs/store.js';
import { SMALL_DEMO, tmpFolder } from '../runs/helpers.js';
import { reclab } from './runCli.js';

const ws = tmpFolder();
const file = join(ws, 'models.reclab.json');
const experiment = (seeds: number[]) => ({
  dataset: SMALL_DEMO,
  model: 'mf',
  epochs: 2,
  evalEvery: 1,
  threads: 1,
  hyper: { dim: 8, lr: 0.01 },
  sweep: { model: ['mf', 'lightgcn'], seed: seeds },
});
type Point = { name: string; status: string; run: string };

async function sweep(seeds: number[]): Promise<Point[]> {
  writeFileSync(file, JSON.stringify(experiment(seeds)));
  const r = await reclab(['sweep', file, '--json', '-w', ws]);
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.json?.points as Point[];
}

test('reclab sweep runs 2 models x 3 seeds as tagged runs, and a re-run skips or resumes them', async () => {
  const first = await sweep([1, 2, 3]);
  assert.equal(first.length, 6);
  assert.ok(first.every((p) => p.status === 'trained'));
  assert.deepEqual(
    first.slice(0, 2).map((p) => p.name),
    ['sweep-demo@model=mf,seed=1', 'sweep-demo@model=mf,seed=2'],
  );
  const runs = listRuns(join(ws, RUNS_DIR));
  assert.equal(runs.length, 6);
  const tags = runs.map((r) => r.meta?.sweep);
  assert.ok(
    tags.every((t) => t && /^models-[0-9a-f]{8}$/.test(t.id)),
    'tagged with the sweep id',
  );
  assert.equal(new Set(tags.map((t) => t?.point)).size, 6);
  assert.ok(runs.every((r) => r.summary && existsSync(join(r.dir, FILES.perUser))));

  // the table folds the seeds: one row per model, with mean±std over n = 3
  const c = await reclab(['compare', '-w', ws]);
  const rows = c.out.filter((l) => l.startsWith('sweep-demo@model='));
  assert.equal(rows.length, 2, c.out.join('\n'));
  assert.ok(rows.every((l) => /1,2,3\s+3\s/.test(l) && /±/.test(l)));

  // nothing left to do
  const again = await sweep([1, 2, 3]);
  assert.ok(again.every((p) => p.status === 'finished before'));
  assert.deepEqual(
    again.map((p) => p.run),
    first.map((p) => p.run),
  );
  assert.equal(listRuns(join(ws, RUNS_DIR)).length, 6);

  // a point stopped mid-run (Ctrl-C) is resumed from its checkpoint; an added seed trains anew
  const stopped = runs.find((r) => r.id === first[0].run);
  assert.ok(stopped);
  rmSync(join(stopped.dir, FILES.summary));
  const status = JSON.parse(readFileSync(join(stopped.dir, FILES.status), 'utf8')) as RunState;
  writeFileSync(
    join(stopped.dir, FILES.status),
    JSON.stringify({ ...status, status: 'cancelled', epoch: 1 }),
  );
  const grown = await sweep([1, 2, 3, 4]);
  assert.equal(grown.length, 8);
  assert.deepEqual(
    grown.filter((p) => p.status !== 'finished before').map((p) => [p.name, p.status]),
    [
      ['sweep-demo@model=mf,seed=1', 'resumed'],
      ['sweep-demo@model=mf,seed=4', 'trained'],
      ['sweep-demo@model=lightgcn,seed=4', 'trained'],
    ],
  );
  assert.equal(grown[0].run, first[0].run, 'the stopped run itself continued');
  assert.equal(listRuns(join(ws, RUNS_DIR)).length, 8);
});

test('a bad sweep is refused before any run, naming the file', async () => {
  const dir = tmpFolder();
  const bad = join(dir, 'bad.reclab.json');
  writeFileSync(bad, JSON.stringify({ ...experiment([1]), sweep: { 'hyper.dim': [8, 0] } }));
  const r = await reclab(['sweep', bad, '-w', dir]);
  assert.equal(r.code, 1);
  assert.match(
    r.err.join('\n'),
    new RegExp(`${bad}: expected .*/hyper/dim must be >= 1.*in sweep point dim=0`),
  );
  assert.ok(!existsSync(join(dir, RUNS_DIR)), 'no run started');

  const good = join(dir, 'models.reclab.json');
  writeFileSync(good, JSON.stringify(experiment([1, 2, 3, 4])));
  const train = await reclab(['train', good, '-w', dir]);
  assert.match(train.err.join('\n'), /expected an experiment without "sweep"/);
  const dry = await reclab(['sweep', good, '--dry-run', '-w', dir]);
  assert.equal(dry.code, 0);
  assert.match(dry.out[0], /^sweep models-[0-9a-f]{8}: 8 points \(grid\)$/);
});
