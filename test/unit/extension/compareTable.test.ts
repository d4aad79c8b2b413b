import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bestPerColumn,
  comparisonTable,
  csvField,
  sortColumns,
  toCsv,
} from '../../../extension/compare/table.js';
import { runDescription, runTooltip } from '../../../extension/views/runLabels.js';
import { fakeRun } from './fixtures.js';

test('columns are grouped by metric then k; timings last', () => {
  assert.deepEqual(sortColumns(['ndcg@20', 'seconds', 'recall@20', 'recall@10', 'ndcg@10']), [
    'recall@10',
    'recall@20',
    'ndcg@10',
    'ndcg@20',
    'seconds',
  ]);
});

test('best per column: highest metric, lowest time, nulls ignored, first wins ties', () => {
  const t = comparisonTable([
    fakeRun('a', { metrics: { 'recall@20': 0.1, 'ndcg@20': 0.2 }, seconds: 5 }),
    fakeRun('b', { metrics: { 'recall@20': 0.3, 'ndcg@20': 0.2 }, seconds: 50 }),
    fakeRun('c', { metrics: { 'recall@20': 0.2 }, seconds: 9 }),
    fakeRun('d', {}), // no summary: not compared
  ]);
  assert.deepEqual(
    t.rows.map((r) => r.id),
    ['a', 'b', 'c'],
  );
  assert.deepEqual(t.best, { 'recall@20': 'b', 'ndcg@20': 'a', seconds: 'a' });
  assert.equal(t.rows[2].values['ndcg@20'], null);
  assert.deepEqual(bestPerColumn([], ['x']), {});
  // popularity bias and concentration: lower is better
  const rows = [
    {
      id: 'a',
      label: 'a',
      model: 'm',
      dataset: 'd',
      values: { 'avgpop@20': 50, 'gini@20': 0.9, 'coverage@20': 0.1 },
    },
    {
      id: 'b',
      label: 'b',
      model: 'm',
      dataset: 'd',
      values: { 'avgpop@20': 20, 'gini@20': 0.3, 'coverage@20': 0.8 },
    },
  ];
  assert.deepEqual(bestPerColumn(rows, ['avgpop@20', 'gini@20', 'coverage@20']), {
    'avgpop@20': 'b',
    'gini@20': 'b',
    'coverage@20': 'b',
  });
});

test('CSV quotes fields that need it', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField(null), '');
  const csv = toCsv(
    comparisonTable([
      fakeRun('a', { name: 'mf, big', metrics: { 'recall@20': 0.25 }, seconds: 2 }),
    ]),
  );
  assert.equal(csv, 'id,name,model,dataset,recall@20,seconds\na,"mf, big",mf,demo,0.25,2\n');
});

test('numbers selected on test are marked in the table, its CSV, the tree row and its tooltip', () => {
  const onTest = fakeRun('p', { metrics: { 'recall@20': 0.18 }, selectOn: 'test' });
  const onValid = fakeRun('v', { metrics: { 'recall@20': 0.17 }, selectOn: 'valid' });
  const t = comparisonTable([onTest, onValid]);
  assert.deepEqual(
    t.rows.map((r) => r.label),
    ['p (selected on test)', 'v'],
  );
  assert.match(toCsv(t), /^p,p \(selected on test\),/m);
  assert.equal(runDescription(onTest), 'mf · R@20 0.1800 (selected on test) · 13s');
  assert.equal(runDescription(onValid), 'mf · R@20 0.1700 · 13s');
  assert.match(runTooltip(onTest), /^test metrics at epoch 4, best on test \(selected on test\)$/m);
  assert.match(runTooltip(onValid), /^test metrics at epoch 4, best on validation$/m);
});
