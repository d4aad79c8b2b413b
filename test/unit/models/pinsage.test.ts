import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/util/rng.js';
import { PinSage } from '../../../src/models/pinsage.js';
import { InputError } from '../../../src/util/errors.js';
import { contextOf, randomTrain } from './walkContext.js';

const ctx = () => contextOf(randomTrain(40, 30, 3));

/** Mean batch loss of each epoch over `epochs` epochs. */
async function epochLosses(m: PinSage, epochs: number): Promise<number[]> {
  const out: number[] = [];
  for (let e = 1; e <= epochs; e++) {
    m.beginEpoch(e, new Rng(100 + e));
    let sum = 0;
    const n = m.batchesPerEpoch();
    for (let b = 0; b < n; b++) sum += m.trainStep(b);
    out.push(sum / n);
  }
  return out;
}

for (const [label, hyper] of [
  ['importance pooling, shared negatives', {}],
  ['mean pooling', { pooling: 'mean' }],
  ['importance pooling, hard negatives on the curriculum', { hardNegatives: 3, curriculum: true }],
] as const) {
  test(`PinSAGE trains (${label}): the max-margin loss falls`, async () => {
    const m = await PinSage.create(ctx(), {
      dim: 16,
      batchSize: 32,
      lr: 0.01,
      sharedNegatives: 10,
      walksPerNode: 20,
      ...hyper,
    });
    try {
      const losses = await epochLosses(m, 12);
      assert.ok(losses.every(Number.isFinite));
      const first = losses[0];
      const last = losses.slice(-3).reduce((a, b) => a + b) / 3;
      assert.ok(last < 0.7 * first, `loss ${first} -> ${last}`);
      const e = m.embeddings();
      assert.equal(e.users.length, 40 * 16);
      assert.ok(e.items.every(Number.isFinite));
    } finally {
      await m.dispose();
    }
  });
}

test('importance and mean pooling give different vectors from the same parameters and neighbourhoods', async () => {
  const a = await PinSage.create(ctx(), { dim: 8 });
  const b = await PinSage.create(ctx(), { dim: 8, pooling: 'mean' });
  try {
    assert.deepEqual(a.neighbourhoods, b.neighbourhoods);
    // some node's neighbours weigh unequally, so the weighted mean differs from the mean
    const { indptr, values } = a.neighbourhoods;
    let unequal = false;
    for (let v = 0; v < a.neighbourhoods.nRows && !unequal; v++)
      for (let e = indptr[v]; e < indptr[v + 1]; e++)
        unequal ||= Math.abs(values[e] - 1 / (indptr[v + 1] - indptr[v])) > 1e-6;
    assert.ok(unequal);
    assert.notDeepEqual(a.embeddings().users, b.embeddings().users);
  } finally {
    await a.dispose();
    await b.dispose();
  }
});

test('an unknown pooling is refused, naming it', async () => {
  await assert.rejects(
    () => PinSage.create(ctx(), { pooling: 'max' }),
    (e: Error) => e instanceof InputError && /pooling one of importance, mean/.test(e.message),
  );
});
