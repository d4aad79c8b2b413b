import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pca2d } from '../../../extension/worker/projection.js';
import {
  longTailCurve,
  perDay,
  powerOfTwoHistogram,
  flattenFigures,
} from '../../../extension/worker/datasetSeries.js';

test('PCA finds the direction of largest spread across both blocks', () => {
  // points on the line y = 2x in 3-D (third coordinate constant), split over two blocks
  const users = Float32Array.from([0, 0, 1, 1, 2, 1]);
  const items = Float32Array.from([2, 4, 1, 3, 6, 1]);
  const p = pca2d([users, items], 3);
  assert.equal(p.x.length, 4);
  assert.ok(p.explained[0] > 0.999, `explained ${p.explained}`);
  const dist = (i: number, j: number) => Math.abs(p.x[i] - p.x[j]);
  assert.ok(Math.abs(dist(0, 3) - Math.sqrt(9 + 36)) < 1e-4);
  for (const v of p.y) assert.ok(Math.abs(v) < 1e-4);
});

test('dataset series: power-of-two degree bins, long tail, per day', () => {
  assert.deepEqual(powerOfTwoHistogram(Int32Array.from([0, 1, 2, 3, 4, 9])), {
    bins: [1, 2, 4, 8],
    counts: [1, 2, 1, 1],
  });
  const tail = longTailCurve(Int32Array.from([1, 1, 8]));
  assert.deepEqual(
    tail.x.map((v) => +v.toFixed(3)),
    [0, 0.333, 0.667, 1],
  );
  assert.deepEqual(tail.y, [0, 0.8, 0.9, 1]);
  const days = perDay(Float64Array.from([0, 10, 86400, 86400 * 2 + 5]));
  assert.deepEqual(days, { day: ['1970-01-01', '1970-01-02', '1970-01-03'], count: [2, 1, 1] });
  assert.equal(perDay(undefined), undefined);
  assert.deepEqual(flattenFigures({ users: 10, degree: { p50: 2.5 }, hist: [1, 2] }), [
    ['users', '10'],
    ['degree.p50', '2.5000'],
  ]);
});
