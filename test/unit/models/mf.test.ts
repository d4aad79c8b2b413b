import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Interactions } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { MatrixFactorization } from '../../../src/models/mf.js';
import type { ModelContext } from '../../../src/models/types.js';

function tinyContext(): ModelContext {
  const users = Int32Array.of(0, 0, 1, 1, 2, 2, 3);
  const items = Int32Array.of(0, 1, 1, 2, 3, 4, 0);
  const train: Interactions = { nUsers: 4, nItems: 5, users, items };
  return {
    train,
    trainCsr: buildCsr(4, 5, users, items),
    trainCsrT: buildCsr(5, 4, items, users),
    rng: new Rng(11),
    threads: 1,
    log: () => undefined,
  };
}

for (const loss of ['bpr', 'bce'] as const) {
  test(`MF ${loss}: the tape's gradient matches finite differences (L2 included)`, async () => {
    const mf = await MatrixFactorization.create(tinyContext(), {
      dim: 3,
      loss,
      reg: 0.5,
      initStd: 0.5,
    });
    // four triples with 2 negatives each, as the pairs the trainer makes of them
    const batch = {
      users: Int32Array.of(0, 0, 1, 1, 2, 2, 0, 0),
      pos: Int32Array.of(1, 1, 2, 2, 3, 3, 0, 0),
      neg: Int32Array.of(2, 4, 4, 0, 3, 1, 3, 2),
    };
    const f = () => mf.lossAndGradient(batch);
    f();
    const gU = Float64Array.from(mf.users.grad);
    const gI = Float64Array.from(mf.items.grad);
    const h = 1e-2;
    for (const [params, grad] of [
      [mf.users.data, gU],
      [mf.items.data, gI],
    ] as const) {
      for (let k = 0; k < params.length; k++) {
        const x = params[k];
        params[k] = x + h;
        const up = f();
        params[k] = x - h;
        const down = f();
        params[k] = x;
        const fd = (up - down) / (2 * h);
        assert.ok(
          Math.abs(fd - grad[k]) < 1e-3 + 1e-2 * Math.abs(fd),
          `param ${k}: analytic ${grad[k]} vs numeric ${fd}`,
        );
      }
    }
    await mf.dispose();
  });
}

test('MF BPR lowers its loss over epochs and ranks held-in positives above random items', async () => {
  const ctx = tinyContext();
  const mf = await MatrixFactorization.create(ctx, { dim: 8, lr: 0.05, batchSize: 4, reg: 0 });
  const rng = new Rng(5);
  const epochLoss: number[] = [];
  for (let e = 1; e <= 60; e++) {
    mf.beginEpoch(e, rng);
    let s = 0;
    for (let b = 0; b < mf.batchesPerEpoch(); b++) s += mf.trainStep(b);
    epochLoss.push(s / mf.batchesPerEpoch());
  }
  assert.ok(epochLoss[59] < epochLoss[0] * 0.5, `loss ${epochLoss[0]} -> ${epochLoss[59]}`);
  // user 2 likes items 3 and 4: they must outscore item 1 (never co-liked with them)
  const e = mf.embeddings();
  const s = (u: number, i: number) => {
    let x = 0;
    for (let k = 0; k < e.dim; k++) x += e.users[u * e.dim + k] * e.items[i * e.dim + k];
    return x;
  };
  assert.ok(s(2, 3) > s(2, 1) && s(2, 4) > s(2, 1));
  await mf.dispose();
});

test('MF is reproducible from its seed', async () => {
  const run = async () => {
    const mf = await MatrixFactorization.create(tinyContext(), { dim: 4, batchSize: 3 });
    const rng = new Rng(9);
    mf.beginEpoch(1, rng);
    for (let b = 0; b < mf.batchesPerEpoch(); b++) mf.trainStep(b);
    const out = mf.users.data.slice();
    await mf.dispose();
    return out;
  };
  assert.deepEqual(await run(), await run());
});
