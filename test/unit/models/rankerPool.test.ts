import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { DotRanker } from '../../../src/engine/ranker/dotRanker.js';
import { Rng } from '../../../src/util/rng.js';
import { dotRanker } from '../../../src/models/rankers.js';
import { MODELS } from '../../../src/models/registry.js';
import type { ModelContext, Recommender } from '../../../src/models/types.js';

/** 30 users with 4 items each among 40, on `threads` threads. */
function context(threads: number): ModelContext {
  const rng = new Rng(5);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 30; u++)
    for (const i of new Set(Array.from({ length: 4 }, () => rng.int(40)))) {
      users.push(u);
      items.push(i);
    }
  const U = Int32Array.from(users);
  const I = Int32Array.from(items);
  return {
    train: { nUsers: 30, nItems: 40, users: U, items: I },
    trainCsr: buildCsr(30, 40, U, I),
    trainCsrT: buildCsr(40, 30, I, U),
    rng: new Rng(7),
    threads,
    log: () => undefined,
  };
}

// Starting a pool (workers, kernels) for each evaluation cost MF 0.3 s an evaluation on ml-100k.
for (const name of ['mf', 'lightgcn', 'ngcf']) {
  test(`${name}: every evaluation ranks on the one pool the model keeps, with the same results`, async () => {
    const ctx = context(2);
    const entry = MODELS.get(name);
    assert.ok(entry);
    const model: Recommender = await entry.create(ctx, { dim: 8 });
    const users = Int32Array.from({ length: 30 }, (_, u) => u);
    try {
      const first = model.ranker(2) as DotRanker;
      const second = model.ranker(2) as DotRanker;
      assert.equal(first.pool, second.pool, 'one pool for both evaluations');
      const own = dotRanker(model.embeddings?.() ?? assert.fail('embeddings'), 2) as DotRanker;
      assert.notEqual(own.pool, first.pool);
      const expected = await own.topK(users, 5, [ctx.trainCsr]);
      assert.deepEqual(await first.topK(users, 5, [ctx.trainCsr]), expected);
      await first.dispose();
      // disposing a ranker leaves the model's pool running for the next evaluation
      assert.deepEqual(await second.topK(users, 5, [ctx.trainCsr]), expected);
      await Promise.all([second.dispose(), own.dispose()]);
    } finally {
      await model.dispose?.();
    }
  });
}
