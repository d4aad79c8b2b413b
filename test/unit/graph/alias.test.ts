import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AliasTable } from '../../../src/graph/alias.js';
import { KeyedStream } from '../../../src/graph/walkStream.js';
import { Rng } from '../../../src/util/rng.js';

test('an alias table encodes exactly the normalised weights', () => {
  for (const w of [
    [1, 2, 3, 0, 4],
    [5],
    [0, 0, 7, 0],
    [1e-9, 1, 1e9],
    Array.from({ length: 97 }, (_, i) => (i * 37) % 11),
  ]) {
    const total = w.reduce((a, b) => a + b, 0);
    const prob = new AliasTable(w).probabilities();
    w.forEach((x, i) =>
      assert.ok(Math.abs(prob[i] - x / total) < 1e-12, `${JSON.stringify(w)}[${i}]`),
    );
  }
});

test('alias sampling frequencies match the weights within 5 sigma; zero weights are never drawn', () => {
  const w = [1, 2, 3, 0, 4, 0.5, 9.5];
  const total = w.reduce((a, b) => a + b, 0);
  const table = new AliasTable(w);
  for (const rng of [new Rng(17), new KeyedStream(17, 3, 4)]) {
    const n = 200000;
    const counts = new Array<number>(w.length).fill(0);
    for (let k = 0; k < n; k++) counts[table.sample(rng)]++;
    w.forEach((x, i) => {
      const p = x / total;
      const sigma = Math.sqrt((p * (1 - p)) / n);
      assert.ok(Math.abs(counts[i] / n - p) <= 5 * sigma, `outcome ${i}: ${counts[i] / n} vs ${p}`);
    });
    assert.equal(counts[3], 0);
  }
});

test('unigram^0.75 negatives: frequencies follow count^0.75', () => {
  const counts = [1000, 100, 10, 1];
  const w = counts.map((c) => c ** 0.75);
  const table = new AliasTable(w);
  const rng = new Rng(3);
  const seen = [0, 0, 0, 0];
  for (let k = 0; k < 100000; k++) seen[table.sample(rng)]++;
  const total = w.reduce((a, b) => a + b, 0);
  // 1000^0.75 / sum = 0.8356..., far flatter than the raw 0.9001
  assert.ok(Math.abs(seen[0] / 100000 - w[0] / total) < 0.006);
  assert.ok(seen[0] / 100000 < 0.87);
});

test('an alias table refuses weights that are no distribution', () => {
  assert.throws(() => new AliasTable([1, -1]), /weight 1 is -1/);
  assert.throws(() => new AliasTable([1, NaN]), /weight 1 is NaN/);
  assert.throws(() => new AliasTable([0, 0]), /positive total/);
  assert.throws(() => new AliasTable([]), /positive total/);
});
