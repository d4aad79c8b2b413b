/**
 * VRKG4Rec's pieces against hand-computed values (NORM, one LWS step, the assignment of
 * relations to virtual relations and the sub-graphs it makes), and the model: it trains, the
 * assignment learns only where a gradient reaches it, and it reports the assignment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KnowledgeGraph } from '../../../src/data/types.js';
import { Pool } from '../../../src/engine/pool.js';
import { Rng } from '../../../src/util/rng.js';
import { Tape } from '../../../src/engine/tape/tape.js';
import { squash } from '../../../src/engine/tape/ops/index.js';
import type { MessageGraph } from '../../../src/engine/tape/ops/index.js';
import {
  assignRelations,
  kgEdges,
  lws,
  virtualGraph,
  Vrkg4Rec,
} from '../../../src/models/vrkg4rec.js';
import { epochRng } from '../../../src/train/trainer.js';
import { contextOf, randomTrain } from './walkContext.js';

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-6): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, k) =>
    assert.ok(Math.abs(actual[k] - e) < tol, `at ${k}: ${actual[k]} vs ${e}`),
  );
}

async function onTape(f: (t: Tape) => void): Promise<void> {
  const pool = await Pool.create({ threads: 1 });
  const t = new Tape(pool);
  try {
    f(t);
  } finally {
    t.dispose();
    await pool.dispose();
  }
}

test('NORM: (|u|^2 / (1 + |u|^2)) u / |u|; a zero row stays zero', async () => {
  await onTape((t) => {
    const x = t.input(Float32Array.from([3, 4, 0, 0, 0.5, 0]), 3, 2, false);
    // |(3, 4)| = 5: 25/26 * (0.6, 0.8); |(0.5, 0)| = 0.5: 0.25/1.25 * (1, 0)
    close(squash(t, x).data, [15 / 26, 20 / 26, 0, 0, 0.2, 0]);
  });
});

test('one LWS step: u_h = NORM(e_h + sum_t (e_h . e_t) e_t); a node without neighbours gets NORM(e_h)', async () => {
  await onTape((t) => {
    // entity 0 <- 1, 2; entity 1 and 2 have no incoming edges
    const g: MessageGraph = {
      nRows: 3,
      nCols: 3,
      indptr: Int32Array.from([0, 2, 2, 2]),
      indices: Int32Array.from([1, 2]),
    };
    const e = t.input(t.pool.shared(Float32Array.from([1, 0, 0.5, 0.5, 0, 1])), 3, 2, false);
    const u = lws(t, g, e, e, 1);
    // pi(0, 1) = 0.5, pi(0, 2) = 0: NORM((1.25, 0.25)), |.|^2 = 1.625
    const s0 = Math.sqrt(1.625) / 2.625;
    // NORM((0.5, 0.5)), |.|^2 = 0.5; NORM((0, 1)), |.|^2 = 1
    const s1 = Math.sqrt(0.5) / 1.5;
    close(u.data, [1.25 * s0, 0.25 * s0, 0.5 * s1, 0.5 * s1, 0, 0.5]);
  });
});

/** items 0..2 are entities 0..2; entities 3, 4 are attributes; relations 0 (genre), 1 (label) */
const TINY_KG: KnowledgeGraph = {
  nEntities: 5,
  nRelations: 2,
  heads: Int32Array.from([0, 1, 1, 2, 0]),
  relations: Int32Array.from([0, 0, 1, 1, 0]),
  tails: Int32Array.from([3, 3, 4, 4, 3]),
  itemEntity: Int32Array.from([0, 1, -1]),
};

