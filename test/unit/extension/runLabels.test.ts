import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDuration,
  groupByDataset,
  headlineValue,
  runDescription,
  runTooltip,
  shortMetric,
  statusIcon,
  toSeries,
} from '../../../extension/views/runLabels.js';
import { GOWALLA_PINS } from '../../../src/eval/paperNumbers.js';
import { fakeRun } from './fixtures.js';

test('groups runs by dataset, alphabetical, keeping run order', () => {
  const runs = [
    fakeRun('c', { dataset: 'gowalla' }),
    fakeRun('b', { dataset: 'demo' }),
    fakeRun('a', { dataset: 'gowalla' }),
  ];
  const g = groupByDataset(runs);
  assert.deepEqual(
    g.map((x) => [x.dataset, x.runs.map((r) => r.id)]),
    [
      ['demo', ['b']],
      ['gowalla', ['c', 'a']],
    ],
  );
});

test('description: model, headline metric and duration; running runs show progress', () => {
  assert.equal(
    runDescription(fakeRun('a', { metrics: { 'recall@20': 0.12345 }, seconds: 75 })),
    'mf · R@20 0.1235 · 1m 15s',
  );
  const running = fakeRun('b', {
    status: 'running',
    history: [{ epoch: 1, loss: 0.6, seconds: 2, metrics: { 'recall@20': 0.05 } }],
  });
  assert.equal(runDescription(running), 'mf · epoch 3/5 · R@20 0.0500 · 2.0s');
  assert.equal(headlineValue(fakeRun('c')), undefined);
});

test('a tagged run shows its tags on its tree row and in its tooltip', () => {
  const r = fakeRun('t', {
    metrics: { 'recall@20': 0.1 },
    seconds: 2,
    tags: ['baseline', 'paper'],
  });
  assert.equal(runDescription(r), 'mf · R@20 0.1000 · 2.0s · #baseline #paper');
  assert.match(runTooltip(r), /\ntags: baseline, paper\n/);
});

test('labels and icons', () => {
  assert.equal(shortMetric('ndcg@10'), 'NDCG@10');
  assert.equal(shortMetric('coverage'), 'coverage');
  assert.equal(formatDuration(3.21), '3.2s');
  assert.equal(formatDuration(7300), '2h 1m');
  assert.equal(statusIcon('failed').id, 'error');
  assert.equal(statusIcon('running').id, 'sync~spin');
  assert.equal(statusIcon('interrupted').id, 'warning');
});

test('series keep every epoch', () => {
  const s = toSeries(fakeRun('a', { history: [{ epoch: 1, loss: 1, seconds: 1 }] }));
  assert.equal(s.epochs.length, 1);
  assert.equal(s.status, 'done');
  assert.equal(s.paper, undefined, 'no published numbers for a demo run');
});

test("series carry the paper's numbers only for runs on the papers' Gowalla files", () => {
  const pinned = GOWALLA_PINS.map((sha256, i) => ({
    name: ['train.txt', 'test.txt'][i],
    bytes: 1,
    sha256,
  }));
  const other = pinned.map((f) => ({ ...f, sha256: f.sha256.replace(/^./, 'x') }));
  // the case, MovieLens-1M in the LightGCN layout, and a folder merely named gowalla
  for (const dataset of ['ml-1m', 'gowalla']) {
    const config = { dataset: `lightgcn:data/${dataset}` };
    const run = fakeRun(dataset, { model: 'lightgcn', dataset, config, files: other });
    assert.equal(toSeries(run).paper, undefined, dataset);
  }
  const real = fakeRun('c', { model: 'lightgcn', dataset: 'gw', files: pinned });
  assert.deepEqual(
    toSeries(real).paper?.map((p) => [p.metric, p.value, p.label]),
    [
      ['recall@20', 0.1823, 'LightGCN paper 0.1823'],
      ['ndcg@20', 0.1555, 'LightGCN paper 0.1555'],
    ],
  );
  // the same files split at random: not the papers' test set
  const ratio = fakeRun('d', {
    model: 'mf',
    files: pinned,
    config: { split: { type: 'ratio', ratios: [0.8, 0.1, 0.1] } },
  });
  assert.equal(toSeries(ratio).paper, undefined);
  // a run saved before fingerprints, whose files the store hashed again
  const legacy = fakeRun('e', { model: 'mf', dataset: 'gowalla' });
  assert.equal(toSeries(legacy).paper, undefined);
  assert.deepEqual(
    toSeries(legacy, pinned).paper?.map((p) => p.label),
    ['MF-BPR paper 0.1291'],
  );
  assert.equal(toSeries(fakeRun('f', { model: 'popularity', files: pinned })).paper, undefined);
});
