import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizedItemGraph } from '../../../src/graph/itemCooccurrence.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import type { ItemGraphData } from '../../../extension/shared/messages.js';
import {
  findItem,
  itemDetail,
  itemLabels,
  itemText,
  similarItems,
} from '../../../extension/shared/similarItems.js';
import { communitiesOfRun, itemGraphOfRun } from '../../../extension/worker/runJobs.js';

test('item labels: a column that names items, else none', () => {
  const names = ['Radiohead', '', 'Björk'];
  assert.deepEqual(itemLabels({ columns: ['name'], values: { name: names } }), names);
  // RecBole fields keep their type suffix; the title is preferred to a genre column
  assert.deepEqual(
    itemLabels({
      columns: ['genre:token_seq', 'movie_title:token_seq'],
      values: { 'genre:token_seq': ['a', 'b'], 'movie_title:token_seq': ['Heat', 'Ran'] },
    }),
    ['Heat', 'Ran'],
  );
  // the demo's latent communities and an empty name column are not labels
  assert.equal(
    itemLabels({ columns: ['community'], values: { community: ['1', '2'] } }),
    undefined,
  );
  assert.equal(itemLabels({ columns: ['name'], values: { name: ['', ''] } }), undefined);
  assert.equal(itemLabels(undefined), undefined);
  assert.equal(itemText('i7', 'Heat'), 'i7 (Heat)');
  assert.equal(itemText('i7', ''), 'i7');
});

/**
 * Groups {0,1,2}, {0,1}, {0,3}: C[0,1] = 2, C[0,2] = 1, C[0,3] = 1, C[1,2] = 1; weighted
 * degrees d = [4, 3, 2, 1]. With r = 1 row 0 is C[0,:] / 4 = [_, 0.5, 0.25, 0.25].
 */
function toyGraph(r: number, k: number): ItemGraphData {
  const groups = {
    nRows: 3,
    nCols: 4,
    indptr: Int32Array.from([0, 3, 5, 7]),
    indices: Int32Array.from([0, 1, 2, 0, 1, 0, 3]),
  };
  const g = normalizedItemGraph(groups, { r, k });
  return {
    runId: 'toy',
    ids: ['a', 'b', 'c', 'd'],
    labels: ['Alpha', 'Beta', '', 'Delta'],
    indptr: g.indptr,
    indices: g.indices,
    weights: g.values,
    r,
    k,
    seconds: 0,
  };
}

test('similar items: heaviest first, ties to the lower index, never the item itself', () => {
  const g = toyGraph(1, 10);
  assert.deepEqual(
    similarItems(g, 0).map((s) => [s.item, s.label, s.weight]),
    [
      ['b', 'Beta', 0.5],
      ['c', undefined, 0.25],
      ['d', 'Delta', 0.25],
    ],
  );
  assert.deepEqual(
    similarItems(g, 0, 2).map((s) => s.index),
    [1, 2],
  );
  // r = 0.5: C[0,j] / sqrt(d_0 d_j): b 2/sqrt(12) = 0.577, d 1/sqrt(4) = 0.5, c 1/sqrt(8)
  assert.deepEqual(
    similarItems(toyGraph(0.5, 10), 0).map((s) => s.item),
    ['b', 'd', 'c'],
  );
  assert.deepEqual(similarItems(g, 9), [], 'an index out of range has no neighbours');
  const d = itemDetail(g, 3);
  assert.equal(d.item, 'd');
  assert.equal(d.label, 'Delta');
  assert.deepEqual(
    d.similar.map((s) => [s.item, s.weight]),
    [['a', 1]],
  );
});

test('find an item by id, by label (any case), or by #index', () => {
  const g = toyGraph(1, 10);
  assert.equal(findItem(g, 'c'), 2);
  assert.equal(findItem(g, ' beta '), 1);
  assert.equal(findItem(g, '#3'), 3);
  assert.equal(findItem(g, '#4'), undefined);
  assert.equal(findItem(g, 'nope'), undefined);
  assert.equal(findItem(g, ''), undefined);
});

test("a saved run's item-item graph: its training split, its own r, k per row", async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-similar-'));
  const config = {
    dataset: 'demo:users=60,items=40',
    model: 'itemgraph',
    threads: 1,
    hyper: { r: 1, k: 100 },
  };
  let dir = '';
  await runExperiment(config, { workspace: ws, onStart: (s) => (dir = s.dir) });
  const g = await itemGraphOfRun(dir, 100);
  assert.equal(g.r, 1, "an itemgraph run's own r");
  assert.equal(g.ids.length, 40);
  for (let i = 0; i < g.ids.length; i++) {
    const row = similarItems(g, i);
    assert.ok(row.every((s) => s.index !== i));
    // r = 1 and nothing pruned: a random-walk step, each row with neighbours sums to 1
    const sum = row.reduce((t, s) => t + s.weight, 0);
    if (row.length > 0) assert.ok(Math.abs(sum - 1) < 1e-5, `row ${i} sums to ${sum}`);
  }
  // the same run's Louvain communities, over every node (60 + 40 edges' worth: no sample)
  const c = await communitiesOfRun(dir);
  assert.equal(c.community.length, 100);
  assert.ok(c.community.every((x) => x >= 0) && c.sampledUsers === undefined);
  assert.ok(c.count >= 2 && c.modularity > 0, `${c.count} communities, Q ${c.modularity}`);
  assert.deepEqual((await communitiesOfRun(dir)).community, c.community, 'seeded by the run');
  const pruned = await itemGraphOfRun(dir, 3);
  assert.ok(pruned.ids.every((_, i) => similarItems(pruned, i).length <= 3));
  assert.deepEqual(
    similarItems(pruned, 0).map((s) => s.index),
    similarItems(g, 0, 3).map((s) => s.index),
    'the pruned row keeps the heaviest neighbours',
  );
});
