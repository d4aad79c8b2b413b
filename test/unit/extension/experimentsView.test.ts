import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRows, experimentsView } from '../../../extension/compare/experiments.js';
import { prefsFrom, DEFAULT_PREFS } from '../../../extension/shared/compareMessages.js';
import { isHostMessage, isWebviewMessage } from '../../../extension/shared/messages.js';
import { pairedTTest } from '../../../src/eval/significance.js';
import { FILES, type RunRecord } from '../../../src/runs/format.js';
import { writePerUserFile } from '../../../src/runs/perUser.js';
import { fakeRun } from './fixtures.js';

const lgcn = (seed: number) => ({ seed, hyper: { dim: 64, layers: 3, lr: 0.001 } });

test('the table never ranks two datasets together: one group each, best marked per group', () => {
  const v = experimentsView([
    fakeRun('demo-mf', { dataset: 'demo', metrics: { 'recall@20': 0.44 } }),
    fakeRun('ml-mf', { dataset: 'ml-1m', metrics: { 'recall@20': 0.11 } }),
    fakeRun('ml-lgcn', { dataset: 'ml-1m', model: 'lightgcn', metrics: { 'recall@20': 0.13 } }),
  ]);
  assert.deepEqual(
    v.groups.map((g) => g.label),
    ['demo, split default', 'ml-1m, split default'],
  );
  const [demo, ml] = v.groups;
  // alone in its group: best of nothing
  assert.deepEqual(demo.rows[0].best, []);
  assert.deepEqual(
    ml.rows.map((r) => [r.name, r.best]),
    [
      ['ml-mf', []],
      ['ml-lgcn', ['recall@20']],
    ],
  );
});

test('seeds of one configuration fold into one row with mean, std and n, its runs as members', () => {
  const v = experimentsView([
    fakeRun('a1', { name: 'lgcn@seed=1', config: lgcn(1), metrics: { 'recall@20': 0.1 } }),
    fakeRun('a2', { name: 'lgcn@seed=2', config: lgcn(2), metrics: { 'recall@20': 0.2 } }),
    fakeRun('b', {
      name: 'other',
      config: { seed: 1, hyper: { dim: 32 } },
      metrics: { 'recall@20': 0.12 },
    }),
  ]);
  const [folded, other] = v.groups[0].rows;
  assert.equal(folded.name, 'lgcn');
  assert.deepEqual(folded.runIds, ['a1', 'a2']);
  assert.equal(folded.params.seed, '1, 2');
  assert.equal(folded.metrics['recall@20'].n, 2);
  assert.ok(Math.abs(folded.metrics['recall@20'].mean - 0.15) < 1e-12);
  assert.ok(Math.abs(folded.metrics['recall@20'].std - Math.SQRT1_2 * 0.1) < 1e-12);
  assert.deepEqual(folded.best, ['recall@20']);
  assert.deepEqual(
    folded.members?.map((m) => [m.name, m.params.seed, m.metrics['recall@20'].mean]),
    [
      ['lgcn@seed=1', 1, 0.1],
      ['lgcn@seed=2', 2, 0.2],
    ],
  );
  assert.equal(other.members, undefined);
  // parameter columns only where some row has a value: nobody has a loss or a sampler
  assert.deepEqual(v.paramColumns, ['model', 'epochs', 'dim', 'layers', 'lr', 'seed', 'seconds']);
  assert.deepEqual(v.metricColumns, ['recall@20']);
});

/** A finished run with per-user recall@20 saved in a temporary folder. */
function withPerUser(
  id: string,
  values: number[],
  testHash = 'same',
  seed = 1,
  users = values.map((_, i) => i),
): RunRecord {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-sig-'));
  writePerUserFile(
    join(dir, FILES.perUser),
    {
      users: Int32Array.from(users),
      values: { 'recall@20': Float32Array.from(values) },
    },
    { testHash },
  );
  return { ...fakeRun(id, { config: { seed }, metrics: { 'recall@20': 0 } }), dir };
}

