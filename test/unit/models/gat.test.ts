import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Interactions } from '../../../src/data/types.js';
import { Pool } from '../../../src/engine/pool.js';
import { Rng } from '../../../src/util/rng.js';
import { Tape } from '../../../src/engine/tape/tape.js';
import { attentionLayer, Gat, type GatHyper } from '../../../src/models/gat.js';
import { modelEntry, resolveHyper } from '../../../src/models/registry.js';
import type { ModelContext } from '../../../src/models/types.js';
import { InputError } from '../../../src/util/errors.js';

function randomContext(nUsers: number, nItems: number, seed: number): ModelContext {
  const rng = new Rng(1000 + seed);
  const u: number[] = [];
  const i: number[] = [];
  for (let user = 0; user < nUsers; user++) {
    const picked = new Set<number>();
    const deg = 2 + rng.int(3);
    while (picked.size < deg) picked.add(rng.int(nItems));
    for (const item of picked) {
      u.push(user);
      i.push(item);
    }
  }
  const train: Interactions = {
    nUsers,
    nItems,
    users: Int32Array.from(u),
    items: Int32Array.from(i),
  };
  return {
    train,
    trainCsr: buildCsr(nUsers, nItems, train.users, train.items),
    trainCsrT: buildCsr(nItems, nUsers, train.items, train.users),
    rng: new Rng(seed),
    threads: 1,
    log: () => undefined,
  };
}

async function withModel<T>(
  ctx: ModelContext,
  hyper: Partial<GatHyper>,
  f: (m: Gat) => T | Promise<T>,
): Promise<T> {
  const m = await Gat.create(ctx, hyper);
  try {
    return await f(m);
  } finally {
    await m.dispose();
  }
}

test('attention coefficients of a 3-node path with self-loops, computed by hand (eq. 1-4)', async () => {
  // nodes 0 - 1 - 2, each also attending over itself; one head, W h = (1, 2, 3),
  // a_dst = 1, a_src = -1: e_vu = LeakyReLU_0.2(W h_v - W h_u)
  const graph = {
    nRows: 3,
    nCols: 3,
    indptr: Int32Array.of(0, 2, 5, 7),
    indices: Int32Array.of(0, 1, 0, 1, 2, 1, 2),
  };
  const pool = await Pool.create({ threads: 1 });
  const t = new Tape(pool);
  try {
    const h = t.constant([1, 0, 0, 1, 1, 1], 3, 2);
    const weights = {
      W: t.constant([1, 2], 2, 1),
      aDst: t.constant([1], 1, 1),
      aSrc: t.constant([-1], 1, 1),
    };
    const { alpha, out } = attentionLayer(t, graph, h, weights, 1);
    const E = Math.E;
    const slope = Math.exp(-0.2); // e^LeakyReLU(-1)
    const rows = [
      // v = 0: u = 0 (0), u = 1 (-1 -> -0.2)
      [1, slope],
      // v = 1: u = 0 (1), u = 1 (0), u = 2 (-1 -> -0.2)
      [E, 1, slope],
      // v = 2: u = 1 (1), u = 2 (0)
      [E, 1],
    ].map((r) => r.map((x) => x / r.reduce((s, y) => s + y, 0)));
    const want = rows.flat();
    want.forEach((a, k) =>
      assert.ok(Math.abs(alpha.data[k] - a) < 1e-6, `alpha[${k}] ${alpha.data[k]} vs ${a}`),
    );
    const Wh = [1, 2, 3];
    const sources = [
      [0, 1],
      [0, 1, 2],
      [1, 2],
    ];
    sources.forEach((us, v) => {
      const sum = us.reduce((s, u, j) => s + rows[v][j] * Wh[u], 0);
      assert.ok(Math.abs(out.data[v] - sum) < 1e-6, `out[${v}] ${out.data[v]} vs ${sum}`);
    });
  } finally {
    t.dispose();
    await pool.dispose();
  }
});

/**
 * Eq. 1-6 computed densely in float64 from the model's parameters: each node attends over its
 * neighbours in the user-item graph and itself; hidden heads concatenated through ELU, the last
 * layer's heads averaged.
 */
