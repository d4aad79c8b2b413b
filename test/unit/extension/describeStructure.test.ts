import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDataset } from '../../../extension/worker/describe.js';

test("the dataset inspector's figures include the graph's components and Louvain communities", async () => {
  const d = await describeDataset('demo');
  const figures = new Map(d.figures);
  assert.equal(figures.get('structure.components'), '1');
  assert.ok(
    Number(figures.get('structure.communities')) >= 2,
    figures.get('structure.communities'),
  );
  const q = Number(figures.get('structure.modularity'));
  assert.ok(q > 0 && q < 1, `modularity ${q}`);
});
