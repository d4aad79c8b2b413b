import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsDotRanker } from '../../../src/eval/ranking.js';
import type { TrainableModel } from '../../../src/models/types.js';
import { CancelledError, trainLoop } from '../../../src/train/trainer.js';
import { TrainingError } from '../../../src/util/errors.js';

/** A model whose per-batch losses and per-epoch metric are scripted. */
function scripted(losses: number[], batches = 2): TrainableModel & { steps: number } {
  let i = 0;
  return {
    name: 'scripted',
    steps: 0,
    beginEpoch() {},
    batchesPerEpoch: () => batches,
    trainStep() {
      this.steps++;
      return losses[i++ % losses.length];
    },
    ranker: () => new JsDotRanker(new Float32Array(1), new Float32Array(1), 1),
  };
}

const base = { seed: 1, metric: 'recall@20', patience: 0 };

test('trainLoop reports mean loss per epoch and evaluates every N epochs and at the end', async () => {
  const evals: number[] = [];
  let epoch = 0;
  const r = await trainLoop(scripted([1, 3]), {
    ...base,
    epochs: 5,
    evalEvery: 2,
    evaluate: async () => {
      evals.push(epoch);
      return { metrics: { 'recall@20': 0.1 }, seconds: 0, on: 'test' as const };
    },
    onEpoch: (rec) => {
      epoch = rec.epoch;
    },
  });
  assert.deepEqual(
    r.history.map((h) => h.loss),
    [2, 2, 2, 2, 2],
  );
  assert.deepEqual(
    r.history.map((h) => Boolean(h.metrics)),
    [false, true, false, true, true],
  );
  assert.equal(evals.length, 3);
});

test('trainLoop stops with a clear error when the loss becomes NaN', async () => {
  await assert.rejects(
    trainLoop(scripted([0.5, NaN]), {
      ...base,
      epochs: 3,
      evalEvery: 0,
      evaluate: async () => ({ metrics: {}, seconds: 0, on: 'test' }),
    }),
    (e: unknown) =>
      e instanceof TrainingError && /loss became NaN at epoch 1, batch 2 of 2/.test(e.message),
  );
});

test('trainLoop cancels between batches', async () => {
  const ac = new AbortController();
  const m = scripted([1], 10);
  const p = trainLoop(m, {
    ...base,
    epochs: 3,
    evalEvery: 0,
    signal: ac.signal,
    evaluate: async () => ({ metrics: {}, seconds: 0, on: 'test' }),
    onBatch: (b) => {
      if (b.epoch === 2 && b.batch === 4) ac.abort();
    },
  });
  await assert.rejects(p, (e: unknown) => e instanceof CancelledError && e.epoch === 2);
  assert.equal(m.steps, 14);
});

test('trainLoop stops early after `patience` evaluations without improvement and reports the best', async () => {
  const scores = [0.1, 0.3, 0.2, 0.25, 0.29, 0.5];
  let k = 0;
  const best: number[] = [];
  const r = await trainLoop(scripted([1]), {
    ...base,
    patience: 3,
    epochs: 6,
    evalEvery: 1,
    evaluate: async () => ({ metrics: { 'recall@20': scores[k++] }, seconds: 0, on: 'valid' }),
    onBest: (rec) => {
      best.push(rec.epoch);
    },
  });
  assert.equal(r.stoppedEarly, true);
  assert.equal(r.history.length, 5);
  assert.equal(r.bestEpoch, 2);
  assert.deepEqual(best, [1, 2]);
});
