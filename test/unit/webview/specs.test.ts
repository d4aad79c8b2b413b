import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TopLevelSpec } from 'vega-lite';
import type { EmbeddingProjection, RunSeries } from '../../../extension/shared/messages.js';
import { splitRows, splitSpec } from '../../../webview/panels/datasetSpec.js';
import {
  detailMarks,
  findPoint,
  itemDetailMarks,
  pointsByNode,
  scatterSpec,
  toPoints,
  withCommunities,
} from '../../../webview/panels/embeddingsSpec.js';
import {
  curveSpec,
  evaluatedPart,
  lrRows,
  metricChoice,
  paperRules,
} from '../../../webview/panels/metricsSpec.js';

const series = (label: string, model: string, paper: RunSeries['paper']): RunSeries => ({
  id: label,
  label,
  model,
  dataset: 'gowalla',
  status: 'done',
  epochs: [{ epoch: 1, loss: 0.5, seconds: 1, metrics: { 'recall@20': 0.1, 'ndcg@20': 0.08 } }],
  ...(paper ? { paper } : {}),
});

const LIGHTGCN: RunSeries['paper'] = [
  { metric: 'recall@20', value: 0.1823, label: 'LightGCN paper 0.1823', source: 's' },
  { metric: 'ndcg@20', value: 0.1555, label: 'LightGCN paper 0.1555', source: 's' },
];

/** vega-lite's compiler (an ES module with top-level await down its imports: loaded lazily). */
async function compile(spec: TopLevelSpec): Promise<string> {
  const vl = await import('vega-lite');
  return JSON.stringify(vl.compile(spec).spec);
}

test('metric chart: a dashed rule per paper number of exactly the charted metric', async () => {
  const runs = [
    series('a', 'lightgcn', LIGHTGCN),
    series('b', 'lightgcn', LIGHTGCN),
    series('c', 'mf', [
      { metric: 'recall@20', value: 0.1291, label: 'MF-BPR paper 0.1291', source: 's' },
    ]),
  ];
  assert.deepEqual(paperRules(runs, 'recall@20'), [
    { value: 0.1823, label: 'LightGCN paper 0.1823' },
    { value: 0.1291, label: 'MF-BPR paper 0.1291' },
  ]);
  assert.deepEqual(paperRules(runs, 'ndcg@20'), [
    { value: 0.1555, label: 'LightGCN paper 0.1555' },
  ]);
  assert.deepEqual(paperRules(runs, 'recall@10'), []);
  assert.deepEqual(paperRules([series('d', 'mf', undefined)], 'recall@20'), []);

  const plain = curveSpec('t', 'recall@20');
  assert.ok(!('layer' in plain), 'no rules: the plain unit spec the compare panel reuses');
  const ruled = curveSpec('t', 'recall@20', false, paperRules(runs, 'recall@20'));
  assert.ok('layer' in ruled);
  const vg = await compile(ruled);
  assert.match(vg, /LightGCN paper 0\.1823/);
  assert.match(vg, /"strokeDash"/);
});

test('split chart: train / validation / test interactions and users with test items', async () => {
  const rows = splitRows({ train: 800, valid: 100, test: 100, testUsers: 45, users: 50 });
  assert.deepEqual(
    rows.map((r) => [r.part, r.count, r.unit, r.share]),
    [
      ['train', 800, 'interactions', '80.0% of interactions'],
      ['validation', 100, 'interactions', '10.0% of interactions'],
      ['test', 100, 'interactions', '10.0% of interactions'],
      ['users with test items', 45, 'users', '90.0% of users'],
    ],
  );
  assert.deepEqual(
    splitRows({ train: 8, test: 2, testUsers: 2, users: 2 }).map((r) => r.part),
    ['train', 'test', 'users with test items'],
  );
  const vg = await compile(splitSpec({ train: 800, test: 200, testUsers: 45, users: 50 }));
  assert.match(vg, /train: 800 \(80\.0% of interactions\)/);
});

