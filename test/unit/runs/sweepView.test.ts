import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord, SweepTag } from '../../../src/runs/format.js';
import {
  axisPosition,
  parallelData,
  scatterData,
  sweepsOf,
  sweepTable,
} from '../../../src/runs/sweepView.js';
import { fakeRun } from '../extension/fixtures.js';

/** A finished run of sweep `id` at `values`, with a recall@20. */
function point(
  id: string,
  values: SweepTag['values'],
  recall: number | undefined,
  sweep = 's-1',
): RunRecord {
  const label = Object.entries(values)
    .map(([k, v]) => `${k.replace('hyper.', '')}=${v}`)
    .join(',');
  const r = fakeRun(id, {
    name: `sw@${label}`,
    ...(recall === undefined ? { status: 'cancelled' } : { metrics: { 'recall@20': recall } }),
  });
  return { ...r, meta: r.meta && { ...r.meta, sweep: { id: sweep, point: `p-${label}`, values } } };
}

// lr on a log grid x dim (one value: not an axis) x model x 2 seeds
const runs = [
  point('a', { 'hyper.lr': 0.001, 'hyper.dim': 64, model: 'mf', seed: 1 }, 0.1),
  point('b', { 'hyper.lr': 0.001, 'hyper.dim': 64, model: 'mf', seed: 2 }, 0.2),
  point('c', { 'hyper.lr': 0.01, 'hyper.dim': 64, model: 'mf', seed: 1 }, 0.3),
  point('d', { 'hyper.lr': 0.1, 'hyper.dim': 64, model: 'lightgcn', seed: 1 }, 0.4),
  point('e', { 'hyper.lr': 0.1, 'hyper.dim': 64, model: 'lightgcn', seed: 2 }, undefined),
  point('x', { 'hyper.lr': 5 }, 0.9, 'other'),
  fakeRun('plain', { metrics: { 'recall@20': 0.5 } }),
];

test('the sweeps among the runs, each with its run count', () => {
  assert.deepEqual(sweepsOf(runs), [
    { id: 's-1', runs: 5 },
    { id: 'other', runs: 1 },
  ]);
});

test('a sweep table: the keys that vary (seed and one-valued keys aside), log or linear', () => {
  const t = sweepTable(runs, 's-1');
  assert.deepEqual(
    t.axes.map((a) => [a.key, a.label, a.numeric, a.log, a.values]),
    [
      ['hyper.lr', 'lr', true, true, [0.001, 0.01, 0.1]],
      ['model', 'model', false, false, ['mf', 'lightgcn']],
    ],
  );
  assert.equal(t.seeds, true);
  assert.deepEqual(t.metrics, ['recall@20']);
  assert.deepEqual(
    t.runs.map((r) => [r.runId, r.seed, r.values]),
    [
      ['a', 1, { 'hyper.lr': 0.001, model: 'mf' }],
      ['b', 2, { 'hyper.lr': 0.001, model: 'mf' }],
      ['c', 1, { 'hyper.lr': 0.01, model: 'mf' }],
      ['d', 1, { 'hyper.lr': 0.1, model: 'lightgcn' }],
      ['e', 2, { 'hyper.lr': 0.1, model: 'lightgcn' }],
    ],
  );
  // seeds of one configuration share its key; other configurations do not
  assert.equal(t.runs[0].config, t.runs[1].config);
  assert.notEqual(t.runs[0].config, t.runs[2].config);
  // a grid within a factor of 10 stays linear
  const lin = sweepTable(
    [point('p', { 'hyper.lr': 0.002 }, 0.1), point('q', { 'hyper.lr': 0.005 }, 0.2)],
    's-1',
  );
  assert.equal(lin.axes[0].log, false);
});

test('axis positions: log spacing for a log axis, rank for text, the middle of a flat axis', () => {
  const [lr, model] = sweepTable(runs, 's-1').axes;
  assert.ok(Math.abs(axisPosition(lr, 0.01) - 0.5) < 1e-12);
  assert.equal(axisPosition(model, 'lightgcn'), 1);
  assert.equal(
    axisPosition({ key: 'k', label: 'k', numeric: true, log: false, values: [3] }, 3),
    0.5,
  );
});

test('parallel coordinates: a line per finished run through each axis and the metric', () => {
  const { points, ticks, axes } = parallelData(sweepTable(runs, 's-1'), 'recall@20');
  assert.deepEqual(axes, ['lr', 'model', 'recall@20']);
  // the cancelled run e has no test metric: no line
  assert.deepEqual([...new Set(points.map((p) => p.run))], ['a', 'b', 'c', 'd']);
  const d = points.filter((p) => p.run === 'd');
  assert.deepEqual(
    d.map((p) => [p.axis, p.y, p.value, p.metric]),
    [
      ['lr', 1, '0.1', 0.4],
      ['model', 1, 'lightgcn', 0.4],
      ['recall@20', 1, '0.4000', 0.4],
    ],
  );
  assert.deepEqual(
    ticks.filter((t) => t.axis === 'recall@20').map((t) => [t.y, t.label]),
    [
      [0, '0.1000'],
      [1, '0.4000'],
    ],
  );
});

test('scatter: every seed as a point and each configuration\u2019s mean over its seeds', () => {
  const pts = scatterData(sweepTable(runs, 's-1'), 'hyper.lr', 'recall@20');
  assert.deepEqual(
    pts.filter((p) => p.kind === 'mean').map((p) => [p.x, p.metric, p.n, p.name, p.group]),
    [
      [0.001, (0.1 + 0.2) / 2, 2, 'sw@lr=0.001,dim=64,model=mf', 'model=mf'],
      [0.01, 0.3, 1, 'sw@lr=0.01,dim=64,model=mf', 'model=mf'],
      [0.1, 0.4, 1, 'sw@lr=0.1,dim=64,model=lightgcn', 'model=lightgcn'],
    ],
  );
  assert.equal(pts.filter((p) => p.kind === 'run').length, 4);
});
