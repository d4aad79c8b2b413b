import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/util/rng.js';
import {
  gatherRows,
  pca2d,
  stratifiedSample,
  tsne2d,
  umap2d,
} from '../../../extension/worker/projection.js';
import {
  longTailCurve,
  perDay,
  powerOfTwoHistogram,
  flattenFigures,
  splitSizes,
  describeInteractions,
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
  assert.deepEqual(
    flattenFigures({ users: 10, userDegree: { p99: 734.62 }, hist: [1, 2] }).map((r) =>
      r.slice(0, 2),
    ),
    [
      ['Users', '10'],
      ['User degree, 99th percentile', '735'],
    ],
  );
});

test('inspector figures: readable labels, sensible rounding, a tooltip for each', () => {
  const rows = flattenFigures({
    giniUsers: 0.45213,
    density: 0.0630471,
    split: { coldItems: 3 },
    structure: { largestComponentShare: 0.99871, modularity: 0.41234 },
    timeRange: { first: '1997-09-20' },
    someNewField: 1.23456,
  });
  const byLabel = new Map(rows.map(([label, value, tip]) => [label, { value, tip }]));
  assert.equal(byLabel.get('Gini of user activity')?.value, '0.452');
  assert.match(byLabel.get('Gini of user activity')?.tip ?? '', /a few users have most/);
  assert.equal(byLabel.get('Density')?.value, '0.063');
  assert.match(byLabel.get('Cold test items')?.tip ?? '', /no training interaction/);
  assert.equal(byLabel.get('Largest component')?.value, '99.9%');
  assert.equal(byLabel.get('Modularity')?.value, '0.412');
  assert.equal(byLabel.get('First interaction')?.value, '1997-09-20');
  assert.equal(byLabel.get('Some new field')?.value, '1.23', 'a field not listed still reads');
  assert.ok(
    rows.every(([label]) => !/[.]|[a-z][A-Z]/.test(label)),
    'no raw keys',
  );
});

test('projection sample: seeded, stratified by users/items, sorted and distinct', () => {
  const a = stratifiedSample(9000, 3000, 1000, new Rng(7));
  const b = stratifiedSample(9000, 3000, 1000, new Rng(7));
  const c = stratifiedSample(9000, 3000, 1000, new Rng(8));
  assert.deepEqual(a, b, 'same seed, same sample');
  assert.notDeepEqual(a, c, 'another seed, another sample');
  assert.equal(a.length, 1000);
  const users = a.filter((n) => n < 9000).length;
  assert.equal(users, 750, 'users keep their 3/4 share of the nodes');
  for (let k = 1; k < a.length; k++) assert.ok(a[k] > a[k - 1], 'ascending and distinct');
  assert.ok(a[0] >= 0 && a[a.length - 1] < 12000);
  // items are spread over the whole range, not the first ones
  assert.ok(a[a.length - 1] > 11000 && a[750] < 10000);
  // a kind with few nodes still gets a point; small graphs are taken whole
  const few = stratifiedSample(100000, 3, 100, new Rng(1));
  assert.equal(few.length, 100);
  assert.ok(few[few.length - 1] >= 100000, 'at least one item');
  assert.deepEqual(stratifiedSample(3, 2, 10, new Rng(1)), Int32Array.from([0, 1, 2, 3, 4]));
  assert.deepEqual(stratifiedSample(0, 50, 10, new Rng(1)).length, 10);
});

test('gatherRows reads nodes across the user and item blocks', () => {
  const users = Float32Array.from([0, 1, 2, 3]); // 2 users, dim 2
  const items = Float32Array.from([10, 11, 12, 13, 14, 15]); // 3 items
  const rows = gatherRows([users, items], 2, Int32Array.from([1, 2, 4]));
  assert.deepEqual(
    rows.map((r) => Array.from(r)),
    [
      [2, 3],
      [10, 11],
      [14, 15],
    ],
  );
});

