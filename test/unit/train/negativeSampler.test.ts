import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr, sortRows } from '../../../src/data/csr.js';
import { Rng } from '../../../src/util/rng.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { personalizedPageRank } from '../../../src/graph/pagerank.js';
import { HardNegatives, hardRankWindow } from '../../../src/train/hardNegatives.js';
import {
  NegativeSampler,
  type NegativeSamplerOptions,
} from '../../../src/train/negativeSampler.js';
import { rowHas } from '../../../src/train/samplers.js';

// 12 users x 40 items, each user with 6 items drawn from a fixed stream (a few shared)
const rng = new Rng(5);
const rows: number[] = [];
const cols: number[] = [];
for (let u = 0; u < 12; u++) {
  const mine = new Set<number>();
  while (mine.size < 6) mine.add((u * 3 + rng.int(12)) % 40);
  for (const i of mine) {
    rows.push(u);
    cols.push(i);
  }
}
const ui = sortRows(buildCsr(12, 40, Int32Array.from(rows), Int32Array.from(cols)));
const iu = buildCsr(40, 12, Int32Array.from(cols), Int32Array.from(rows));

const options = (o: Partial<NegativeSamplerOptions>): NegativeSamplerOptions => ({
  sampler: 'uniform',
  negatives: 1,
  sharedNegatives: 0,
  hardNegatives: 0,
  curriculum: false,
  hardRankFrom: 0.1,
  hardRankTo: 0.3,
  batchSize: 16,
  ...o,
});

test('the hard window is scaled to the catalogue: [from, to) x nItems, at least one rank', () => {
  assert.deepEqual(hardRankWindow(1682, 0.05, 0.2), [84, 337]);
  assert.deepEqual(hardRankWindow(40981, 0.05, 0.2), [2049, 8197]);
  assert.deepEqual(hardRankWindow(10, 0, 0.01), [0, 1]);
  assert.throws(() => hardRankWindow(10, 0.3, 0.2), /0.3, 0.2/);
});

test("a user's hard window is ranks [lo, hi) of its non-positive items by exact personalized PageRank", () => {
  const hard = new HardNegatives(ui, { from: 0.1, to: 0.3, eps: 1e-9, restart: 0.5, keep: 100 });
  const g = bipartiteGraph(ui);
  const [lo, hi] = hardRankWindow(40, 0.1, 0.3);
  let compared = 0;
  for (let u = 0; u < 12; u++) {
    const ppr = personalizedPageRank(g, u, { alpha: 0.5 }).scores;
    const ranked = Array.from({ length: 40 }, (_, i) => i)
      .filter((i) => !rowHas(ui, u, i))
      .sort((a, b) => ppr[12 + b] - ppr[12 + a] || a - b);
    // items the walk never reaches (score 0) come after, by popularity: compare the reached
    const reached = ranked.filter((i) => ppr[12 + i] > 1e-12);
    const want = ranked.slice(lo, hi);
    const got = [...hard.window(u)];
    assert.equal(got.length, hi - lo, `user ${u}`);
    for (let r = 0; r < got.length; r++)
      if (lo + r < reached.length) {
        assert.equal(got[r], want[r], `user ${u} rank ${lo + r}`);
        compared++;
      } else assert.ok(!reached.includes(got[r]), `user ${u}: unreached items rank last`);
  }
  assert.ok(compared > 50, `${compared} ranks compared with the exact PPR`);
});

test('a window larger than `keep` keeps that many items, evenly spaced over it', () => {
  const all = new HardNegatives(ui, { from: 0, to: 1, eps: 1e-9, keep: 1000 });
  const kept = new HardNegatives(ui, { from: 0, to: 1, eps: 1e-9, keep: 5 });
  const w = all.window(3);
  assert.equal(w.length, 34, '40 items less the 6 of user 3');
  assert.deepEqual(
    [...kept.window(3)],
    [0, 6, 13, 20, 27].map((r) => w[r]),
  );
});

test('curriculum: epoch n draws min(n - 1, hardNegatives) hard negatives per positive, from the window', () => {
  const s = new NegativeSampler(ui, iu, options({ hardNegatives: 3, curriculum: true }));
  const counts = [1, 2, 3, 4, 5, 6].map((n) => s.hardPerPositive(n));
  assert.deepEqual(counts, [0, 1, 2, 3, 3, 3]);
  const windows = s.hardWindows();
  for (const epoch of [1, 3, 6]) {
    const t = s.epoch(epoch, new Rng(epoch));
    const h = counts[epoch - 1];
    // one uniform negative, then the hard ones
    assert.equal(t.negatives, 1 + h);
    assert.equal(t.neg.length, t.users.length * (1 + h));
    for (let q = 0; q < t.users.length; q++) {
      const u = t.users[q];
      for (let j = 0; j < 1 + h; j++) assert.ok(!rowHas(ui, u, t.neg[q * (1 + h) + j]));
      for (let j = 1; j < 1 + h; j++)
        assert.ok(windows.window(u).includes(t.neg[q * (1 + h) + j]), `epoch ${epoch}`);
    }
  }
  const fixed = new NegativeSampler(ui, iu, options({ hardNegatives: 2 }));
  assert.deepEqual(
    [1, 5].map((n) => fixed.hardPerPositive(n)),
    [2, 2],
  );
});

test('without shared or hard negatives the draw is the per-positive one it always was', async () => {
  const { sampleTriples } = await import('../../../src/train/samplers.js');
  const s = new NegativeSampler(ui, iu, options({ negatives: 2, sampler: 'popularity' }));
  const want = sampleTriples(ui, new Rng(9), { negatives: 2, sampler: 'popularity' }, iu);
  assert.deepEqual(s.epoch(4, new Rng(9)), want);
});

test('shared negatives: one set of S distinct items per mini-batch, masked where a user has them', () => {
  const s = new NegativeSampler(ui, iu, options({ sharedNegatives: 8, batchSize: 16 }));
  const t = s.epoch(1, new Rng(3));
  assert.equal(t.negatives, 0);
  assert.equal(t.neg.length, 0);
  assert.equal(t.users.length, 72, 'one positive per training interaction');
  assert.equal(t.shared?.length, Math.ceil(72 / 16));
  for (const set of t.shared ?? []) {
    assert.equal(new Set(set).size, 8);
    assert.ok(set.every((i) => i >= 0 && i < 40));
  }
  assert.notDeepEqual(t.shared?.[0], t.shared?.[1], 'each batch draws its own');
  const users = t.users.subarray(0, 16);
  const set = t.shared?.[0] ?? new Int32Array(0);
  const mask = s.sharedMask(users, set);
  let masked = 0;
  for (let b = 0; b < 16; b++)
    for (let k = 0; k < 8; k++) {
      assert.equal(mask[b * 8 + k], rowHas(ui, users[b], set[k]) ? 1 : 0);
      masked += mask[b * 8 + k];
    }
  assert.ok(masked > 0, 'the case exercises the mask');
});
