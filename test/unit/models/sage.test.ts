import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { GraphSage, type SageHyper } from '../../../src/models/sage.js';
import { modelEntry, resolveHyper } from '../../../src/models/registry.js';
import type { Embeddings } from '../../../src/models/types.js';
import { softplus } from '../../../src/train/losses.js';
import { epochRng } from '../../../src/train/trainer.js';
import { contextOf, randomTrain } from './walkContext.js';

const near = (a: ArrayLike<number>, b: readonly number[], tol = 1e-6): void => {
  assert.equal(a.length, b.length);
  for (let k = 0; k < b.length; k++)
    assert.ok(Math.abs(a[k] - b[k]) < tol, `[${k}]: ${a[k]} vs ${b[k]} (${Array.from(a)})`);
};

test('one mean layer by hand: [h_v || mean of neighbours] W, then divided by its L2 norm', async () => {
  // users 0, 1; items 0, 1 (nodes 2, 3): user 0 has both items, user 1 item 1
  const ctx = contextOf({
    nUsers: 2,
    nItems: 2,
    users: Int32Array.of(0, 0, 1),
    items: Int32Array.of(0, 1, 1),
  });
  const m = await GraphSage.create(ctx, { dim: 2, layers: 1, aggregator: 'mean' });
  try {
    const s = m.state();
    s.ego.set([1, 0, 0, 2, 1, 1, -1, 3]);
    // rows: h_v[0], h_v[1], h_N[0], h_N[1] -> out = [h0 + hN0, h1 + hN0 - hN1]
    s.W0.set([1, 0, 0, 1, 1, 1, 0, -1]);
    const e = m.embeddings();
    const r5 = Math.sqrt(5);
    const r65 = Math.sqrt(6.5);
    // user 0: h_N = ([1, 1] + [-1, 3]) / 2 = [0, 2] -> [1, -2]
    // user 1: h_N = [-1, 3] -> [-1, -2]
    near(e.users, [1 / r5, -2 / r5, -1 / r5, -2 / r5]);
    // item 0: h_N = user 0 = [1, 0] -> [2, 2]; item 1: h_N = [0.5, 1] -> [-0.5, 2.5]
    near(e.items, [Math.SQRT1_2, Math.SQRT1_2, -0.5 / r65, 2.5 / r65]);
  } finally {
    await m.dispose();
  }
});

/** The batch's BPR loss (reg 0) from full-graph vectors, in float64. */
function bprFrom(e: Embeddings, users: Int32Array, pos: Int32Array, neg: Int32Array): number {
  const d = e.dim;
  const dot = (u: number, i: number): number => {
    let s = 0;
    for (let c = 0; c < d; c++) s += e.users[u * d + c] * e.items[i * d + c];
    return s;
  };
  let loss = 0;
  users.forEach((u, k) => (loss += softplus(-(dot(u, pos[k]) - dot(u, neg[k])))));
  return loss / users.length;
}

for (const aggregator of ['mean', 'pool'] as const)
  test(`the sampled minibatch (Algorithm 2) with fanouts above every degree is the full-graph forward (${aggregator})`, async () => {
    const train = randomTrain(12, 9, 4);
    const batch = {
      users: Int32Array.of(0, 3, 3, 7, 11),
      pos: Int32Array.of(1, 0, 8, 2, 2),
      neg: Int32Array.of(5, 4, 0, 2, 6),
    };
    const hyper: Partial<SageHyper> = { dim: 8, layers: 2, aggregator, reg: 0 };
    const full = await GraphSage.create(contextOf(train), { ...hyper, fanouts: '100,100' });
    const sampled = await GraphSage.create(contextOf(train), { ...hyper, fanouts: '1,1' });
    try {
      const expected = bprFrom(full.embeddings(), batch.users, batch.pos, batch.neg);
      assert.ok(Math.abs(full.lossAndGradient(batch) - expected) < 1e-6);
      // one neighbour per node is a different graph (each of these users has 2+ items)
      assert.ok(Math.abs(sampled.lossAndGradient(batch) - expected) > 1e-4);
    } finally {
      await full.dispose();
      await sampled.dispose();
    }
  });

