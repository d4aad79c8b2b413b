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
  compactVirtualGraph,
  kgEdges,
  lws,
  dropEdges,
  lwsMean,
  meanWeights,
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
    const x = t.input(t.pool.shared(Float32Array.from([3, 4, 0, 0, 0.5, 0])), 3, 2, false);
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

async function trained(assignment: string, epochs: number, propagation = 'authors') {
  const ctx = { ...contextOf(randomTrain(60, 40, 5)), kg: toyKg(40), rng: new Rng(3) };
  const m = await Vrkg4Rec.create(ctx, {
    dim: 8,
    batchSize: 64,
    lr: 0.01,
    reg: 0,
    assignment,
    propagation,
  });
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
  // the paper's propagation trains too
  const paper = await trained('learned', 12, 'paper');
  assert.ok(paper.losses.at(-1)! < 0.8 * paper.losses[0], `paper: ${paper.losses}`);
  assert.ok(paper.relationsMoved && paper.centresMoved);
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

// ---- the authors' propagation (propagation: 'authors') ----------------------------------

type Rows = number[][];
const dot = (a: number[], b: number[]): number => a.reduce((s, v, c) => s + v * b[c], 0);
const squash64 = (u: number[]): number[] => {
  const n = dot(u, u);
  return n > 0 ? u.map((v) => (v * Math.sqrt(n)) / (1 + n)) : u.map(() => 0);
};
const addRows = (a: Rows, b: Rows): Rows => a.map((r, i) => r.map((v, c) => v + b[i][c]));
const normalize64 = (a: Rows): Rows =>
  a.map((r) => r.map((v) => v / Math.max(Math.sqrt(dot(r, r)), 1e-12)));
function scatterMean(msgs: Rows, heads: number[], n: number, d: number): Rows {
  const out = Array.from({ length: n }, () => new Array<number>(d).fill(0));
  const count = new Array<number>(n).fill(0);
  msgs.forEach((m, j) => {
    count[heads[j]]++;
    m.forEach((v, c) => (out[heads[j]][c] += v));
  });
  return out.map((r, h) => r.map((v) => (count[h] ? v / count[h] : 0)));
}

/**
 * The authors' Aggregator.forward, loop for loop in float64: per virtual relation, neighbour
 * messages rescaled in place by their similarity to the centre (so for the KG the factors
 * compound; the users' are taken afresh every iteration), mean, squash but after the last
 * iteration, + the layer's input; the K encodings fused by softmax(w).
 */
function authorsLws(
  centres: Rows,
  nbr: Rows,
  heads: number[],
  tails: number[],
  Q: number,
  fresh: boolean,
): Rows {
  const d = centres[0].length;
  let neigh = tails.map((t) => nbr[t].slice());
  let u: Rows | undefined;
  for (let it = 0; it < Q; it++) {
    if (fresh) neigh = tails.map((t) => nbr[t].slice());
    if (u) {
      const cur = u;
      neigh = neigh.map((m, j) => m.map((v) => v * dot(cur[heads[j]], m)));
    }
    let next = scatterMean(neigh, heads, centres.length, d);
    if (it < Q - 1) next = next.map(squash64);
    u = addRows(next, centres);
  }
  return u!;
}

function authorsForward(
  E0: Rows,
  U0: Rows,
  kg: { head: number; tail: number; virtual: number }[],
  ui: [number, number][],
  K: number,
  layers: number,
  Q: number,
  w: Rows,
): { E: Rows; U: Rows } {
  let E = E0;
  let U = U0;
  let sumE = E0;
  let sumU = U0;
  for (let l = 0; l < layers; l++) {
    const z = w[l].reduce((s, v) => s + Math.exp(v), 0);
    let fused = E.map((r) => r.map(() => 0));
    for (let k = 0; k < K; k++) {
      const mine = kg.filter((e) => e.virtual === k);
      const h = mine.map((e) => e.head);
      const t = mine.map((e) => e.tail);
      const uk = authorsLws(E, E, h, t, Q, false);
      fused = fused.map((r, i) => r.map((v, c) => v + (Math.exp(w[l][k]) / z) * uk[i][c]));
    }
    const users = authorsLws(
      U,
      E,
      ui.map((p) => p[0]),
      ui.map((p) => p[1]),
      Q,
      true,
    );
    E = normalize64(fused);
    U = normalize64(users);
    sumE = addRows(sumE, E);
    sumU = addRows(sumU, U);
  }
  return { E: sumE, U: sumU };
}

const rowsOf = (a: Float32Array, d: number): Rows =>
  Array.from({ length: a.length / d }, (_, i) => Array.from(a.subarray(i * d, (i + 1) * d)));

test("propagation authors: the model's final vectors are the authors' Aggregator and GraphConv (no dropout at ranking)", async () => {
  const d = 4;
  const K = 3;
  const nItems = 12;
  const train = randomTrain(15, nItems, 7);
  const ctx = { ...contextOf(train), kg: toyKg(nItems), rng: new Rng(5) };
  const m = await Vrkg4Rec.create(ctx, {
    dim: d,
    virtualRelations: K,
    layers: 2,
    lwsIterations: 3,
    assignment: 'frozen',
  });
  try {
    const s = m.state();
    // move the fusion logits off their equal start so that alpha matters
    s.attention.set([0.9, -0.4, 0.2, 0.1, 0.5, -0.7]);
    m.load(s);
    const e = kgEdges(toyKg(nItems), nItems);
    const assign = assignRelations(s.relations, s.centres, d, K);
    const kg = Array.from(e.dst, (h, j) => ({
      head: h,
      tail: e.src[j],
      virtual: assign[e.rel[j]],
    }));
    // the user-item pairs as the authors' adj_mat.nonzero(): each pair once
    const pairs = new Set(Array.from(train.users, (u, j) => `${u} ${train.items[j]}`));
    const ui = [...pairs].map((p) => p.split(' ').map(Number) as [number, number]);
    const want = authorsForward(
      rowsOf(s.entities, d),
      rowsOf(s.users, d),
      kg,
      ui,
      K,
      2,
      3,
      rowsOf(s.attention, K),
    );
    const got = m.embeddings();
    const close64 = (a: number, b: number) => Math.abs(a - b) <= 2e-5 * Math.max(1, Math.abs(b));
    want.U.forEach((r, u) =>
      r.forEach((v, c) => assert.ok(close64(got.users[u * d + c], v), `user ${u} ${c}`)),
    );
    for (let i = 0; i < nItems; i++)
      want.E[i].forEach((v, c) =>
        assert.ok(
          close64(got.items[i * d + c], v),
          `item ${i} ${c}: ${got.items[i * d + c]} vs ${v}`,
        ),
      );
  } finally {
    await m.dispose();
  }
});

test('compactVirtualGraph: only the rows (k, h) with edges, and the fusion graph back to the entities', () => {
  const e = kgEdges(TINY_KG, 3);
  const vg = compactVirtualGraph(e, Int32Array.from([0, 1, 0, 1]), 2);
  // sub-graph 0 (genre): 0 <- 3, 1 <- 3, 3 <- 0, 1; sub-graph 1 (label): 1 <- 4, 2 <- 4, 4 <- 1, 2
  assert.deepEqual([...vg.rowHead], [0, 1, 3, 1, 2, 4]);
  assert.deepEqual([...vg.rowVirtual], [0, 0, 0, 1, 1, 1]);
  assert.deepEqual([...vg.graph.indptr], [0, 1, 2, 4, 5, 6, 8]);
  assert.deepEqual([...vg.graph.indices], [3, 3, 0, 1, 4, 4, 1, 2]);
  // entity 1 has a row in both sub-graphs (rows 1 and 3); entity 5 (item 2's own row) none
  assert.deepEqual([...vg.fusion.indptr], [0, 1, 3, 4, 5, 6, 6]);
  assert.deepEqual([...vg.fusion.indices], [0, 1, 3, 4, 2, 5]);
  assert.deepEqual([...vg.fusionVirtual], [0, 0, 1, 1, 0, 1]);
});

test('meanWeights is 1 / degree; dropEdges (node dropout) leaves out round(rate x edges), rows in order', () => {
  const g: MessageGraph = {
    nRows: 3,
    nCols: 4,
    indptr: Int32Array.from([0, 4, 4, 6]),
    indices: Int32Array.from([0, 1, 2, 3, 1, 2]),
  };
  const w = new Float32Array(6);
  meanWeights(g, w);
  close(w, [0.25, 0.25, 0.25, 0.25, 0.5, 0.5]);
  const rel = Int32Array.from([10, 11, 12, 13, 14, 15]);
  const seen = new Set<string>();
  for (let seed = 1; seed < 30; seed++) {
    const d = dropEdges(g, rel, 0.5, new Rng(seed));
    assert.equal(d.graph.indptr[3], 3);
    assert.equal(d.graph.indptr[1], d.graph.indptr[2]);
    // each kept edge keeps its source and relation, in the row's order
    const kept = [...d.edgeRel].map((r) => r - 10);
    assert.deepEqual(
      [...d.graph.indices],
      kept.map((k) => g.indices[k]),
    );
    assert.ok(kept.every((k, i) => i === 0 || k > kept[i - 1]));
    seen.add(kept.join());
  }
  // uniform draws: many different subsets
  assert.ok(seen.size > 8, `${seen.size} subsets`);
});

test('lwsMean, one hand-computed case: m0 = mean e_t, u0 = NORM(m0) + e_h, m1 = mean (u0 . e_t) e_t', async () => {
  await onTape((t) => {
    const g: MessageGraph = {
      nRows: 1,
      nCols: 3,
      indptr: Int32Array.from([0, 2]),
      indices: Int32Array.from([1, 2]),
    };
    const e = t.input(t.pool.shared(Float32Array.from([1, 0, 0.5, 0.5, 0, 1])), 3, 2, false);
    const w = t.input(t.pool.shared(Float32Array.from([0.5, 0.5])), 2, 1, false);
    const centre = t.input(t.pool.shared(Float32Array.from([1, 0])), 1, 2, false);
    // m0 = (0.25, 0.75), |m0|^2 = 0.625, u0 = (1 + 0.25 s, 0.75 s)
    const s = Math.sqrt(0.625) / 1.625;
    const d1 = 0.5 * (1 + 0.25 * s) + 0.5 * 0.75 * s;
    const d2 = 0.75 * s;
    close(lwsMean(t, g, centre, e, 2, w, true).data, [0.25 * d1, 0.25 * d1 + 0.5 * d2]);
  });
});

test('a training step with the last layer at the batch rows alone moves the parameters as the full pass does', async () => {
  const states: Record<string, Float32Array>[] = [];
  const losses: number[] = [];
  for (const restrictLast of [true, false]) {
    const ctx = { ...contextOf(randomTrain(50, 30, 4)), kg: toyKg(30), rng: new Rng(3) };
    const m = await Vrkg4Rec.create(
      ctx,
      { dim: 8, batchSize: 16, nodeDropout: 0, messageDropout: 0, assignment: 'learned' },
      { restrictLast },
    );
    m.beginEpoch(1, epochRng(1, 1));
    losses.push(m.trainStep(0) + m.trainStep(1));
    states.push(m.state());
    await m.dispose();
  }
  assert.ok(Math.abs(losses[0] - losses[1]) < 1e-6, `${losses}`);
  for (const [k, a] of Object.entries(states[0]))
    a.forEach((v, i) =>
      assert.ok(Math.abs(v - states[1][k][i]) <= 1e-5 * Math.max(1, Math.abs(v)), `${k}[${i}]`),
    );
});
