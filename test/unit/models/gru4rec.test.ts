/**
 * GRU4Rec: one GRU step against values worked out by hand from the paper's equations, and
 * training on sessions whose next item depends on the item before the previous one (which only
 * a recurrent state can know), with a checkpoint round trip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sequencesOf } from '../../../src/data/sequences.js';
import type { Interactions } from '../../../src/data/types.js';
import { Pool } from '../../../src/engine/pool.js';
import { Tape } from '../../../src/engine/tape/tape.js';
import { evaluateNextItem } from '../../../src/eval/nextItem.js';
import { Gru4Rec, gruCell } from '../../../src/models/gru4rec.js';
import { epochRng } from '../../../src/train/trainer.js';
import { contextOf } from './walkContext.js';

test('one GRU step: z, r, ĥ and h as the paper writes them (hidden 2, input 1)', async () => {
  const pool = await Pool.create({ threads: 1, kernels: 'js' });
  const t = new Tape(pool);
  try {
    const c = (v: number[], rows: number, cols: number) => t.constant(v, rows, cols);
    const h = gruCell(t, c([1], 1, 1), c([0.5, -1], 1, 2), {
      // [W_z | W_r | W] and its bias
      wx: c([0.2, -0.3, 0.4, 0.1, -0.5, 0.6], 1, 6),
      bx: c([0.1, 0, 0, -0.1, 0.2, 0], 1, 6),
      // [U_z | U_r], then U
      uzr: c([0.5, 0.1, -0.2, 0.3, 0.0, 0.4, 0.1, -0.1], 2, 4),
      u: c([0.3, -0.2, 0.1, 0.5], 2, 2),
    });
    // z = sigma(0.3 + 0.25, -0.3 + 0.05 - 0.4) = (0.63414, 0.34299)
    // r = sigma(0.4 - 0.1 - 0.1, 0 + 0.15 + 0.1) = (0.54983, 0.56218)
    // ĥ = tanh(-0.3 + 0.3 r0 0.5 + 0.1 r1 (-1), 0.6 - 0.2 r0 0.5 + 0.5 r1 (-1)) = (-0.26710, 0.25797)
    // h = (1 - z) h_prev + z ĥ
    const expected = [0.013552154792369459, -0.5685307670177892];
    h.data.forEach((v, k) => assert.ok(Math.abs(v - expected[k]) < 1e-6, `h[${k}] = ${v}`));
  } finally {
    t.dispose();
    await pool.dispose();
  }
});

/** 5 patterns k, 10, 20 + k: after 10 the next item is 20 + k, known only from two steps back. */
function patternSessions(perPattern: number): Interactions {
  const users: number[] = [];
  const items: number[] = [];
  const timestamps: number[] = [];
  for (let s = 0; s < 5 * perPattern; s++) {
    const k = s % 5;
    [k, 10, 20 + k].forEach((i, p) => {
      users.push(s);
      items.push(i);
      timestamps.push(p);
    });
  }
  return {
    nUsers: 5 * perPattern,
    nItems: 25,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    timestamps: Float64Array.from(timestamps),
  };
}

const cases = {
  inputs: sequencesOf([0, 1, 2, 3, 4].map((k) => [k, 10])),
  targets: Int32Array.from([20, 21, 22, 23, 24]),
};

async function train(hyper: Record<string, number | string>, epochs: number) {
  const m = await Gru4Rec.create(contextOf(patternSessions(40)), {
    batchSize: 16,
    lr: 0.01,
    ...hyper,
  });
  const losses: number[] = [];
  for (let e = 1; e <= epochs; e++) {
    m.beginEpoch(e, epochRng(3, e));
    let sum = 0;
    for (let b = 0; b < m.batchesPerEpoch(); b++) sum += m.trainStep(b);
    losses.push(sum / m.batchesPerEpoch());
  }
  return { m, losses };
}

test('GRU4Rec trains: the loss falls and the state remembers what came before the last item', async () => {
  const { m, losses } = await train({}, 25);
  try {
    assert.ok(losses[losses.length - 1] < 0.7 * losses[0], `losses ${losses.join(', ')}`);
    const r = await evaluateNextItem(m, cases, [1]);
    assert.equal(r.metrics['recall@1'], 1, `ranks ${Array.from(r.ranks).join(', ')}`);
    // a checkpoint restores the same scores in a fresh model
    const copy = await Gru4Rec.create(contextOf(patternSessions(40)), { batchSize: 16, lr: 0.01 });
    try {
      copy.load(m.state());
      assert.deepEqual((await evaluateNextItem(copy, cases, [1])).ranks, r.ranks);
      assert.deepEqual(copy.embeddings().users, m.embeddings().users);
    } finally {
      await copy.dispose();
    }
  } finally {
    await m.dispose();
  }
});

test('GRU4Rec without a GRU layer (layers 0) cannot tell the patterns apart', async () => {
  const { m } = await train({ layers: 0, sessionLoss: 'ce' }, 25);
  try {
    const r = await evaluateNextItem(m, cases, [1]);
    assert.ok(r.metrics['recall@1'] <= 0.2 + 1e-9, `recall@1 ${r.metrics['recall@1']}`);
  } finally {
    await m.dispose();
  }
});