test('embedding points: a sample keeps its node indices, lookups and marks use them', () => {
  // 3 users and 4 items in the run; the sample holds users 0 and 2 and items 1 and 3
  const p: EmbeddingProjection = {
    runId: 'r',
    label: 'r',
    method: 'umap',
    nUsers: 3,
    nItems: 4,
    nodes: Int32Array.from([0, 2, 4, 6]),
    x: Float32Array.from([0, 1, 2, 3]),
    y: Float32Array.from([0, 1, 2, 3]),
    degree: Int32Array.from([5, 6, 7, 8]),
    ids: ['u0', 'u2', 'i1', 'i3'],
    seconds: 1,
  };
  const points = toPoints(p);
  assert.deepEqual(
    points.map((q) => [q.i, q.type, q.id, q.degree]),
    [
      [0, 'user', 'u0', 5],
      [2, 'user', 'u2', 6],
      [4, 'item', 'i1', 7],
      [6, 'item', 'i3', 8],
    ],
  );
  assert.equal(findPoint(points, '#4')?.id, 'i1');
  assert.equal(findPoint(points, '#1'), undefined, 'not in the sample');
  assert.equal(findPoint(points, 'item:i3')?.i, 6);
  assert.equal(findPoint(points, 'user:i3'), undefined);
  const marks = detailMarks(
    {
      user: 'u2',
      userIndex: 2,
      trainItems: ['i0', 'i1'],
      recommendations: [
        { item: 'i3', index: 3, hit: true },
        { item: 'i2', index: 2, hit: false },
      ],
    },
    p,
    pointsByNode(points),
  );
  assert.deepEqual(
    marks.map((m) => [m.id, m.role]),
    [
      ['u2', 'selected user'],
      ['i3', 'recommended'],
      ['i1', 'trained on'],
    ],
  );
  // an item's similar items: item indices are nodes after the users; off-sample ones are left out
  const similar = itemDetailMarks(
    {
      item: 'i1',
      itemIndex: 1,
      similar: [
        { item: 'i3', index: 3, weight: 0.5 },
        { item: 'i0', index: 0, weight: 0.2 },
      ],
    },
    p,
    pointsByNode(points),
  );
  assert.deepEqual(
    similar.map((m) => [m.id, m.role]),
    [
      ['i1', 'selected item'],
      ['i3', 'similar item'],
    ],
  );
  const spec = JSON.stringify(scatterSpec(p, 'type'));
  assert.match(spec, /UMAP of 4 of 7 nodes \(a sample stratified by users\/items\)/);
  assert.match(spec, /"UMAP 1"/);
  const pca = JSON.stringify(
    scatterSpec({ ...p, method: 'pca', nodes: undefined, explained: [0.5, 0.25] }, 'degree'),
  );
  assert.match(pca, /PC1 \(50\.0%\)/);
});

test('learning-rate chart: only when a schedule changes the rate, then every run with one', () => {
  const run = (label: string, lrs: (number | undefined)[]): RunSeries => ({
    ...series(label, 'lightgcn', undefined),
    epochs: lrs.map((lr, i) => ({
      epoch: i + 1,
      loss: 0.1,
      seconds: 1,
      ...(lr !== undefined && { lr }),
    })),
  });
  const constant = run('const', [1e-3, 1e-3, 1e-3]);
  const old = run('old', [undefined, undefined]);
  assert.deepEqual(lrRows([constant, old]), [], 'constant rates and runs without one: no chart');
  const resumed = run('resumed', [undefined, 1e-3, 1e-3]);
  assert.deepEqual(lrRows([resumed]), [], 'a rate first recorded mid-run is not a schedule');
  const cosine = run('cos', [1e-3, 5e-4, 0]);
  assert.deepEqual(lrRows([cosine, constant, old]), [
    { run: 'cos', epoch: 1, value: 1e-3 },
    { run: 'cos', epoch: 2, value: 5e-4 },
    { run: 'cos', epoch: 3, value: 0 },
    { run: 'const', epoch: 1, value: 1e-3 },
    { run: 'const', epoch: 2, value: 1e-3 },
    { run: 'const', epoch: 3, value: 1e-3 },
  ]);
});

