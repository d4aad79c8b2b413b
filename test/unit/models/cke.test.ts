/**
 * CKE: TransR's energy || norm(h M_r) + norm(r) - norm(t M_r) ||^2 against values by hand,
 * item vectors eta_i + v_e(i), the KG term in the step's loss, a KG being required, and that it
 * trains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KnowledgeGraph } from '../../../src/data/types.js';
import { Pool } from '../../../src/engine/pool.js';
import { Tape } from '../../../src/engine/tape/tape.js';
import { Cke, transREnergy } from '../../../src/models/cke.js';
import { epochRng } from '../../../src/train/trainer.js';
import { InputError } from '../../../src/util/errors.js';
import { contextOf, randomTrain } from './walkContext.js';

test('TransR energy by hand: projections per relation, vectors normalised', async () => {
  const pool = await Pool.create({ threads: 1 });
  const t = new Tape(pool);
  try {
    const c = (rows: number[][]) => t.constant(rows.flat(), rows.length, rows[0].length);
    // M_0 swaps the two coordinates, M_1 is the identity
    const M = c([
      [0, 1],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const f = transREnergy(
      t,
      c([
        [3, 4],
        [1, 1],
      ]),
      c([
        [0, 2],
        [1, 0],
      ]),
      c([
        [1, 0],
        [0, 1],
      ]),
      M,
      [0, 1],
    );
    // row 0: h M_0 = (4, 3) -> (0.8, 0.6); r -> (0, 1); t M_0 = (0, 1); diff (0.8, 0.6): 1
    // row 1: h -> (1, 1)/sqrt 2; r (1, 0); t (0, 1); (1/sqrt2 + 1)^2 + (1/sqrt2 - 1)^2 = 3
    assert.ok(Math.abs(f.data[0] - 1) < 1e-6, `row 0: ${f.data[0]}`);
    assert.ok(Math.abs(f.data[1] - 3) < 1e-6, `row 1: ${f.data[1]}`);
  } finally {
    t.dispose();
    await pool.dispose();
  }
});

const train = randomTrain(40, 12, 5);
// items are entities 0..11, entities 12..15 are attributes; two relations
const heads: number[] = [];
const rels: number[] = [];
const tails: number[] = [];
for (let i = 0; i < 12; i++) {
  heads.push(i, i);
  rels.push(0, 1);
  tails.push(12 + (i % 2), 14 + (i % 2));
}
const kg: KnowledgeGraph = {
  nEntities: 16,
  nRelations: 2,
  heads: Int32Array.from(heads),
  relations: Int32Array.from(rels),
  tails: Int32Array.from(tails),
  itemEntity: Int32Array.from({ length: 12 }, (_, i) => i),
};

test('item vectors are eta_i + v_e(i); a dataset without a KG is refused', async () => {
  const m = await Cke.create({ ...contextOf(train), kg }, { dim: 4 });
  try {
    const s = m.state();
    const e = m.embeddings();
    for (let i = 0; i < 12; i++)
      for (let c = 0; c < 4; c++)
        assert.ok(
          Math.abs(e.items[i * 4 + c] - (s.items[i * 4 + c] + s.entities[i * 4 + c])) < 1e-6,
        );
    assert.deepEqual(e.users, s.users);
  } finally {
    await m.dispose();
  }
  await assert.rejects(Cke.create(contextOf(train), {}), InputError);
});

test('the KG term is in the step: kgWeight 0 leaves entity-only rows alone, 1 moves them', async () => {
  const attributeRows = async (kgWeight: number): Promise<boolean> => {
    const m = await Cke.create({ ...contextOf(train), kg }, { kgWeight, batchSize: 64 });
    try {
      m.beginEpoch(1, epochRng(1, 1));
      const before = m.state().entities.slice(12 * 64, 16 * 64);
      m.trainStep(0);
      const after = m.state().entities.subarray(12 * 64, 16 * 64);
      return after.some((v, k) => v !== before[k]);
    } finally {
      await m.dispose();
    }
  };
  assert.equal(await attributeRows(0), false);
  assert.equal(await attributeRows(1), true);
});

test('trains: the loss falls', async () => {
  const m = await Cke.create({ ...contextOf(train), kg }, { batchSize: 32 });
  try {
    const epochLoss = (e: number): number => {
      m.beginEpoch(e, epochRng(2, e));
      let sum = 0;
      for (let b = 0; b < m.batchesPerEpoch(); b++) sum += m.trainStep(b);
      return sum / m.batchesPerEpoch();
    };
    const first = epochLoss(1);
    let last = first;
    for (let e = 2; e <= 30; e++) last = epochLoss(e);
    assert.ok(last < 0.6 * first, `loss ${first} -> ${last}`);
  } finally {
    await m.dispose();
  }
});
