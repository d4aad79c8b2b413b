import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/util/rng.js';
import { LightGcn } from '../../../src/models/lightgcn.js';
import { MatrixFactorization } from '../../../src/models/mf.js';
import type { ModelContext } from '../../../src/models/types.js';
import { InputError } from '../../../src/util/errors.js';
import { contextOf } from './walkContext.js';

/** mf.test.ts's toy: users 0..3, items 0..4, seed 11. */
function tinyContext(): ModelContext {
  const users = Int32Array.of(0, 0, 1, 1, 2, 2, 3);
  const items = Int32Array.of(0, 1, 1, 2, 3, 4, 0);
  return { ...contextOf({ nUsers: 4, nItems: 5, users, items }), rng: new Rng(11) };
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, c) => s + x * b[c], 0);
const softplus = (x: number) => Math.log1p(Math.exp(x));

// triples (0, 1, hard {3, 2}) and (2, 4, hard {0, 1}) as pairs, with shared {0, 2, 4}:
// user 0 has items 0 and 1 (shared 0 masked), user 2 has 3 and 4 (shared 4 masked)
const batch = {
  users: Int32Array.of(0, 0, 2, 2),
  pos: Int32Array.of(1, 1, 4, 4),
  neg: Int32Array.of(3, 2, 0, 1),
  negatives: 2,
  shared: Int32Array.of(0, 2, 4),
  sharedMask: Uint8Array.of(1, 0, 0, 0, 0, 1),
};

/** The mean over every (positive, negative) pair, hard and shared alike, and the L2 sum. */
function expected(
  user: (u: number) => number[],
  item: (i: number) => number[],
  pair: (sPos: number, sNeg: number) => number,
): { loss: number; l2: number } {
  let sum = 0;
  let n = 0;
  let l2 = 0;
  for (const q of [0, 1]) {
    const u = user(batch.users[2 * q]);
    const i = item(batch.pos[2 * q]);
    const sPos = dot(u, i);
    for (const j of [0, 1]) {
      const v = item(batch.neg[2 * q + j]);
      sum += pair(sPos, dot(u, v));
      n++;
      l2 += dot(u, u) + dot(i, i) + dot(v, v);
    }
    for (const [s, id] of [...batch.shared].entries()) {
      if (batch.sharedMask[q * 3 + s]) continue;
      sum += pair(sPos, dot(u, item(id)));
      n++;
    }
  }
  for (const id of batch.shared) l2 += dot(item(id), item(id));
  return { loss: sum / n, l2 };
}

for (const [loss, pair] of [
  ['bpr', (p: number, q: number) => softplus(q - p)],
  ['margin', (p: number, q: number) => Math.max(0, q - p + 0.3)],
] as const) {
  test(`MF ${loss} with hard and shared negatives: the mean over all pairs, the user's own shared items left out`, async () => {
    const reg = 0.2;
    const m = await MatrixFactorization.create(tinyContext(), {
      dim: 3,
      reg,
      loss,
      margin: 0.3,
      initStd: 0.5,
    });
    try {
      const row = (a: Float32Array, r: number) => [...a.subarray(r * 3, r * 3 + 3)];
      const e = expected(
        (u) => row(m.users.data, u),
        (i) => row(m.items.data, i),
        pair,
      );
      const got = m.lossAndGradient(batch);
      const want = e.loss + (reg * 0.5 * e.l2) / 4;
      assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
    } finally {
      await m.dispose();
    }
  });
}

test('MF bce with hard and shared negatives: half the positives mean, half the mean over all negatives', async () => {
  const m = await MatrixFactorization.create(tinyContext(), {
    dim: 3,
    reg: 0,
    loss: 'bce',
    initStd: 0.5,
  });
  try {
    const row = (a: Float32Array, r: number) => [...a.subarray(r * 3, r * 3 + 3)];
    const user = (u: number) => row(m.users.data, u);
    const item = (i: number) => row(m.items.data, i);
    const negatives = expected(user, item, (_p, q) => softplus(q)).loss;
    const positives = (softplus(-dot(user(0), item(1))) + softplus(-dot(user(2), item(4)))) / 2;
    const got = m.lossAndGradient(batch);
    const want = 0.5 * (positives + negatives);
    assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
  } finally {
    await m.dispose();
  }
});

test('LightGCN takes shared negatives too: with 0 layers it is MF on E(0), all negatives shared', async () => {
  const m = await LightGcn.create(tinyContext(), { dim: 3, layers: 0, reg: 0, initStd: 0.5 });
  try {
    const e = (node: number) => [...m.ego.subarray(node * 3, node * 3 + 3)];
    const sharedOnly = {
      users: Int32Array.of(0, 2),
      pos: Int32Array.of(1, 4),
      neg: new Int32Array(0),
      negatives: 0,
      shared: Int32Array.of(0, 2, 4),
      sharedMask: Uint8Array.of(1, 0, 0, 0, 0, 1),
    };
    let sum = 0;
    for (const [q, u] of [0, 2].entries())
      for (const [s, j] of [0, 2, 4].entries())
        if (!sharedOnly.sharedMask[q * 3 + s])
          sum += softplus(dot(e(u), e(4 + j)) - dot(e(u), e(4 + sharedOnly.pos[q])));
    const got = m.lossAndGradient(sharedOnly);
    assert.ok(Math.abs(got - sum / 4) < 1e-5, `${got} vs ${sum / 4}`);
    assert.ok(m.egoGrad.some((g) => g !== 0));
  } finally {
    await m.dispose();
  }
});

test('MF trains on the curriculum: epoch n has n - 1 hard negatives per positive and shared sets', async () => {
  const m = await MatrixFactorization.create(tinyContext(), {
    dim: 4,
    batchSize: 3,
    sharedNegatives: 2,
    hardNegatives: 2,
    curriculum: true,
    hardRankFrom: 0,
    hardRankTo: 1,
  });
  try {
    const seen: number[] = [];
    const original = m.lossAndGradient.bind(m);
    m.lossAndGradient = (b) => {
      seen.push(b.negatives ?? 1);
      assert.equal(b.shared?.length, 2);
      return original(b);
    };
    for (let epoch = 1; epoch <= 4; epoch++) {
      m.beginEpoch(epoch, new Rng(epoch));
      seen.length = 0;
      for (let b = 0; b < m.batchesPerEpoch(); b++) assert.ok(Number.isFinite(m.trainStep(b)));
      assert.deepEqual(new Set(seen), new Set([Math.min(epoch - 1, 2)]), `epoch ${epoch}`);
    }
  } finally {
    await m.dispose();
  }
});

test('a hard window that is empty or reversed is refused before training', async () => {
  await assert.rejects(
    () => MatrixFactorization.create(tinyContext(), { hardRankFrom: 0.3, hardRankTo: 0.2 }),
    (e: Error) =>
      e instanceof InputError &&
      /hardRankFrom < hardRankTo/.test(e.message) &&
      /0\.3/.test(e.message),
  );
});
