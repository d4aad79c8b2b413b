import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDataset } from '../../../extension/worker/describe.js';

test("the dataset inspector's figures include the graph's components and Louvain communities", async () => {
  const d = await describeDataset('demo');
  const figures = new Map(d.figures.map(([label, value]) => [label, value]));
  assert.equal(figures.get('Connected components'), '1');
  assert.ok(
    Number(figures.get('Communities (Louvain)')) >= 2,
    figures.get('Communities (Louvain)'),
  );
  const q = Number(figures.get('Modularity'));
  assert.ok(q > 0 && q < 1, `modularity ${q}`);
});
