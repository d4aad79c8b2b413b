import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Interactions } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { LightGcn, type LightGcnHyper } from '../../../src/models/lightgcn.js';
import type { ModelContext } from '../../../src/models/types.js';

function tinyContext(threads = 1): ModelContext {
  // 4 users, 5 items; item 4 has one user, user 3 one item
  const users = Int32Array.of(0, 0, 1, 1, 2, 2, 2, 3);
  const items = Int32Array.of(0, 1, 1, 2, 2, 3, 4, 0);
  const train: Interactions = { nUsers: 4, nItems: 5, users, items };
  return {
    train,
    trainCsr: buildCsr(4, 5, users, items),
    trainCsrT: buildCsr(5, 4, items, users),
    rng: new Rng(3),
    threads,
    log: () => undefined,
  };
}

/**
 * Eq. 7/8 computed densely in float64, straight from the paper, for comparison; with normRows,
 * LightGCN++'s E(k+1) = Ã N(E(k)), N dividing each row by its norm.
 */
function denseFinal(m: LightGcn, normRows = false): Float64Array {
  const n = m.nUsers + m.nItems;
  const d = m.dim;
  const A = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    for (let p = m.adj.indptr[r]; p < m.adj.indptr[r + 1]; p++)
      A[r * n + m.adj.indices[p]] = m.adj.values[p];
  let E = Float64Array.from(m.ego);
  const out = E.map((x) => x * m.alpha[0]);
  for (let k = 1; k < m.alpha.length; k++) {
    if (normRows)
      for (let r = 0; r < n; r++) {
        const row = E.subarray(r * d, (r + 1) * d);
        const norm = Math.hypot(...row);
        row.forEach((v, j) => (row[j] = v / norm));
      }
    const next = new Float64Array(n * d);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++)
        if (A[r * n + c])
          for (let j = 0; j < d; j++) next[r * d + j] += A[r * n + c] * E[c * d + j];
    for (let x = 0; x < out.length; x++) out[x] += m.alpha[k] * next[x];
    E = next;
  }
  return out;
}

test('Ã is D^-1/2 A D^-1/2 of the bipartite graph (eq. 7)', async () => {
  const m = await LightGcn.create(tinyContext(), { dim: 4 });
  try {
    // user 2 (deg 3) - item 4 (deg 1): 1/sqrt(3)
    const row = 2;
    const p = [...m.adj.indices.subarray(m.adj.indptr[row], m.adj.indptr[row + 1])].indexOf(4 + 4);
    assert.ok(Math.abs(m.adj.values[m.adj.indptr[row] + p] - 1 / Math.sqrt(3)) < 1e-7);
  } finally {
    await m.dispose();
  }
});

test("final embeddings equal the paper's layer mean computed densely (eq. 8)", async () => {
  for (const layers of [0, 1, 3]) {
    const m = await LightGcn.create(tinyContext(), { dim: 3, layers });
    try {
      const e = m.embeddings();
      const want = denseFinal(m);
      const got = [...e.users, ...e.items];
      got.forEach((v, k) =>
        assert.ok(Math.abs(v - want[k]) < 1e-6, `layers ${layers} [${k}] ${v} vs ${want[k]}`),
      );
    } finally {
      await m.dispose();
    }
  }
});

/** Central differences of the batch loss against the backward on the tape, parameter by parameter. */
async function assertGradientMatches(hyper: Partial<LightGcnHyper>): Promise<void> {
  const m = await LightGcn.create(tinyContext(), { dim: 3, reg: 0.3, initStd: 0.5, ...hyper });
  try {
    const batch = {
      users: Int32Array.of(0, 2, 3, 2),
      pos: Int32Array.of(1, 4, 0, 2),
      neg: Int32Array.of(3, 0, 4, 1),
    };
    m.lossAndGradient(batch);
    const grad = Float64Array.from(m.egoGrad);
    const h = 1e-2;
    for (let k = 0; k < m.ego.length; k++) {
      const x = m.ego[k];
      m.ego[k] = x + h;
      const up = m.lossAndGradient(batch);
      m.ego[k] = x - h;
      const down = m.lossAndGradient(batch);
      m.ego[k] = x;
      const fd = (up - down) / (2 * h);
      assert.ok(
        Math.abs(fd - grad[k]) < 1e-3 + 1e-2 * Math.abs(fd),
        `param ${k}: analytic ${grad[k]} vs numeric ${fd}`,
      );
    }
  } finally {
    await m.dispose();
  }
}

