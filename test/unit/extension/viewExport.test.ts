import { test } from 'node:test';
import assert from 'node:assert/strict';
import { experimentsView } from '../../../extension/compare/experiments.js';
import { viewExportText } from '../../../extension/compare/viewExport.js';
import { DEFAULT_PREFS } from '../../../extension/shared/compareMessages.js';
import {
  filterRows,
  shownRowKeys,
  sortRows,
  visibleColumns,
} from '../../../webview/panels/compareTable.js';
import { fakeRun } from './fixtures.js';

const lgcn = (seed: number) => ({ seed, hyper: { dim: 64, lr: 0.001 } });
const view = experimentsView([
  fakeRun('a1', {
    name: 'lgcn@seed=1',
    model: 'lightgcn',
    config: lgcn(1),
    metrics: { 'recall@20': 0.1, 'ndcg@20': 0.05 },
    tags: ['paper'],
  }),
  fakeRun('a2', {
    name: 'lgcn@seed=2',
    model: 'lightgcn',
    config: lgcn(2),
    metrics: { 'recall@20': 0.2, 'ndcg@20': 0.07 },
  }),
  fakeRun('m', {
    name: 'mf-base',
    config: { seed: 1, hyper: { dim: 32, lr: 0.01 } },
    metrics: { 'recall@20': 0.12, 'ndcg@20': 0.06 },
    tags: ['baseline'],
  }),
  fakeRun('p', { name: 'pop', model: 'popularity', metrics: { 'recall@20': 0.03 } }),
]);

/** What the panel reports it shows, from the same functions it draws with. */
function shown(prefs: typeof DEFAULT_PREFS, text = '', expanded = new Set<string>()) {
  return {
    columns: visibleColumns(view, prefs),
    rows: view.groups.flatMap((g) =>
      shownRowKeys(sortRows(filterRows(g.rows, prefs.filters, text), prefs.sort), expanded),
    ),
  };
}

test('the tags column holds a row\u2019s tags (a folded row: any seed\u2019s) and filters like the others', () => {
  assert.ok(view.paramColumns.includes('tags'));
  const rows = view.groups[0].rows;
  assert.deepEqual(
    rows.map((r) => [r.name, r.params.tags]),
    [
      ['lgcn', 'paper'],
      ['mf-base', 'baseline'],
      ['pop', null],
    ],
  );
  assert.deepEqual(
    filterRows(rows, { tags: 'base' }, '').map((r) => r.name),
    ['mf-base'],
  );
  assert.deepEqual(
    filterRows(rows, {}, 'paper').map((r) => r.name),
    ['lgcn'],
  );
});

test('CSV export writes the visible columns of the rows passing the filters, in the table\u2019s order', () => {
  const prefs = {
    hidden: ['dim', 'lr', 'seed', 'seconds', 'epochs', 'ndcg@20', 'selected epoch'],
    sort: { column: 'recall@20', descending: false },
    filters: { 'recall@20': '>0.05' },
  };
  const csv = viewExportText(view, shown(prefs), 'csv').trimEnd().split('\n');
  assert.deepEqual(csv, [
    'group,run,runs,status,model,tags,recall@20,recall@20 std,recall@20 n,best',
    '"demo, split default",mf-base,m,done,mf,baseline,0.12,0,1,',
    `"demo, split default",lgcn,a1 a2,done,lightgcn,paper,${(0.1 + 0.2) / 2},${Math.SQRT1_2 * 0.1},2,recall@20`,
  ]);
});

test('Markdown export: hidden columns left out, filtered rows left out, an expanded row\u2019s seeds in', () => {
  const prefs = {
    ...DEFAULT_PREFS,
    hidden: view.paramColumns.filter((c) => c !== 'model'),
    filters: { model: 'lightgcn' },
  };
  const md = viewExportText(view, shown(prefs, '', new Set(['a1 a2'])), 'md');
  assert.equal(
    md,
    [
      '### demo, split default',
      '',
      '| run | model | recall@20 | ndcg@20 |',
      '| --- | ---: | ---: | ---: |',
      '| lgcn | lightgcn | **0.1500 ± 0.0707 (2)** | **0.0600 ± 0.0141 (2)** |',
      '| lgcn@seed=1 | lightgcn | 0.1000 | 0.0500 |',
      '| lgcn@seed=2 | lightgcn | 0.2000 | 0.0700 |',
      '',
    ].join('\n'),
  );
  // the free-text filter too: nothing passes, no group is written
  assert.equal(viewExportText(view, shown(DEFAULT_PREFS, 'no such run'), 'md'), '\n');
});