test('metric charts say which part their evaluations were computed on', () => {
  const on = (...parts: Array<'valid' | 'test' | undefined>): RunSeries => ({
    ...series('r', 'mf', undefined),
    epochs: parts.map((p, k) => ({
      epoch: k + 1,
      loss: 0.5,
      seconds: 1,
      metrics: { 'recall@20': 0.1 },
      ...(p ? { evaluatedOn: p } : {}),
    })),
  });
  assert.equal(evaluatedPart([on('valid', 'valid')]), ' on validation');
  assert.equal(evaluatedPart([on('test')]), ' on test');
  assert.equal(evaluatedPart([on('valid'), on('test')]), ' on validation and test');
  assert.equal(evaluatedPart([on(undefined)]), '');
});

test('community colours: the largest communities on the plot by name, the rest grouped', () => {
  const p: EmbeddingProjection = {
    runId: 'r',
    label: 'r',
    method: 'pca',
    nUsers: 3,
    nItems: 3,
    x: new Float32Array(6),
    y: new Float32Array(6),
    degree: new Int32Array(6),
    ids: ['u0', 'u1', 'u2', 'i0', 'i1', 'i2'],
    seconds: 0,
  };
  // community 7 has three nodes, 2 has two, 5 one; node 5 was left out of the sample
  const community = Int32Array.from([2, 7, 7, 2, 7, 5].slice(0, 5).concat([-1]));
  const named = withCommunities(toPoints(p), community, 2);
  assert.deepEqual(
    named.map((q) => q.community),
    ['C2 (2)', 'C1 (3)', 'C1 (3)', 'C2 (2)', 'C1 (3)', 'not in the sample'],
  );
  const three = withCommunities(toPoints(p), Int32Array.from([2, 7, 7, 2, 7, 5]), 2);
  assert.equal(three[5].community, 'other', 'past the top two');
  const spec = JSON.stringify(scatterSpec(p, 'community', three));
  assert.match(spec, /"field":"community","type":"nominal"/);
  assert.match(spec, /"domain":\["C1 \(3\)","C2 \(2\)","other"\]/);
  // ten colours, none of them the grey of "other" (twelve communities of one node each)
  const p12 = { ...p, nUsers: 6, nItems: 6, x: new Float32Array(12), y: new Float32Array(12) };
  const ids = Array.from({ length: 12 }, (_, k) => `n${k}`);
  const twelve = { ...p12, degree: new Int32Array(12), ids };
  const ten = withCommunities(toPoints(twelve), Int32Array.from(ids.keys()));
  const scale = (
    scatterSpec(twelve, 'community', ten) as {
      layer: Array<{ encoding: { color: { scale: { range: string[] } } } }>;
    }
  ).layer[0].encoding.color.scale.range;
  assert.equal(scale.length, 11, 'C1 .. C10 and other');
  assert.equal(new Set(scale.slice(0, 10)).size, 10);
  assert.equal(scale[10], '#888888');
  assert.ok(!scale.slice(0, 10).includes('#bab0ac'));
  assert.doesNotMatch(JSON.stringify(scatterSpec(p, 'type', three)), /Louvain/);
  // a community below 1% of the points gets no colour of its own: 120 nodes, one of 119 and
  // a singleton (a node without training edges is a Louvain community by itself)
  const many = Int32Array.from({ length: 120 }, (_, k) => (k === 119 ? 9 : 4));
  const big = { ...p, nUsers: 60, nItems: 60, x: new Float32Array(120), y: new Float32Array(120) };
  const ids120 = Array.from({ length: 120 }, (_, k) => `n${k}`);
  const folded = withCommunities(
    toPoints({ ...big, degree: new Int32Array(120), ids: ids120 }),
    many,
  );
  assert.deepEqual([folded[0].community, folded[119].community], ['C1 (119)', 'other']);
});

test('metric dropdown: before any evaluation it says why it is empty and when metrics come', () => {
  const noEval: RunSeries = {
    ...series('long', 'mf', undefined),
    epochs: [{ epoch: 1, loss: 0.5, seconds: 1 }],
  };
  const waiting = metricChoice([noEval], 'recall@20');
  assert.deepEqual(waiting.names, []);
  assert.match(waiting.waiting ?? '', /recall@20 .*after the first evaluated epoch.*evalEvery/);
  assert.match(
    metricChoice([{ ...noEval, epochs: [] }], 'recall@20').waiting ?? '',
    /once the run has trained/,
  );
  assert.deepEqual(metricChoice([series('a', 'mf', undefined)], 'recall@20'), {
    names: ['ndcg@20', 'recall@20'],
  });
});