test("paired test of two rows: a row of seeds uses each user's mean over its seeds", () => {
  const a1 = withPerUser('a1', [0.5, 0.25, 1, 0]);
  const a2 = withPerUser('a2', [0.25, 0.5, 0.5, 0.25], 'same', 2);
  const b = withPerUser('b', [0, 0.25, 0.5, 0.25]);
  const r = compareRows([a1, a2], [b], 'recall@20');
  const perUserA = [0.375, 0.375, 0.75, 0.125];
  assert.equal(r.users, 4);
  assert.equal(r.meanA, 0.40625);
  assert.equal(r.meanB, 0.25);
  assert.deepEqual(r.tTest, pairedTTest(perUserA, [0, 0.25, 0.5, 0.25]));
  assert.equal(r.a, 'a1 (mean of 2 seeds)');
  assert.equal(r.b, 'b');
  // runs tested on other users or items are refused, saying why
  const other = withPerUser('c', [0, 0, 0, 0], 'another split');
  assert.throws(() => compareRows([a1], [other], 'recall@20'), /different test sets/);
  assert.throws(() => compareRows([a1], [], 'recall@20'), /select two rows/);
});

test('seeds that each split anew pair seed by seed: each user is its mean over the splits it is in', () => {
  // seed 1 split tests users 0, 1, 2; seed 2's split tests users 0, 2, 3
  const a1 = withPerUser('a1', [1, 0.5, 0], 'split-1', 1, [0, 1, 2]);
  const a2 = withPerUser('a2', [0.5, 1, 0.25], 'split-2', 2, [0, 2, 3]);
  const b1 = withPerUser('b1', [0, 0.5, 0.5], 'split-1', 1, [0, 1, 2]);
  const b2 = withPerUser('b2', [0.5, 0, 0], 'split-2', 2, [0, 2, 3]);
  // b's runs listed in another order: pairing goes by seed, not position
  const r = compareRows([a1, a2], [b2, b1], 'recall@20');
  // users 0 and 2 are in both splits: A (1 + 0.5) / 2, (0 + 1) / 2; B (0 + 0.5) / 2, (0.5 + 0) / 2
  assert.equal(r.users, 2);
  assert.equal(r.meanA, (0.75 + 0.5) / 2);
  assert.equal(r.meanB, (0.25 + 0.25) / 2);
  assert.deepEqual(r.tTest, pairedTTest([0.75, 0.5], [0.25, 0.25]));
  assert.match(r.pairing, /each seed's two runs on that seed's split/);
  // a seed in one group only has no partner
  assert.throws(() => compareRows([a1, a2], [b1], 'recall@20'), /the same seeds in both groups/);
  // a seed's two runs on different test sets (another dataset file, say) cannot pair
  const b2other = withPerUser('b2x', [0.5, 0, 0], 'elsewhere', 2, [0, 2, 3]);
  assert.throws(() => compareRows([a1, a2], [b1, b2other], 'recall@20'), /different test sets/);
});

test('saved column choices are checked field by field; messages of the table pass the guards', () => {
  assert.deepEqual(prefsFrom(undefined), DEFAULT_PREFS);
  assert.deepEqual(
    prefsFrom({
      hidden: ['lr', 3],
      sort: { column: 'dim', descending: 'yes' },
      filters: { model: 'mf', dim: 4, lr: ' ' },
    }),
    { hidden: ['lr'], sort: { column: 'dim', descending: false }, filters: { model: 'mf' } },
  );
  assert.ok(
    isWebviewMessage({ type: 'requestSignificance', a: ['x'], b: ['y'], metric: 'recall@20' }),
  );
  assert.ok(!isWebviewMessage({ type: 'requestSignificance', a: ['x'], b: ['y'] }));
  assert.ok(isWebviewMessage({ type: 'exportTable', format: 'md' }));
  assert.ok(isHostMessage({ type: 'significance', error: 'no' }));
  assert.ok(!isHostMessage({ type: 'compare', table: {} }));
});