function denseFinal(m: Gat, ctx: ModelContext, hyper: GatHyper): Float64Array {
  const s = m.state();
  const nu = m.nUsers;
  const n = nu + m.nItems;
  const near: Set<number>[] = Array.from({ length: n }, (_, v) => new Set([v]));
  ctx.train.users.forEach((u, k) => {
    near[u].add(nu + ctx.train.items[k]);
    near[nu + ctx.train.items[k]].add(u);
  });
  let h = Float64Array.from(s.ego);
  let din = hyper.dim;
  for (let l = 0; l < hyper.layers; l++) {
    const last = l === hyper.layers - 1;
    const K = last ? hyper.outHeads : hyper.heads;
    const F = last ? hyper.dim : hyper.dim / hyper.heads;
    const W = s[`W${l}`];
    const aDst = s[`aDst${l}`];
    const aSrc = s[`aSrc${l}`];
    const wh = new Float64Array(n * K * F);
    for (let v = 0; v < n; v++)
      for (let c = 0; c < K * F; c++)
        for (let i = 0; i < din; i++) wh[v * K * F + c] += h[v * din + i] * W[i * K * F + c];
    const next = new Float64Array(n * (last ? F : K * F));
    for (let v = 0; v < n; v++)
      for (let k = 0; k < K; k++) {
        const logit = (u: number) => {
          let x = 0;
          for (let j = 0; j < F; j++) {
            const c = k * F + j;
            x += aDst[c] * wh[v * K * F + c] + aSrc[c] * wh[u * K * F + c];
          }
          return x > 0 ? x : 0.2 * x;
        };
        const us = [...near[v]];
        const ex = us.map((u) => Math.exp(logit(u)));
        const z = ex.reduce((a, b) => a + b, 0);
        for (let j = 0; j < F; j++) {
          let acc = 0;
          us.forEach((u, q) => (acc += (ex[q] / z) * wh[u * K * F + k * F + j]));
          if (last) next[v * F + j] += acc / K;
          else next[v * K * F + k * F + j] = acc > 0 ? acc : Math.expm1(acc);
        }
      }
    h = next;
    din = last ? F : K * F;
  }
  return h;
}

test("final embeddings equal the paper's layers computed densely (concatenated, then averaged heads)", async () => {
  const ctx = randomContext(5, 6, 1);
  for (const hyper of [
    { dim: 4, layers: 2, heads: 2, outHeads: 3 },
    { dim: 6, layers: 3, heads: 3, outHeads: 1 },
    { dim: 3, layers: 1, heads: 8, outHeads: 2 },
  ]) {
    const full = { ...(resolveHyper(modelEntry('gat'), hyper) as unknown as GatHyper) };
    await withModel(ctx, hyper, (m) => {
      const e = m.embeddings();
      const got = [...e.users, ...e.items];
      const want = denseFinal(m, ctx, full);
      assert.equal(got.length, want.length);
      got.forEach((v, k) =>
        assert.ok(
          Math.abs(v - want[k]) < 1e-5,
          `${JSON.stringify(hyper)} [${k}] ${v} vs ${want[k]}`,
        ),
      );
    });
  }
});

test('training lowers the loss and is reproducible from the seed', async () => {
  const run = (seed: number) =>
    withModel(
      randomContext(30, 40, seed),
      { dim: 8, heads: 2, layers: 2, lr: 0.01, batchSize: 32 },
      (m) => {
        const rng = new Rng(seed + 7);
        const epochs: number[] = [];
        for (let ep = 1; ep <= 10; ep++) {
          m.beginEpoch(ep, rng);
          let sum = 0;
          for (let b = 0; b < m.batchesPerEpoch(); b++) sum += m.trainStep(b);
          epochs.push(sum / m.batchesPerEpoch());
        }
        return { epochs, e: m.embeddings() };
      },
    );
  const a = await run(1);
  const b = await run(1);
  assert.ok(
    a.epochs.at(-1)! < a.epochs[0] - 0.05,
    `loss ${a.epochs.map((x) => x.toFixed(4)).join(' ')}`,
  );
  assert.deepEqual(a.epochs, b.epochs);
  assert.deepEqual(a.e.users, b.e.users);
});

test('dim not a multiple of the hidden heads is refused before any work', () => {
  assert.throws(
    () => resolveHyper(modelEntry('gat'), { dim: 10, heads: 4 }, 'exp.reclab.json'),
    (e: unknown) =>
      e instanceof InputError &&
      e.message ===
        'exp.reclab.json: expected dim to be a multiple of heads (each hidden head has dim / heads features) (found "dim=10, heads=4")',
  );
  // one layer has no hidden heads: any dim
  assert.equal(resolveHyper(modelEntry('gat'), { dim: 10, heads: 4, layers: 1 }).dim, 10);
});