for (const layers of [0, 1, 2, 3]) {
  test(`LightGCN K=${layers}: the backward on the tape matches finite differences of the loss`, () =>
    assertGradientMatches({ layers }));
}

// LightGCN++ (Lee et al., RecSys 2024) on Gowalla: normAlpha 0.6, normBeta -0.1, gamma 0.2
const PLUS_PLUS = { normAlpha: 0.6, normBeta: -0.1, gamma: '0.2' };

test("LightGCN++'s Ã = D^-alpha A D^-beta: 1 / (|N_u|^alpha |N_i|^beta), not symmetric", async () => {
  const m = await LightGcn.create(tinyContext(), { dim: 4, ...PLUS_PLUS });
  try {
    const at = (r: number, c: number) => {
      const p = [...m.adj.indices.subarray(m.adj.indptr[r], m.adj.indptr[r + 1])].indexOf(c);
      return m.adj.values[m.adj.indptr[r] + p];
    };
    // user 2 (degree 3) and item 4 (node 8, degree 1): into the user 3^-0.6 1^0.1, back 1 * 3^0.1
    assert.ok(Math.abs(at(2, 8) - 3 ** -0.6) < 1e-7);
    assert.ok(Math.abs(at(8, 2) - 3 ** 0.1) < 1e-6);
    assert.equal(m.adj.symmetric, false);
    // pooling: gamma E(0) + (1 - gamma) / K per propagated layer
    assert.deepEqual(m.alpha, [0.2, 0.8 / 3, 0.8 / 3, 0.8 / 3]);
    const e = m.embeddings();
    const want = denseFinal(m);
    [...e.users, ...e.items].forEach((v, k) =>
      assert.ok(Math.abs(v - want[k]) < 1e-5, `[${k}] ${v} vs ${want[k]}`),
    );
  } finally {
    await m.dispose();
  }
});

for (const layers of [1, 2, 3]) {
  test(`LightGCN++ K=${layers}: the backward uses Ã^T and matches finite differences`, () =>
    assertGradientMatches({ layers, ...PLUS_PLUS }));
}

test('LightGCN++ with normEmbeddings: final embeddings equal E(k+1) = Ã N(E(k)) densely', async () => {
  for (const layers of [0, 1, 3]) {
    const m = await LightGcn.create(tinyContext(), {
      dim: 3,
      layers,
      ...PLUS_PLUS,
      ...(layers === 0 ? { gamma: '' } : {}),
      normEmbeddings: true,
    });
    try {
      const e = m.embeddings();
      const want = denseFinal(m, true);
      [...e.users, ...e.items].forEach((v, k) =>
        assert.ok(Math.abs(v - want[k]) < 1e-5, `layers ${layers} [${k}] ${v} vs ${want[k]}`),
      );
    } finally {
      await m.dispose();
    }
  }
});

for (const layers of [1, 2, 3]) {
  test(`LightGCN++ K=${layers} with normEmbeddings: backward through N matches finite differences`, () =>
    assertGradientMatches({ layers, ...PLUS_PLUS, normEmbeddings: true }));
}

test('LightGCN defaults keep D^-1/2 A D^-1/2 and the 1/(K+1) mean; bad gamma is refused', async () => {
  const m = await LightGcn.create(tinyContext(), { dim: 2 });
  try {
    assert.equal(m.adj.symmetric, true);
    assert.deepEqual(m.alpha, [0.25, 0.25, 0.25, 0.25]);
  } finally {
    await m.dispose();
  }
  await assert.rejects(
    LightGcn.create(tinyContext(), { gamma: '1.5' }),
    /gamma to be a number in \[0, 1\]/,
  );
  await assert.rejects(
    LightGcn.create(tinyContext(), { gamma: '0.2', layerWeights: '0.5,0.5,0,0' }),
    /gamma or layerWeights, not both/,
  );
  await assert.rejects(LightGcn.create(tinyContext(), { gamma: '0.2', layers: 0 }), /layers >= 1/);
});

test('LightGCN K=0 is MF: the batch loss is BPR on ego dot products plus L2, by hand', async () => {
  const reg = 0.3;
  const m = await LightGcn.create(tinyContext(), { dim: 3, layers: 0, reg, initStd: 0.5 });
  try {
    const users = [0, 2, 3];
    const pos = [1, 4, 0];
    const neg = [3, 0, 4];
    const e = (node: number) => [...m.ego.subarray(node * 3, node * 3 + 3)];
    const dot = (a: number[], b: number[]) => a.reduce((s, x, c) => s + x * b[c], 0);
    const sq = (a: number[]) => dot(a, a);
    let bpr = 0;
    let l2 = 0;
    for (let q = 0; q < 3; q++) {
      const [u, i, j] = [e(users[q]), e(4 + pos[q]), e(4 + neg[q])];
      bpr += Math.log1p(Math.exp(-(dot(u, i) - dot(u, j))));
      l2 += sq(u) + sq(i) + sq(j);
    }
    const want = bpr / 3 + (reg * 0.5 * l2) / 3;
    const got = m.lossAndGradient({
      users: Int32Array.from(users),
      pos: Int32Array.from(pos),
      neg: Int32Array.from(neg),
    });
    assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
  } finally {
    await m.dispose();
  }
});