test('relation assignment: argmax_k r_p . v_k per relation, and the sub-graphs it makes', () => {
  // r_0 . v = (1, 0), r_1 . v = (0, 1), r_2 . v = (-1, 0.2), r_3 . v = (2, 2) (a tie: first)
  const R = Float32Array.from([1, 0, 0, 1, -1, 0.2, 2, 2]);
  const V = Float32Array.from([1, 0, 0, 1]);
  assert.deepEqual([...assignRelations(R, V, 2, 2)], [0, 1, 1, 0]);

  const e = kgEdges(TINY_KG, 3);
  // the repeated triple (0, 0, 3) counts once; item 2 has no entity: a row of its own (5)
  assert.equal(e.nEntities, 6);
  assert.equal(e.nRelations, 4);
  assert.deepEqual([...e.itemEntity], [0, 1, 5]);
  assert.deepEqual(e.relationNames, ['0', '1', '0^-1', '1^-1']);
  // (h, r, t) -> edge t -> h of r and h -> t of R + r
  assert.deepEqual([...e.dst], [0, 3, 1, 3, 1, 4, 2, 4]);
  assert.deepEqual([...e.src], [3, 0, 3, 1, 4, 1, 4, 2]);
  assert.deepEqual([...e.rel], [0, 2, 0, 2, 1, 3, 1, 3]);

  // genre and its inverse to virtual 0, label and its inverse to virtual 1
  const { graph, edgeRel } = virtualGraph(e, Int32Array.from([0, 1, 0, 1]), 2);
  const N = 6;
  assert.equal(graph.nRows, 2 * N);
  const rows = (k: number, h: number): number[] => [
    ...graph.indices.subarray(graph.indptr[k * N + h], graph.indptr[k * N + h + 1]),
  ];
  assert.deepEqual(rows(0, 0), [3]);
  assert.deepEqual(rows(0, 3), [0, 1]);
  assert.deepEqual(rows(1, 3), []);
  assert.deepEqual(rows(1, 4), [1, 2]);
  assert.deepEqual(rows(1, 1), [4]);
  assert.deepEqual(rows(0, 1), [3]);
  assert.deepEqual([...edgeRel.subarray(graph.indptr[0], graph.indptr[N])], [0, 0, 2, 2]);
});

/** item i -> genre i % 3 and label i % 2 (entities after the items) */
function toyKg(nItems: number): KnowledgeGraph {
  const heads = Int32Array.from({ length: 2 * nItems }, (_, k) => k >> 1);
  return {
    nEntities: nItems + 5,
    nRelations: 2,
    heads,
    relations: Int32Array.from(heads, (_, k) => k & 1),
    tails: Int32Array.from(heads, (i, k) => nItems + (k & 1 ? 3 + (i % 2) : i % 3)),
    itemEntity: Int32Array.from({ length: nItems }, (_, i) => i),
  };
}

async function trained(assignment: string, epochs: number) {
  const ctx = { ...contextOf(randomTrain(60, 40, 5)), kg: toyKg(40), rng: new Rng(3) };
  const m = await Vrkg4Rec.create(ctx, { dim: 8, batchSize: 64, lr: 0.01, reg: 0, assignment });
  const before = m.state();
  const R0 = before.relations.slice();
  const V0 = before.centres.slice();
  const losses: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    m.beginEpoch(epoch, epochRng(1, epoch));
    let loss = 0;
    for (let b = 0; b < m.batchesPerEpoch(); b++) loss += m.trainStep(b);
    losses.push(loss / m.batchesPerEpoch());
  }
  const after = m.state();
  const moved = (a: Float32Array, b: Float32Array): boolean => a.some((x, k) => x !== b[k]);
  const out = {
    losses,
    relationsMoved: moved(R0, after.relations),
    centresMoved: moved(V0, after.centres),
    report: m.report(),
  };
  await m.dispose();
  return out;
}

test('vrkg4rec trains: the loss falls; with assignment learned the relations and centres get a gradient, frozen (the authors code) they do not', async () => {
  const learned = await trained('learned', 12);
  assert.ok(
    learned.losses.at(-1)! < 0.8 * learned.losses[0],
    `loss ${learned.losses[0]} -> ${learned.losses.at(-1)}`,
  );
  assert.ok(learned.relationsMoved && learned.centresMoved);
  const frozen = await trained('frozen', 2);
  assert.ok(!frozen.relationsMoved && !frozen.centresMoved);
});

test('the report: each relation (both directions) with its virtual relation, in the log and as a document', async () => {
  const { report } = await trained('learned', 1);
  assert.equal(report.name, 'relation-assignment');
  const data = report.data as {
    relations: { relation: string; edges: number; virtual: number; confidence: number }[];
  };
  assert.deepEqual(
    data.relations.map((r) => [r.relation, r.edges]),
    [
      ['0', 40],
      ['1', 40],
      ['0^-1', 40],
      ['1^-1', 40],
    ],
  );
  for (const r of data.relations) {
    assert.ok(r.virtual >= 0 && r.virtual < 3);
    assert.ok(r.confidence > 1 / 3 && r.confidence <= 1);
    // the log names every relation under its virtual relation
    const line = report.lines.find((l) => l.startsWith(`  virtual ${r.virtual}:`));
    assert.ok(line?.includes(`${r.relation} (${r.edges})`), line);
  }
});
