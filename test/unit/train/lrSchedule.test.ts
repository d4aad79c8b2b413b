import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Interactions } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { modelEntry, resolveHyper } from '../../../src/models/registry.js';
import { isTrainable, type Hyperparameters, type ModelContext } from '../../../src/models/types.js';
import { learningRateSchedule, LR_SCHEDULE_DEFAULTS } from '../../../src/train/lrSchedule.js';
import { trainLoop } from '../../../src/train/trainer.js';
import { InputError } from '../../../src/util/errors.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('constant: the same rate every epoch', () => {
  const at = learningRateSchedule({ ...LR_SCHEDULE_DEFAULTS, lr: 0.003 }, 'm');
  for (const e of [1, 2, 50, 1000]) assert.equal(at(e), 0.003);
});

test('cosine: lr at epoch 1, falling by (1 + cos(pi (e-1)/T)) / 2 to lrMin after T epochs', () => {
  const at = learningRateSchedule({ lr: 4e-3, lrSchedule: 'cosine', lrEpochs: 4, lrMin: 0 }, 'm');
  // by hand: cos(pi/4) = 0.70711, cos(pi/2) = 0, cos(3pi/4) = -0.70711
  close(at(1), 4e-3);
  close(at(2), 2e-3 * (1 + Math.SQRT1_2)); // 3.4142e-3
  close(at(3), 2e-3);
  close(at(4), 2e-3 * (1 - Math.SQRT1_2)); // 0.5858e-3
  assert.equal(at(5), 0);
  assert.equal(at(40), 0);
  const withMin = learningRateSchedule(
    { lr: 1e-3, lrSchedule: 'cosine', lrEpochs: 2, lrMin: 1e-4 },
    'm',
  );
  close(withMin(1), 1e-3);
  close(withMin(2), 1e-4 + 0.9e-3 * 0.5);
  close(withMin(3), 1e-4);
});

test('a bad schedule names the hyperparameter and what was expected', () => {
  const bad: [Record<string, number | string>, string, RegExp][] = [
    [{ lrSchedule: 'step' }, 'lrSchedule=step', /one of constant, cosine/],
    [{ lrSchedule: 'cosine', lrEpochs: 0 }, 'lrEpochs=0', /integer >= 1/],
    [{ lrSchedule: 'cosine', lrEpochs: 2.5 }, 'lrEpochs=2.5', /integer >= 1/],
    [{ lrSchedule: 'cosine', lrEpochs: 10, lrMin: 0.5 }, 'lrMin=0.5', /between 0 and lr/],
    [{ lr: 0 }, 'lr=0', /> 0/],
  ];
  for (const [over, found, expected] of bad)
    assert.throws(
      () =>
        learningRateSchedule({ ...LR_SCHEDULE_DEFAULTS, lr: 1e-3, ...over } as never, 'lightgcn'),
      (e: unknown) =>
        e instanceof InputError &&
        e.file === 'lightgcn hyperparameters' &&
        e.text === found &&
        expected.test(e.expected),
    );
});

function tinyContext(): ModelContext {
  const users = Int32Array.of(0, 0, 1, 1, 2, 2, 2, 3);
  const items = Int32Array.of(0, 1, 1, 2, 2, 3, 4, 0);
  const train: Interactions = { nUsers: 4, nItems: 5, users, items };
  return {
    train,
    trainCsr: buildCsr(4, 5, users, items),
    trainCsrT: buildCsr(5, 4, items, users),
    rng: new Rng(5),
    threads: 1,
    log: () => undefined,
  };
}

/** The model's parameters after beginEpoch(epoch) and one step on batch 0. */
async function afterOneStep(model: string, hyper: Hyperparameters, epoch: number) {
  const entry = modelEntry(model);
  const m = await entry.create(tinyContext(), resolveHyper(entry, hyper));
  try {
    assert.ok(isTrainable(m) && m.state);
    await m.beginEpoch(epoch, new Rng(11));
    await m.trainStep(0);
    return Object.fromEntries(Object.entries(m.state()).map(([k, v]) => [k, Float32Array.from(v)]));
  } finally {
    await m.dispose?.();
  }
}

test('MF, LightGCN and NGCF step with the schedule’s rate of the epoch begun', async () => {
  const cosine = { lr: 0.01, lrSchedule: 'cosine', lrEpochs: 4, lrMin: 0 };
  for (const model of ['mf', 'lightgcn', 'ngcf']) {
    const base = { dim: 4, batchSize: 4, ...(model === 'ngcf' && { messageDropout: 0 }) };
    // epoch 3 of 4: rate 0.005; a constant 0.005 must give the same bits, 0.01 must not
    const scheduled = await afterOneStep(model, { ...base, ...cosine }, 3);
    const same = await afterOneStep(model, { ...base, lr: 0.005 }, 3);
    const other = await afterOneStep(model, { ...base, lr: 0.01 }, 3);
    for (const k of Object.keys(same)) {
      if (k.endsWith('.m') || k.endsWith('.v') || k.endsWith('.t')) continue;
      assert.deepEqual(scheduled[k], same[k], `${model} ${k}`);
    }
    const differs = Object.keys(same).some(
      (k) => !k.match(/\.(m|v|t)$/) && other[k].some((x, i) => x !== same[k][i]),
    );
    assert.ok(differs, `${model}: a rate of 0.01 changes the parameters`);
  }
});

test('each epoch record carries the rate it trained with (metrics.jsonl, the curves)', async () => {
  const entry = modelEntry('lightgcn');
  const hyper = { dim: 4, batchSize: 4, lr: 0.01, lrSchedule: 'cosine', lrEpochs: 2, lrMin: 0.001 };
  const m = await entry.create(tinyContext(), resolveHyper(entry, hyper));
  try {
    assert.ok(isTrainable(m));
    const { history } = await trainLoop(m, {
      epochs: 3,
      evalEvery: 0,
      patience: 0,
      metric: 'recall@20',
      seed: 1,
      evaluate: () => Promise.reject(new Error('not evaluated')),
    });
    const want = [0.01, 0.001 + 0.009 / 2, 0.001];
    assert.equal(history.length, 3);
    history.forEach((r, e) => close(r.lr ?? NaN, want[e]));
  } finally {
    await m.dispose?.();
  }
});