test("LightGCN with 2 negatives: L2 counts a triple's user and positive once, divided by the triples", async () => {
  const reg = 0.3;
  const m = await LightGcn.create(tinyContext(), { dim: 3, layers: 0, reg, initStd: 0.5 });
  try {
    // two triples (0, 1, {3, 2}) and (2, 4, {0, 0}) as the pairs the base expands them to
    const triples = [
      [0, 1, [3, 2]],
      [2, 4, [0, 0]],
    ] as const;
    const e = (node: number) => [...m.ego.subarray(node * 3, node * 3 + 3)];
    const dot = (a: number[], b: number[]) => a.reduce((s, x, c) => s + x * b[c], 0);
    let bpr = 0;
    let l2 = 0;
    for (const [user, p, negs] of triples) {
      const [u, i] = [e(user), e(4 + p)];
      l2 += dot(u, u) + dot(i, i);
      for (const n of negs) {
        const j = e(4 + n);
        bpr += Math.log1p(Math.exp(-(dot(u, i) - dot(u, j))));
        l2 += dot(j, j);
      }
    }
    const want = bpr / 4 + (reg * 0.5 * l2) / 2;
    const got = m.lossAndGradient({
      users: Int32Array.of(0, 0, 2, 2),
      pos: Int32Array.of(1, 1, 4, 4),
      neg: Int32Array.of(3, 2, 0, 0),
      negatives: 2,
    });
    assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
  } finally {
    await m.dispose();
  }
});

test("lossAndGradient twice on one batch leaves that batch's gradient, not their sum", async () => {
  const m = await LightGcn.create(tinyContext(), { dim: 3 });
  try {
    const batch = {
      users: Int32Array.of(0, 2),
      pos: Int32Array.of(1, 4),
      neg: Int32Array.of(3, 0),
    };
    m.lossAndGradient(batch);
    const once = m.egoGrad.slice();
    assert.ok(once.some((g) => g !== 0));
    m.lossAndGradient(batch);
    assert.deepEqual(m.egoGrad, once);
  } finally {
    await m.dispose();
  }
});

test('LightGCN checkpoints keep their names (ego, adam.m, adam.v, adam.t) and resume from them', async () => {
  const trained = async (m: LightGcn, epochs: number[]) => {
    const losses: number[] = [];
    for (const e of epochs) {
      m.beginEpoch(e, new Rng(e));
      for (let b = 0; b < m.batchesPerEpoch(); b++) losses.push(m.trainStep(b));
    }
    return losses;
  };
  const hyper = { dim: 4, batchSize: 3, lr: 0.01 };
  const straight = await LightGcn.create(tinyContext(), hyper);
  const first = await LightGcn.create(tinyContext(), hyper);
  const second = await LightGcn.create(tinyContext(), hyper);
  try {
    const want = await trained(straight, [1, 2]);
    const head = await trained(first, [1]);
    const state = first.state();
    assert.deepEqual(Object.keys(state).sort(), ['adam.m', 'adam.t', 'adam.v', 'ego']);
    second.load(state);
    assert.deepEqual([...head, ...(await trained(second, [2]))], want);
    assert.deepEqual(second.ego, straight.ego);
  } finally {
    await Promise.all([straight.dispose(), first.dispose(), second.dispose()]);
  }
});

test('LightGCN training is bit-identical for 1 and 2 threads', async () => {
  const train = async (threads: number) => {
    const m = await LightGcn.create(tinyContext(threads), { dim: 8, batchSize: 3, lr: 0.01 });
    try {
      const rng = new Rng(4);
      const losses: number[] = [];
      for (let e = 1; e <= 3; e++) {
        m.beginEpoch(e, rng);
        for (let b = 0; b < m.batchesPerEpoch(); b++) losses.push(m.trainStep(b));
      }
      return { losses, ego: m.ego.slice() };
    } finally {
      await m.dispose();
    }
  };
  const a = await train(1);
  const b = await train(2);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.ego, b.ego);
});
