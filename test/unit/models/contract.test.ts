/**
 * The contract every trainable model of the registry keeps, checked the same way for each
 * (exact resume from the command line is test/unit/runs/cliResume.test.ts):
 * - a first step gives a finite loss and changes the parameters;
 * - state() then load() into a fresh model gives a model that ranks the same and trains on
 *   to the same bits;
 * - the ranker returns k item ids per user, none of them a training item;
 * - training gives the same bits on 1 and 2 threads, on a graph large enough for the pool to
 *   split the work (above its 2^18 multiply-add threshold).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KnowledgeGraph } from '../../../src/data/types.js';
import { MODELS, resolveHyper } from '../../../src/models/registry.js';
import type { Hyperparameters, TrainableModel } from '../../../src/models/types.js';
import { isTrainable } from '../../../src/models/types.js';
import { epochRng } from '../../../src/train/trainer.js';
import { contextOf, randomTrain } from './walkContext.js';

const trainable = [...MODELS.values()].filter((m) => m.trainable);

/** Settings that keep each check to a second or two; everything else is the model's default. */
const SMALL: Record<string, Hyperparameters> = {
  deepwalk: { walkLength: 10, walksPerNode: 1, window: 3 },
  node2vec: { walkLength: 10, walksPerNode: 1, window: 3 },
};

async function build(
  name: string,
  threads: number,
  nUsers: number,
  nItems: number,
  extra: Hyperparameters = {},
) {
  const entry = MODELS.get(name);
  assert.ok(entry);
  const ctx = { ...contextOf(randomTrain(nUsers, nItems, 3)), threads, kg: toyKg(nItems) };
  const wanted: Hyperparameters = { dim: 16, batchSize: 256, ...SMALL[name], ...extra };
  // only what the model declares (the walk models have no batch size)
  const given = Object.fromEntries(Object.entries(wanted).filter(([k]) => k in entry.hyper));
  const hyper = resolveHyper(entry, given);
  const m = await entry.create(ctx, hyper);
  assert.ok(isTrainable(m), `${name} is trainable`);
  return { model: m, ctx };
}

/** A KG for the models that read one (CKE, TwHIN): item i -> attribute i % 7 (2 relations). */
function toyKg(nItems: number): KnowledgeGraph {
  const heads = Int32Array.from({ length: 2 * nItems }, (_, k) => k >> 1);
  return {
    nEntities: nItems + 14,
    nRelations: 2,
    heads,
    relations: Int32Array.from(heads, (_, k) => k & 1),
    tails: Int32Array.from(heads, (i, k) => nItems + (k & 1) * 7 + (i % 7)),
    itemEntity: Int32Array.from({ length: nItems }, (_, i) => i),
  };
}

function copyState(m: TrainableModel): Record<string, Float32Array> {
  const s = m.state?.();
  assert.ok(s, 'a trainable model has state() for checkpoints');
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.slice()]));
}

async function trainEpoch(m: TrainableModel, epoch: number): Promise<number[]> {
  await m.beginEpoch(epoch, epochRng(5, epoch));
  const losses: number[] = [];
  for (let b = 0; b < m.batchesPerEpoch(); b++) losses.push(await m.trainStep(b));
  return losses;
}

test('the contract covers every trainable model', () => {
  assert.ok(
    trainable.some((m) => m.name === 'gcn'),
    trainable.map((m) => m.name).join(', '),
  );
});

for (const entry of trainable) {
  const name = entry.name;
  if ('sharedNegatives' in entry.hyper)
    test(`${name}: a step with shared and hard negatives (every model that declares them)`, async () => {
      const extra = { sharedNegatives: 8, hardNegatives: 2, curriculum: false };
      const { model } = await build(name, 1, 60, 40, extra);
      try {
        await model.beginEpoch(1, epochRng(5, 1));
        const loss = await model.trainStep(0);
        assert.ok(Number.isFinite(loss), `loss ${loss}`);
      } finally {
        await model.dispose?.();
      }
    });
  test(`${name}: finite first step, state round trip, ranker shape`, async () => {
    const { model: a, ctx } = await build(name, 1, 60, 40);
    const { model: b } = await build(name, 1, 60, 40);
    try {
      const before = copyState(a);
      await a.beginEpoch(1, epochRng(5, 1));
      assert.ok(a.batchesPerEpoch() > 0);
      const loss = await a.trainStep(0);
      assert.ok(Number.isFinite(loss), `first loss ${loss}`);
      const after = copyState(a);
      assert.ok(
        Object.keys(before).some((k) => before[k].some((v, i) => v !== after[k][i])),
        'the step changed some parameter',
      );

      // b (another initialisation, same seed stream) takes a's state: it ranks as a does
      b.load?.(after);
      assert.deepEqual(copyState(b), after);
      const users = Int32Array.from({ length: 60 }, (_, u) => u);
      const k = 5;
      const ra = a.ranker(1);
      const rb = b.ranker(1);
      try {
        const ta = await ra.topK(users, k, [ctx.trainCsr]);
        const tb = await rb.topK(users, k, [ctx.trainCsr]);
        assert.equal(ta.length, users.length * k);
        assert.deepEqual(tb, ta);
        for (let u = 0; u < users.length; u++) {
          const seen = new Set(
            ctx.trainCsr.indices.subarray(ctx.trainCsr.indptr[u], ctx.trainCsr.indptr[u + 1]),
          );
          for (let r = 0; r < k; r++) {
            const item = ta[u * k + r];
            assert.ok(item >= 0 && item < 40, `user ${u} rank ${r}: item ${item}`);
            assert.ok(!seen.has(item), `user ${u} is recommended training item ${item}`);
          }
        }
      } finally {
        await ra.dispose?.();
        await rb.dispose?.();
      }
      // and both train on to the same bits
      const la = await trainEpoch(a, 2);
      const lb = await trainEpoch(b, 2);
      assert.deepEqual(lb, la);
      assert.deepEqual(copyState(b), copyState(a));
    } finally {
      await a.dispose?.();
      await b.dispose?.();
    }
  });

  test(`${name}: the same bits on 1 and 2 threads`, async () => {
    const runs: { losses: number[]; state: Record<string, Float32Array> }[] = [];
    for (const threads of [1, 2]) {
      const { model } = await build(name, threads, 3000, 2000, { dim: 64, batchSize: 2048 });
      try {
        const losses = await trainEpoch(model, 1);
        runs.push({ losses, state: copyState(model) });
      } finally {
        await model.dispose?.();
      }
    }
    assert.deepEqual(runs[1].losses, runs[0].losses);
    for (const k of Object.keys(runs[0].state))
      assert.ok(
        runs[0].state[k].every((v, i) => Object.is(v, runs[1].state[k][i])),
        `${name}: ${k} differs between 1 and 2 threads`,
      );
  });
}