/** Three well-separated clusters of 12 points in 8-D, with a little seeded noise. */
function clusters(): { rows: Float64Array[]; label: number[] } {
  const rng = new Rng(3);
  const rows: Float64Array[] = [];
  const label: number[] = [];
  for (let c = 0; c < 3; c++)
    for (let k = 0; k < 12; k++) {
      const r = new Float64Array(8);
      for (let j = 0; j < 8; j++) r[j] = (j % 3 === c ? 5 : 0) + 0.3 * rng.normal();
      rows.push(r);
      label.push(c);
    }
  return { rows, label };
}

/** Mean distance within clusters over mean distance between them (small: clusters kept apart). */
function separation(x: Float32Array, y: Float32Array, label: number[]): number {
  let within = 0;
  let nw = 0;
  let between = 0;
  let nb = 0;
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) {
      const d = Math.hypot(x[i] - x[j], y[i] - y[j]);
      if (label[i] === label[j]) {
        within += d;
        nw++;
      } else {
        between += d;
        nb++;
      }
    }
  return within / nw / (between / nb);
}

test('UMAP: finite 2-D coordinates, the same for the same seed, clusters kept apart', () => {
  const { rows, label } = clusters();
  const progress: number[] = [];
  const run = (seed: number, onProgress?: (done: number) => void) => {
    const rng = new Rng(seed);
    return umap2d(rows, () => rng.next(), onProgress);
  };
  const p = run(11, (done) => progress.push(done));
  const q = run(11);
  assert.equal(p.x.length, rows.length);
  assert.ok([...p.x, ...p.y].every(Number.isFinite));
  assert.deepEqual(p, q, 'same seed, same layout');
  assert.notDeepEqual(run(12).x, p.x, 'another seed, another layout');
  assert.ok(separation(p.x, p.y, label) < 0.5, `separation ${separation(p.x, p.y, label)}`);
  assert.ok(progress.length > 1 && progress.at(-1)! > progress[0], 'reports its epochs');
});

test('t-SNE: finite 2-D coordinates, the same for the same seed, clusters kept apart', () => {
  const { rows, label } = clusters();
  const progress: Array<[number, number]> = [];
  const p = tsne2d(rows, 5, (done, total) => progress.push([done, total]), 300);
  const q = tsne2d(rows, 5, undefined, 300);
  assert.equal(p.x.length, rows.length);
  assert.ok([...p.x, ...p.y].every(Number.isFinite));
  assert.deepEqual(p, q, 'same seed, same layout');
  assert.notDeepEqual(tsne2d(rows, 6, undefined, 300).x, p.x, 'another seed, another layout');
  assert.ok(separation(p.x, p.y, label) < 0.5, `separation ${separation(p.x, p.y, label)}`);
  assert.deepEqual(progress.at(-1), [300, 300]);
  // too few points for neighbourhoods: a line, not an error
  assert.deepEqual(Array.from(tsne2d(rows.slice(0, 2), 1).x), [0, 1]);
});

test('split sizes: from the given split figures, absent without a split', () => {
  const s = splitSizes(
    { train: 80, valid: 10, test: 10, testUsers: 9, testItems: 7, coldUsers: 0, coldItems: 1 },
    12,
  );
  assert.deepEqual(s, { train: 80, valid: 10, test: 10, testUsers: 9, users: 12 });
  const noValid = splitSizes(
    { train: 8, test: 2, testUsers: 2, testItems: 2, coldUsers: 0, coldItems: 0 },
    3,
  );
  assert.deepEqual(noValid, { train: 8, test: 2, testUsers: 2, users: 3 });
  assert.equal(splitSizes(undefined, 3), undefined);
  const x = {
    nUsers: 2,
    nItems: 2,
    users: Int32Array.from([0, 1]),
    items: Int32Array.from([0, 1]),
  };
  assert.equal(describeInteractions('d', [], x).split, undefined);
  assert.deepEqual(describeInteractions('d', [], x, noValid).split, noValid);
});
