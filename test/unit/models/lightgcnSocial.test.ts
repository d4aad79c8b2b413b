import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr, itemUserCsr, userItemCsr } from '../../../src/data/csr.js';
import type { Csr, Interactions } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { normalizedAdjacency } from '../../../src/graph/adjacency.js';
import { LightGcn } from '../../../src/models/lightgcn.js';
import type { ModelContext } from '../../../src/models/types.js';
import { InputError } from '../../../src/util/errors.js';

const train: Interactions = {
  nUsers: 3,
  nItems: 2,
  users: Int32Array.of(0, 1, 1),
  items: Int32Array.of(0, 0, 1),
};
/** friendships 0-2 and 1-2 */
const social: Csr = buildCsr(3, 3, Int32Array.of(0, 1, 2, 2), Int32Array.of(2, 2, 0, 1));

function context(withSocial: boolean): ModelContext {
  return {
    train,
    trainCsr: userItemCsr(train),
    trainCsrT: itemUserCsr(train),
    ...(withSocial ? { social } : {}),
    rng: new Rng(1),
    threads: 1,
    log: () => undefined,
  };
}

test('lightgcn socialEdges: propagates over the joint graph; off (the default) ignores the friends', async () => {
  const joint = await LightGcn.create(context(true), { dim: 4, socialEdges: true });
  const plain = await LightGcn.create(context(true), { dim: 4 });
  try {
    assert.deepEqual(joint.adj, normalizedAdjacency(train, { social }));
    assert.equal(joint.adj.indices.length, 6 + 4);
    assert.deepEqual(plain.adj, normalizedAdjacency(train));
  } finally {
    await joint.dispose();
    await plain.dispose();
  }
});

test('lightgcn socialEdges on a dataset without a user-user relation is refused', async () => {
  await assert.rejects(
    LightGcn.create(context(false), { socialEdges: true }),
    (e: unknown) =>
      e instanceof InputError &&
      e.message ===
        'lightgcn hyperparameters: expected a dataset with a user-user relation for socialEdges (e.g. lastfm-social:<dir>) (found "socialEdges true")',
  );
});
