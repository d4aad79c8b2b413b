import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmbeddingProjection, ItemDetail } from '../../../extension/shared/messages.js';
import { decodeProjection, encodeProjection } from '../../../extension/panels/projectionCache.js';
import {
  categoryDomain,
  drawOrder,
  itemDetailMarks,
  pointsByNode,
  pointText,
  scatterSpec,
  searchPoints,
  toPoints,
  withFoldedCategories,
} from '../../../webview/panels/embeddingsSpec.js';

/** 2 users and 4 films with titles and genres, every node on the plot. */
const proj: EmbeddingProjection = {
  runId: 'r',
  label: 'r',
  method: 'pca',
  nUsers: 2,
  nItems: 4,
  x: Float32Array.from([0, 1, 2, 3, 4, 5]),
  y: Float32Array.from([0, 1, 2, 3, 4, 5]),
  degree: Int32Array.from([3, 4, 10, 50, 7, 50]),
  ids: ['1', '2', '1', '50', '7', '181'],
  labels: ['', '', 'Toy Story', 'Star Wars', 'Four Rooms', 'Return of the Jedi'],
  category: { name: 'genre', values: ['', '', 'Animation', 'Action', '', 'Action'] },
  seconds: 0.1,
};
const points = toPoints(proj);

test('search: by title substring (any case, prefix first, then degree), by regex, by id', () => {
  const star = searchPoints(points, 'star');
  assert.deepEqual(
    star.matches.map((p) => p.label),
    ['Star Wars'],
  );
  // every title with an "o": none starts with it, so the most popular first
  assert.deepEqual(
    searchPoints(points, 'O').matches.map((p) => p.label),
    ['Return of the Jedi', 'Toy Story', 'Four Rooms'],
  );
  // a title that starts with the text comes before a more popular one that only contains it
  assert.deepEqual(
    searchPoints(points, 'r').matches.map((p) => p.label),
    ['Return of the Jedi', 'Star Wars', 'Toy Story', 'Four Rooms'],
  );
  // an id is an exact match: "1" is film 1 and user 1 (the busier first; no title has a "1")
  assert.deepEqual(
    searchPoints(points, '1').matches.map((p) => pointText(p)),
    ['item 1 · Toy Story', 'user 1'],
  );
  assert.deepEqual(
    searchPoints(points, 'item:50').matches.map((p) => p.label),
    ['Star Wars'],
  );
  assert.deepEqual(searchPoints(points, 'user:50').matches, []);
  assert.equal(searchPoints(points, '#3').matches[0]?.label, 'Star Wars');
  // a regular expression over ids and titles, case-insensitive
  assert.deepEqual(
    searchPoints(points, '/^(star|toy) /').matches.map((p) => p.label),
    ['Star Wars', 'Toy Story'],
  );
  assert.match(searchPoints(points, '/(/').error ?? '', /Invalid regular expression|Unterminated/);
  // at most `limit` listed, the total counted
  const few = searchPoints(points, '/./', 2);
  assert.equal(few.matches.length, 2);
  assert.equal(few.total, 6);
  assert.deepEqual(searchPoints(points, '  ').matches, []);
});

test('draw order: users last (on top) by default, or first when the toggle is off', () => {
  assert.deepEqual(
    drawOrder(points, true).map((p) => p.type),
    ['item', 'item', 'item', 'item', 'user', 'user'],
  );
  assert.deepEqual(
    drawOrder(points, false).map((p) => p.type),
    ['user', 'user', 'item', 'item', 'item', 'item'],
  );
});

test('colour by genre: the most frequent genres named, the rest "other", no genre and users apart', () => {
  assert.deepEqual(categoryDomain(points), ['Action', 'Animation', 'none', 'user']);
  const domain = categoryDomain(points, 1);
  assert.deepEqual(domain, ['Action', 'other', 'none', 'user']);
  assert.deepEqual(
    withFoldedCategories(points, domain).map((p) => p.category),
    ['user', 'user', 'other', 'Action', 'none', 'Action'],
  );
  const spec = JSON.stringify(scatterSpec(proj, 'category', points));
  assert.match(spec, /"title":"genre"/);
  assert.match(spec, /"field":"label","title":"name"/, 'the title on hover');
});

test("an item's marks: the item, its similar and nearest items, and the users who have it", () => {
  const d: ItemDetail = {
    item: '50',
    itemIndex: 1,
    similar: [{ item: '181', index: 3, weight: 0.5 }],
    neighbours: { k: 1, cosine: [{ item: '1', index: 0, weight: 0.9 }], dot: [] },
    users: ['2', '999'],
    popularity: { degree: 2, rank: 1, items: 4 },
  };
  const marks = itemDetailMarks(d, proj, pointsByNode(points));
  assert.deepEqual(
    marks.map((m) => [m.role, m.i]),
    [
      ['selected item', 3],
      ['similar item', 5],
      ['nearest item', 2],
      ['has the item', 1],
    ],
  );
});

test('a projection written to disk reads back the same; anything else reads as none', () => {
  const sampled: EmbeddingProjection = {
    ...proj,
    method: 'umap',
    nodes: Int32Array.from([0, 1, 2, 3, 4, 5]),
    params: { neighbors: 5, minDist: 0.1, sample: 6 },
  };
  const back = decodeProjection(encodeProjection(sampled));
  assert.deepEqual(back, sampled);
  assert.ok(back?.x instanceof Float32Array && back.nodes instanceof Int32Array);
  for (const bad of [
    '',
    '{',
    '{"method":"mds"}',
    '{"method":"pca","x":[1],"y":[],"degree":[],"ids":[]}',
  ])
    assert.equal(decodeProjection(bad), undefined, bad);
});

test('colour by degree: legend labels at powers of ten up to the largest degree', () => {
  const spec = JSON.stringify(scatterSpec(proj, 'degree', points));
  assert.match(spec, /"legend":\{"values":\[0,1,10\],"labelOverlap":true\}/);
});
