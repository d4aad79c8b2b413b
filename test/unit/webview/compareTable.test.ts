import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentRow, ExperimentsView } from '../../../extension/shared/compareMessages.js';
import {
  barSpec,
  cellText,
  filterRows,
  nextSort,
  paramText,
  passes,
  selectedRows,
  significancePair,
  sortRows,
  toggleRow,
  visibleColumns,
} from '../../../webview/panels/compareTable.js';

const row = (
  name: string,
  params: ExperimentRow['params'],
  recall: number | undefined,
  runIds = [name],
  members?: ExperimentRow[],
): ExperimentRow => ({
  key: runIds.join(' '),
  name,
  runIds,
  status: 'done',
  params,
  metrics: recall === undefined ? {} : { 'recall@20': { mean: recall, std: 0, n: 1 } },
  best: [],
  ...(members && { members }),
});

const mf = row('mf-a', { model: 'mf', dim: 64, lr: 0.01 }, 0.1);
const lgcn = row('lgcn-b', { model: 'lightgcn', dim: 32, lr: 0.001 }, 0.2);
const pop = row('pop', { model: 'popularity', dim: null, lr: null }, undefined);

test('column filters: numbers by comparison, text by substring, empty passes', () => {
  assert.ok(passes(0.2, '>0.1'));
  assert.ok(!passes(0.05, '>0.1'));
  assert.ok(passes(64, '>=64') && passes(64, '=64') && !passes(64, '<64'));
  assert.ok(passes('lightgcn', 'GCN'));
  assert.ok(!passes(null, 'mf'));
  assert.ok(passes(null, '  '));
  assert.deepEqual(
    filterRows([mf, lgcn, pop], { dim: '<64' }, '').map((r) => r.name),
    ['lgcn-b'],
  );
  assert.deepEqual(
    filterRows([mf, lgcn, pop], { 'recall@20': '>0.05' }, 'mf').map((r) => r.name),
    ['mf-a'],
  );
  // the free text searches names and parameters
  assert.deepEqual(
    filterRows([mf, lgcn, pop], {}, 'popul').map((r) => r.name),
    ['pop'],
  );
});

test('sorting: numbers numerically either way, empty cells last, a header click flips', () => {
  const byRecall = sortRows([mf, pop, lgcn], { column: 'recall@20', descending: true });
  assert.deepEqual(
    byRecall.map((r) => r.name),
    ['lgcn-b', 'mf-a', 'pop'],
  );
  assert.deepEqual(
    sortRows([mf, pop, lgcn], { column: 'dim', descending: false }).map((r) => r.name),
    ['lgcn-b', 'mf-a', 'pop'],
  );
  assert.deepEqual(
    sortRows([mf, lgcn], { column: 'name', descending: false }).map((r) => r.name),
    ['lgcn-b', 'mf-a'],
  );
  assert.deepEqual(nextSort({ column: 'dim', descending: true }, 'dim', true), {
    column: 'dim',
    descending: false,
  });
  assert.deepEqual(nextSort({ column: 'dim', descending: false }, 'model', false), {
    column: 'model',
    descending: false,
  });
});

test('folded seeds read mean ± std (n); hidden columns are left out', () => {
  assert.equal(cellText({ mean: 0.12345, std: 0.01, n: 3 }), '0.1235 ± 0.0100 (3)');
  assert.equal(cellText({ mean: 0.12345, std: 0, n: 1 }), '0.1235');
  assert.equal(cellText(undefined), '–');
  const v: ExperimentsView = {
    groups: [],
    paramColumns: ['model', 'dim', 'lr'],
    metricColumns: ['recall@20'],
  };
  assert.deepEqual(
    visibleColumns(v, { hidden: ['dim'], sort: { column: 'x', descending: true }, filters: {} }),
    ['model', 'lr', 'recall@20'],
  );
});

test('two checked rows make a pair to test; a folded row counts once, expanded by its members', () => {
  const s1 = row('s1', { model: 'mf' }, 0.1);
  const s2 = row('s2', { model: 'mf' }, 0.2);
  const seeds = row('seeds', { model: 'mf' }, 0.15, ['s1', 's2'], [s1, s2]);
  const v: ExperimentsView = {
    groups: [{ key: 'g', label: 'demo, split given', rows: [seeds, lgcn] }],
    paramColumns: [],
    metricColumns: ['recall@20'],
  };
  const none = new Set<string>();
  let sel = toggleRow(seeds, none, true);
  assert.deepEqual([...sel], ['s1', 's2']);
  assert.equal(significancePair(v, sel, none), undefined);
  sel = toggleRow(lgcn, sel, true);
  assert.deepEqual(
    significancePair(v, sel, none)?.map((r) => r.name),
    ['seeds', 'lgcn-b'],
  );
  // expanded: its two seeds are two rows, the three checked rows are no pair
  assert.equal(significancePair(v, sel, new Set([seeds.key])), undefined);
  assert.deepEqual(
    significancePair(v, toggleRow(lgcn, sel, false), new Set([seeds.key]))?.map((r) => r.name),
    ['s1', 's2'],
  );
  // the charts show the rows with a checked run
  assert.deepEqual(
    selectedRows(v, new Set(['s2'])).map((x) => x.label),
    ['seeds'],
  );
});

test("the bar chart shows the checked rows' metrics with their spread", () => {
  const folded = { ...mf, metrics: { 'recall@20': { mean: 0.2, std: 0.05, n: 3 } } };
  const spec = barSpec([{ label: 'mf-a', row: folded }], ['recall@20', 'seconds']) as {
    data: { values: Array<Record<string, unknown>> };
  };
  assert.deepEqual(spec.data.values, [
    { run: 'mf-a', metric: 'recall@20', value: 0.2, lo: 0.15000000000000002, hi: 0.25 },
  ]);
});

test('parameters read as written: a seed is 2020, not 2,020; a rate keeps its digits', () => {
  assert.equal(paramText('seed', 2020), '2020');
  assert.equal(paramText('lr', 0.0005), '0.0005');
  assert.equal(paramText('seconds', 3000), '3,000');
  assert.equal(paramText('seconds', 4.781), '4.78');
  assert.equal(paramText('loss', 'bpr'), 'bpr');
  assert.equal(paramText('dim', null), '–');
});
