/**
 * The two-stage pipeline on a small random graph: its lists are reorderings of the generator's
 * candidates (so the candidates' recall bounds the final recall), its stage report agrees with
 * the full-ranking evaluator, its MLP learns, and its examples keep labels out of the features.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr, userItemCsr } from '../../../src/data/csr.js';
import { Rng } from '../../../src/util/rng.js';
import { evaluate } from '../../../src/eval/evaluate.js';
import { holdOutLabels } from '../../../src/models/candidateExamples.js';
import { MODELS, modelEntry, resolveHyper } from '../../../src/models/registry.js';
import { TwoStage, type TwoStageHyper } from '../../../src/models/twoStage.js';
import { evaluateStages } from '../../../src/models/twoStageEval.js';
import { epochRng } from '../../../src/train/trainer.js';
import { InputError } from '../../../src/util/errors.js';
import { contextOf, randomTrain } from './walkContext.js';

const N_USERS = 200;
const N_ITEMS = 120;
const all = randomTrain(N_USERS, N_ITEMS, 7);
// every 4th interaction is a test one
const pick = (keep: (k: number) => boolean) => {
  const ks = [...all.users.keys()].filter(keep);
  return {
    nUsers: N_USERS,
    nItems: N_ITEMS,
    users: Int32Array.from(ks, (k) => all.users[k]),
    items: Int32Array.from(ks, (k) => all.items[k]),
  };
};
const train = pick((k) => k % 4 !== 3);
const testCsr = userItemCsr(pick((k) => k % 4 === 3));
const ctx = contextOf(train);

async function pipeline(hyper: Partial<TwoStageHyper>): Promise<TwoStage> {
  const entry = MODELS.get('twostage');
  assert.ok(entry);
  const hp = resolveHyper(entry, { candidates: 20, batchSize: 64, ...hyper });
  return (await entry.create({ ...ctx, rng: new Rng(3) }, hp)) as TwoStage;
}

async function trainEpochs(m: TwoStage, epochs: number): Promise<number[]> {
  const means: number[] = [];
  for (let e = 1; e <= epochs; e++) {
    await m.beginEpoch(e, epochRng(5, e));
    let sum = 0;
    for (let b = 0; b < m.batchesPerEpoch(); b++) sum += await m.trainStep(b);
    means.push(sum / m.batchesPerEpoch());
  }
  return means;
}

test('the final list is a reordering of the candidates, never a training item', async () => {
  const m = await pipeline({ generator: 'itemknn' });
  try {
    await trainEpochs(m, 3);
    const users = Int32Array.from({ length: N_USERS }, (_, u) => u);
    const gen = m.generator.ranker(1);
    const ranker = m.ranker(1);
    const candidates = await gen.topK(users, 20, [ctx.trainCsr]);
    const final = await ranker.topK(users, 10, [ctx.trainCsr]);
    let reordered = 0;
    for (let u = 0; u < N_USERS; u++) {
      const cand = Array.from(candidates.subarray(u * 20, (u + 1) * 20));
      const list = Array.from(final.subarray(u * 10, (u + 1) * 10));
      const seen = new Set(
        ctx.trainCsr.indices.subarray(ctx.trainCsr.indptr[u], ctx.trainCsr.indptr[u + 1]),
      );
      for (const i of list.filter((x) => x >= 0)) {
        assert.ok(cand.includes(i), `user ${u}: item ${i} is not a candidate`);
        assert.ok(!seen.has(i), `user ${u}: training item ${i}`);
      }
      if (list.some((i, r) => i !== cand[r])) reordered++;
    }
    // the ranker does change the generator's order (else the test would not test it)
    assert.ok(reordered > N_USERS / 4, `${reordered} users' lists reordered`);
    assert.ok(ranker.seconds.generate > 0 && ranker.seconds.rank > 0);
    await gen.dispose?.();
    await ranker.dispose?.();
  } finally {
    await m.dispose();
  }
});

test("the stage report: the final metrics are the evaluator's, bounded by candidate recall", async () => {
  const m = await pipeline({ generator: 'rp3beta' });
  try {
    await trainEpochs(m, 2);
    const report = await evaluateStages(m, {
      test: testCsr,
      exclude: [ctx.trainCsr],
      ks: [5, 10],
      threads: 1,
      cutoffs: [10, 50],
    });
    const ranker = m.ranker(1);
    const full = await evaluate({ ranker, train: ctx.trainCsr, test: testCsr, ks: [5, 10] });
    await ranker.dispose?.();
    for (const key of ['recall@5', 'recall@10', 'ndcg@5', 'ndcg@10'])
      assert.ok(Math.abs(report.metrics[key] - full.metrics[key]) < 1e-12, key);
    assert.equal(report.users, full.users);
    assert.deepEqual(Object.keys(report.candidateRecall), ['recall@10', 'recall@20', 'recall@50']);
    assert.ok(report.metrics['recall@10'] <= report.candidateRecall['recall@20'] + 1e-12);
    assert.ok(report.candidateRecall['recall@10'] <= report.candidateRecall['recall@20']);
    assert.ok(report.candidateRecall['recall@20'] <= report.candidateRecall['recall@50']);
    assert.ok(report.metrics['recall@10'] > 0, 'the pipeline finds some test items');
  } finally {
    await m.dispose();
  }
});

test('the MLP ranker learns: its BPR loss falls over epochs', async () => {
  const m = await pipeline({ generator: 'popularity' });
  try {
    const losses = await trainEpochs(m, 8);
    assert.ok(losses.every(Number.isFinite), losses.join(', '));
    assert.ok(losses[7] < 0.9 * losses[0], `losses ${losses.map((l) => l.toFixed(4)).join(', ')}`);
  } finally {
    await m.dispose();
  }
});

test('a trainable model of the registry ranks the candidates too', async () => {
  const m = await pipeline({ generator: 'popularity', ranker: 'mf' });
  try {
    const before = Object.values(m.state())[0];
    const copy = before.slice();
    await trainEpochs(m, 1);
    assert.ok(
      copy.some((v, i) => v !== before[i]),
      'mf trained',
    );
    const r = m.ranker(1);
    const top = await r.topK(Int32Array.of(0, 1), 5, [ctx.trainCsr]);
    await r.dispose?.();
    assert.equal(top.length, 10);
  } finally {
    await m.dispose();
  }
});

test('a generator that trains is refused, by the declared choices and by create()', async () => {
  const entry = modelEntry('twostage');
  assert.throws(
    () => resolveHyper(entry, { generator: 'mf' }),
    /generator to be one of popularity/,
  );
  await assert.rejects(
    TwoStage.create(ctx, { generator: 'mf' }, modelEntry),
    (e) => e instanceof InputError && /does not train/.test(e.message),
  );
});

test('held-out labels: disjoint from the kept part, together the training items', () => {
  const csr = buildCsr(
    3,
    10,
    Int32Array.of(0, 0, 0, 0, 0, 1, 1, 2),
    Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  );
  const { kept, labels } = holdOutLabels(csr, 0.4, new Rng(1));
  const keptCsr = userItemCsr(kept);
  const row = (m: typeof csr, u: number) =>
    Array.from(m.indices.subarray(m.indptr[u], m.indptr[u + 1]));
  // user 0: round(0.4 * 5) = 2 labels; user 1: 1 (of 2, keeping one); user 2 (one item): none
  assert.deepEqual(
    [0, 1, 2].map((u) => row(labels, u).length),
    [2, 1, 0],
  );
  for (let u = 0; u < 3; u++) {
    const k = row(keptCsr, u);
    const l = row(labels, u);
    assert.ok(k.length >= 1);
    assert.ok(l.every((i) => !k.includes(i)));
    assert.deepEqual([...k, ...l].sort(), row(csr, u).sort());
  }
});
