import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentsTable, splitLabel } from '../../../src/runs/experimentsTable.js';
import type { RunRecord } from '../../../src/runs/format.js';

let counter = 0;
/** A saved run as readRun returns it, with only what the table reads. */
function run(o: {
  name: string;
  model?: string;
  dataset?: string;
  split?: unknown;
  seed?: number;
  lr?: number;
  metrics?: Record<string, number>;
  done?: boolean;
  files?: string;
}): RunRecord {
  const id = `r${++counter}`;
  const done = o.done ?? true;
  return {
    id,
    dir: `/runs/${id}`,
    meta: {
      id,
      name: o.name,
      model: o.model ?? 'mf',
      dataset: o.dataset ?? 'demo',
      createdAt: '2025-01-01T00:00:00Z',
      config: {
        model: o.model ?? 'mf',
        name: o.name,
        seed: o.seed ?? 2020,
        split: o.split ?? { type: 'ratio', ratios: [0.8, 0.1, 0.1] },
        hyper: { dim: 64, lr: o.lr ?? 0.001, batchSize: 2048, loss: 'bpr' },
      },
      env: {
        reclab: '0',
        node: 'v20',
        platform: 'x',
        cpus: 1,
        host: 'h',
        backend: 'js',
        threads: 1,
      },
      ...(o.files && {
        data: {
          users: 1,
          items: 1,
          train: 1,
          test: 1,
          files: [{ path: 'x', size: 1, sha256: o.files }],
        },
      }),
    },
    state: {
      status: done ? 'done' : 'interrupted',
      updatedAt: '',
      pid: 0,
      host: '',
      epoch: 3,
      epochs: 10,
    },
    ...(done && {
      summary: {
        metrics: o.metrics ?? {},
        epochsRun: 10,
        selectedEpoch: 5,
        stoppedEarly: false,
        seconds: 2,
        trainSeconds: 1,
        evalSeconds: 1,
      },
    }),
    history: done ? [] : [{ epoch: 3, loss: 1, seconds: 1, metrics: o.metrics }],
    problems: [],
  } as RunRecord;
}

test('runs on two datasets are two groups, each with its own best', () => {
  const groups = experimentsTable([
    run({ name: 'demo-mf', metrics: { 'recall@20': 0.4433 } }),
    run({ name: 'ml-mf', dataset: 'ml-1m', metrics: { 'recall@20': 0.21 } }),
    run({ name: 'ml-lgcn', dataset: 'ml-1m', model: 'lightgcn', metrics: { 'recall@20': 0.25 } }),
  ]);
  assert.deepEqual(
    groups.map((g) => g.label),
    ['demo, split ratio 0.8/0.1/0.1', 'ml-1m, split ratio 0.8/0.1/0.1'],
  );
  const ml = groups[1];
  assert.deepEqual(
    ml.rows.map((r) => r.name),
    ['ml-mf', 'ml-lgcn'],
  );
  assert.deepEqual(ml.best['recall@20'], [1], "lightgcn is the best on ml-1m, not demo's 0.4433");
  assert.equal(ml.rows[0].params.dim, 64);
  assert.equal(ml.rows[0].params.selectedEpoch, 5);
  assert.equal(ml.rows[0].params.loss, 'bpr');
});

test('another split, or another file under the same name, is another group', () => {
  const groups = experimentsTable([
    run({ name: 'a', metrics: { 'recall@20': 0.1 } }),
    run({ name: 'b', split: { type: 'loo', order: 'random' }, metrics: { 'recall@20': 0.2 } }),
    run({ name: 'c', dataset: 'ratings', files: 'aaaa', metrics: { 'recall@20': 0.3 } }),
    run({ name: 'd', dataset: 'ratings', files: 'bbbb', metrics: { 'recall@20': 0.3 } }),
  ]);
  assert.equal(groups.length, 4);
  assert.equal(groups[1].split, 'loo random');
  assert.match(groups[2].label, /^ratings, split ratio 0\.8\/0\.1\/0\.1 \[[0-9a-f]{8}\]$/);
  assert.notEqual(groups[2].label, groups[3].label);
});

test('runs that differ only by seed fold into mean, sample std and n; --expand keeps them apart', () => {
  const runs = [
    run({ name: 'sw@lr=0.01,seed=1', seed: 1, lr: 0.01, metrics: { 'recall@20': 0.1 } }),
    run({ name: 'sw@lr=0.01,seed=2', seed: 2, lr: 0.01, metrics: { 'recall@20': 0.2 } }),
    run({ name: 'sw@lr=0.01,seed=3', seed: 3, lr: 0.01, metrics: { 'recall@20': 0.3 } }),
    run({ name: 'sw@lr=0.1,seed=1', seed: 1, lr: 0.1, metrics: { 'recall@20': 0.25 } }),
  ];
  const [g] = experimentsTable(runs);
  assert.equal(g.rows.length, 2);
  const folded = g.rows[0];
  assert.equal(folded.name, 'sw@lr=0.01');
  assert.deepEqual(folded.seeds, [1, 2, 3]);
  assert.equal(folded.metrics['recall@20'].n, 3);
  assert.ok(Math.abs(folded.metrics['recall@20'].mean - 0.2) < 1e-12);
  assert.ok(Math.abs(folded.metrics['recall@20'].std - 0.1) < 1e-12, 'sample std (n - 1)');
  assert.deepEqual(g.best['recall@20'], [1], 'the single run at 0.25 beats the mean 0.2');
  const [e] = experimentsTable(runs, { expand: true });
  assert.equal(e.rows.length, 4);
  assert.equal(e.rows[1].metrics['recall@20'].n, 1);
});

test('an unfinished run is never the best; lower is better for gini and avgpop', () => {
  const [g] = experimentsTable([
    run({ name: 'a', metrics: { 'recall@20': 0.1, 'gini@20': 0.9 } }),
    run({ name: 'b', lr: 0.1, metrics: { 'recall@20': 0.2, 'gini@20': 0.5 } }),
    run({ name: 'c', done: false, metrics: { 'recall@20': 0.9, 'gini@20': 0.1 } }),
  ]);
  assert.equal(g.rows[2].final, false);
  assert.deepEqual(g.best['recall@20'], [1]);
  assert.deepEqual(g.best['gini@20'], [1]);
});

test('split labels read as the flags do', () => {
  assert.equal(splitLabel({ type: 'given' }), 'given');
  assert.equal(
    splitLabel({ type: 'temporal', ratios: [0.8, 0.2], perUser: true }),
    'temporal per user 0.8/0.2',
  );
  assert.equal(splitLabel({ type: 'loo' }), 'loo');
});