/** Mean batch loss of each epoch from `from` to `to`, as the train loop runs them. */
function epochs(m: GraphSage, from: number, to: number): number[] {
  const out: number[] = [];
  for (let e = from; e <= to; e++) {
    m.beginEpoch(e, epochRng(7, e));
    let sum = 0;
    for (let b = 0; b < m.batchesPerEpoch(); b++) sum += m.trainStep(b);
    out.push(sum / m.batchesPerEpoch());
  }
  return out;
}

const SMALL: Partial<SageHyper> = { dim: 16, batchSize: 64, lr: 0.01, fanouts: '4,3' };

for (const aggregator of ['mean', 'pool'] as const)
  test(`trains on a tiny dataset: the BPR loss falls (${aggregator})`, async () => {
    const m = await GraphSage.create(contextOf(randomTrain(40, 30, 2)), { ...SMALL, aggregator });
    try {
      const before = Object.entries(m.state()).map(([k, v]) => [k, v.slice()] as const);
      const losses = epochs(m, 1, 12);
      assert.ok(losses.every(Number.isFinite));
      assert.ok(losses[11] < 0.8 * losses[0], `losses ${losses.map((l) => l.toFixed(4))}`);
      // every parameter is reached by the gradient (the ids through the sampled blocks too)
      const after = m.state();
      for (const [k, v] of before)
        if (!k.startsWith('adam')) assert.notDeepEqual(after[k], v, `${k} did not move`);
    } finally {
      await m.dispose();
    }
  });

test('a run resumed from a checkpoint samples and trains exactly as one run straight through', async () => {
  const train = randomTrain(40, 30, 3);
  const straight = await GraphSage.create(contextOf(train), SMALL);
  const first = await GraphSage.create(contextOf(train), SMALL);
  const resumed = await GraphSage.create(contextOf(train), SMALL);
  try {
    const all = epochs(straight, 1, 3);
    epochs(first, 1, 1);
    resumed.load(first.state());
    assert.deepEqual(epochs(resumed, 2, 3), all.slice(1));
  } finally {
    await Promise.all([straight.dispose(), first.dispose(), resumed.dispose()]);
  }
});

test('the same losses on 1 and 3 threads, and pool memory stays flat from step to step', async () => {
  // large enough for the pool to split the aggregation's SpMM and scatter across threads
  const train = randomTrain(600, 400, 5);
  const hyper: Partial<SageHyper> = { batchSize: 512, fanouts: '10,10' };
  const one = await GraphSage.create({ ...contextOf(train), threads: 1 }, hyper);
  const three = await GraphSage.create({ ...contextOf(train), threads: 3 }, hyper);
  try {
    const heap = (m: GraphSage) => (m as unknown as { pool: Pool }).pool.heap.usedBytes;
    one.beginEpoch(1, epochRng(7, 1));
    three.beginEpoch(1, epochRng(7, 1));
    const used: number[] = [];
    for (let b = 0; b < one.batchesPerEpoch(); b++) {
      assert.equal(three.trainStep(b), one.trainStep(b), `batch ${b}`);
      used.push(heap(three));
    }
    assert.ok(used.length >= 4);
    // the arena grows to the largest batch: flat once every batch size has been seen
    assert.deepEqual(
      used.slice(2, -1),
      used.slice(2, -1).map(() => used[1]),
    );
  } finally {
    await Promise.all([one.dispose(), three.dispose()]);
  }
});

test('fanouts: one integer >= 1 per layer, refused before any data is read', () => {
  const entry = modelEntry('graphsage');
  assert.deepEqual(resolveHyper(entry, { layers: 1 }).fanouts, '25,10');
  assert.throws(
    () => resolveHyper(entry, { layers: 3 }, 'exp.reclab.json'),
    /InputError: exp\.reclab\.json: expected fanouts to be at least layers \(3\) comma-separated integers >= 1/,
  );
  assert.throws(() => resolveHyper(entry, { fanouts: '25,x' }), /found "fanouts=25,x"/);
  assert.throws(() => resolveHyper(entry, { fanouts: '25,0' }), /found "fanouts=25,0"/);
  assert.throws(() => resolveHyper(entry, { aggregator: 'lstm' }), /one of mean, pool/);
});
