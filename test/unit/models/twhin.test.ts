/**
 * TwHIN on tiny typed graphs: the typed nodes and edges built from interactions, a KG and
 * friendships; the score (theta_s + theta_r)^T theta_t and the loss with head and tail
 * corruption against float64 by hand; batches of one relation type sharing their corruptions;
 * sparse updates; the link-prediction ranks; and that it trains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { KnowledgeGraph } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { filteredRank, summarizeRanks } from '../../../src/eval/linkPrediction.js';
import { buildHeteroGraph } from '../../../src/graph/heteroGraph.js';
import { Twhin } from '../../../src/models/twhin.js';
import { epochRng } from '../../../src/train/trainer.js';
import { contextOf, randomTrain } from './walkContext.js';

// users 0, 1; items 0, 1 (entities 0, 1); entity 2 is a genre; relation 0: item -> genre,
// relation 1 has no triple; user 0 and user 1 are friends
const train = {
  nUsers: 2,
  nItems: 2,
  users: Int32Array.from([0, 0, 1]),
  items: Int32Array.from([0, 1, 1]),
};
const kg: KnowledgeGraph = {
  nEntities: 3,
  nRelations: 2,
  heads: Int32Array.from([0, 1]),
  relations: Int32Array.from([0, 0]),
  tails: Int32Array.from([2, 2]),
  itemEntity: Int32Array.from([0, 1]),
};
const social = buildCsr(2, 2, Int32Array.from([0, 1]), Int32Array.from([1, 0]));

test('typed graph: users, items, other entities in one node table; one edge list per relation', () => {
  const g = buildHeteroGraph({ train, kg, social });
  assert.equal(g.nNodes, 5); // u0 u1 | i0 i1 | genre
  assert.deepEqual([g.users.lo, g.users.hi, g.items.lo, g.items.hi], [0, 2, 2, 4]);
  assert.deepEqual([g.entities.lo, g.entities.hi], [2, 5]);
  assert.deepEqual(
    g.relations.map((r) => [r.name, r.headType.name, r.tailType.name, [...r.heads], [...r.tails]]),
    [
      ['interacts', 'user', 'item', [0, 0, 1], [2, 3, 3]],
      ['kg:0', 'entity', 'entity', [2, 3], [4, 4]],
      ['friend', 'user', 'user', [0, 1], [1, 0]],
    ],
  );
  // the KG relation without triples gets no relation type
  assert.deepEqual([...g.kgRelation], [1, -1]);
});

const logSigmoid = (x: number): number => -Math.log1p(Math.exp(-x));
const dot = (a: number[], b: number[]): number => a.reduce((s, v, k) => s + v * b[k], 0);
const plus = (a: number[], b: number[]): number[] => a.map((v, k) => v + b[k]);

test('score f(s, r, t) = (theta_s + theta_r)^T theta_t and the loss with shared head and tail corruptions, by hand', async () => {
  const m = await Twhin.create(
    { ...contextOf(train), kg, social },
    { dim: 2, batchSize: 2, reg: 0 },
  );
  try {
    const node = [
      [0.5, -1],
      [1, 0.25],
      [2, 1],
      [-0.5, 0.75],
      [0.3, 0.2],
    ];
    const rel = [
      [0.1, 0.2],
      [-1, 0.5],
      [0, 0],
    ];
    const state = m.state();
    state.nodes.set(node.flat());
    state.relations.set(rel.flat());
    // edges (u0, interacts, i0) (u1, interacts, i1); corruptions: tails i1, genre; heads u1, u0
    const batch = {
      relation: 0,
      heads: Int32Array.from([0, 1]),
      tails: Int32Array.from([2, 3]),
      negatives: { heads: Int32Array.from([1, 0]), tails: Int32Array.from([3, 4]) },
    };
    const f = (s: number, t: number): number => dot(plus(node[s], rel[0]), node[t]);
    let want = 0;
    for (let e = 0; e < 2; e++) {
      const s = batch.heads[e];
      const t = batch.tails[e];
      want += logSigmoid(f(s, t));
      // each side's K = 2 corruptions weighted 1/K
      for (const t2 of batch.negatives.tails) want += logSigmoid(-f(s, t2)) / 2;
      for (const s2 of batch.negatives.heads) want += logSigmoid(-f(s2, t)) / 2;
    }
    const loss = m.lossAndGradient(batch);
    assert.ok(Math.abs(loss - -want / 2) < 1e-5, `loss ${loss}, by hand ${-want / 2}`);
    // f(u0, interacts, i0) by hand: (0.5 + 0.1) * 2 + (-1 + 0.2) * 1 = 0.4; the user vectors
    // the ranker uses are theta_u + theta_interacts
    assert.ok(Math.abs(f(0, 2) - 0.4) < 1e-12);
    const e = m.embeddings();
    const score = e.users[0] * e.items[0] + e.users[1] * e.items[1];
    assert.ok(Math.abs(score - 0.4) < 1e-6, `ranker's score ${score}`);
  } finally {
    await m.dispose();
  }
});

test('batches: one relation type each, every edge once an epoch, K corruptions of the right type shared', async () => {
  const big = randomTrain(30, 12, 3);
  const m = await Twhin.create(
    {
      ...contextOf(big),
      kg: { ...kg, itemEntity: Int32Array.from({ length: 12 }, (_, i) => i % 2) },
      social,
    },
    { batchSize: 4, negatives: 3 },
  );
  try {
    m.beginEpoch(1, epochRng(5, 1));
    const edgeKey = (s: number, t: number) => `${s}-${t}`;
    const edgeCounts = m.graph.relations.map((r) => {
      const c = new Map<string, number>();
      r.heads.forEach((s, k) =>
        c.set(edgeKey(s, r.tails[k]), (c.get(edgeKey(s, r.tails[k])) ?? 0) + 1),
      );
      return c;
    });
    const relationsSeen = new Set<number>();
    for (let b = 0; b < m.batchesPerEpoch(); b++) {
      const batch = m.batch(b);
      const rel = m.graph.relations[batch.relation];
      relationsSeen.add(batch.relation);
      assert.ok(batch.heads.length >= 1 && batch.heads.length <= 4);
      batch.heads.forEach((s, k) => {
        const key = edgeKey(s, batch.tails[k]);
        const left = edgeCounts[batch.relation].get(key);
        assert.ok(left !== undefined && left > 0, `${key} is an edge of ${rel.name}, not yet seen`);
        edgeCounts[batch.relation].set(key, left - 1);
      });
      // K = 3 per side, one set for the whole batch, drawn from the relation's node types
      assert.equal(batch.negatives.heads.length, 3);
      assert.equal(batch.negatives.tails.length, 3);
      for (const s of batch.negatives.heads) assert.ok(s >= rel.headType.lo && s < rel.headType.hi);
      for (const t of batch.negatives.tails) assert.ok(t >= rel.tailType.lo && t < rel.tailType.hi);
    }
    for (const c of edgeCounts) for (const left of c.values()) assert.equal(left, 0);
    assert.equal(relationsSeen.size, m.graph.relations.length);
  } finally {
    await m.dispose();
  }
});

test('sparse Adam (the default) updates only the rows a batch read', async () => {
  const big = randomTrain(40, 30, 4);
  const m = await Twhin.create(contextOf(big), { batchSize: 3, negatives: 2 });
  try {
    m.beginEpoch(1, epochRng(1, 1));
    const before = m.state().nodes.slice();
    const relBefore = m.state().relations.slice();
    // the same draw as trainStep(0) makes: a fresh epoch stream, batch 0
    const fresh = await Twhin.create(contextOf(big), { batchSize: 3, negatives: 2 });
    fresh.beginEpoch(1, epochRng(1, 1));
    const batch = fresh.batch(0);
    await fresh.dispose();
    m.trainStep(0);
    const read = new Set([
      ...batch.heads,
      ...batch.tails,
      ...batch.negatives.heads,
      ...batch.negatives.tails,
    ]);
    const after = m.state().nodes;
    const d = 64;
    for (let n = 0; n < m.graph.nNodes; n++) {
      const changed = after.subarray(n * d, (n + 1) * d).some((v, c) => v !== before[n * d + c]);
      assert.equal(changed, read.has(n), `node ${n}: changed ${changed}, read ${read.has(n)}`);
    }
    assert.ok(m.state().relations.some((v, k) => v !== relBefore[k]));
  } finally {
    await m.dispose();
  }
});

test('filtered rank and MRR / Hits@k, by hand', () => {
  // target 0.7 at index 2; index 0 (0.9) is another true tail, filtered; index 3 ties
  assert.equal(
    filteredRank([0.9, 0.5, 0.7, 0.7, 0.2], 2, (k) => k === 0),
    1.5,
  );
  assert.equal(filteredRank([0.9, 0.5, 0.7, 0.7, 0.2], 2), 2.5);
  const s = summarizeRanks([1, 1.5, 4, 20], [1, 10]);
  assert.equal(s.count, 4);
  assert.ok(Math.abs(s.mrr - (1 + 1 / 1.5 + 1 / 4 + 1 / 20) / 4) < 1e-12);
  assert.deepEqual(s.hits, { 1: 0.25, 10: 0.75 });
});

test('trains: the loss falls, and held-out KG edges are ranked per relation type', async () => {
  const big = randomTrain(60, 20, 9);
  const rng = new Rng(2);
  const nE = 40;
  const heads: number[] = [];
  const rels: number[] = [];
  const tails: number[] = [];
  // item i -> genre 20 + i % 5 (relation 0), item i -> era 25 + i % 3 (relation 1), noise
  for (let i = 0; i < 20; i++) {
    heads.push(i, i);
    rels.push(0, 1);
    tails.push(20 + (i % 5), 25 + (i % 3));
    heads.push(i);
    rels.push(2);
    tails.push(28 + rng.int(12));
  }
  const kgBig: KnowledgeGraph = {
    nEntities: nE,
    nRelations: 3,
    heads: Int32Array.from(heads),
    relations: Int32Array.from(rels),
    tails: Int32Array.from(tails),
    itemEntity: Int32Array.from({ length: 20 }, (_, i) => i),
  };
  const m = await Twhin.create(
    { ...contextOf(big), kg: kgBig },
    { batchSize: 16, negatives: 8, holdout: 0.25, lr: 0.05 },
  );
  try {
    const epochLoss = (e: number): number => {
      m.beginEpoch(e, epochRng(3, e));
      let sum = 0;
      for (let b = 0; b < m.batchesPerEpoch(); b++) sum += m.trainStep(b);
      return sum / m.batchesPerEpoch();
    };
    const first = epochLoss(1);
    let last = first;
    for (let e = 2; e <= 40; e++) last = epochLoss(e);
    assert.ok(last < 0.6 * first, `loss ${first} -> ${last}`);
    const lp = m.linkPrediction([1, 10]);
    assert.deepEqual(
      lp.map((x) => [x.relation, x.count]),
      [
        ['kg:0', 5],
        ['kg:1', 5],
        ['kg:2', 5],
      ],
    );
    for (const x of lp) assert.ok(x.mrr > 0 && x.mrr <= 1 && x.hits[10] >= x.hits[1]);
  } finally {
    await m.dispose();
  }
});
