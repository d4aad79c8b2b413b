import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCsr } from '../../../src/data/csr.js';
import type { Interactions } from '../../../src/data/types.js';
import { Rng } from '../../../src/util/rng.js';
import { dropEntries } from '../../../src/graph/dropEntries.js';
import { Ngcf, NGCF_DEFAULTS, type NgcfHyper, type NgcfOptions } from '../../../src/models/ngcf.js';
import { MODELS, resolveHyper } from '../../../src/models/registry.js';
import type { ModelContext } from '../../../src/models/types.js';
import { softplus } from '../../../src/train/losses.js';

function context(train: Interactions, seed = 3, threads = 1): ModelContext {
  const { nUsers, nItems, users, items } = train;
  return {
    train,
    trainCsr: buildCsr(nUsers, nItems, users, items),
    trainCsrT: buildCsr(nItems, nUsers, items, users),
    rng: new Rng(seed),
    threads,
    log: () => undefined,
  };
}

/** 4 users, 5 items; item 4 has one user, user 3 one item. */
function tinyContext(seed = 3): ModelContext {
  const users = Int32Array.of(0, 0, 1, 1, 2, 2, 2, 3);
  const items = Int32Array.of(0, 1, 1, 2, 2, 3, 4, 0);
  return context({ nUsers: 4, nItems: 5, users, items }, seed);
}

/** A random graph: nUsers users with 3..6 distinct items each among nItems. */
function randomContext(nUsers: number, nItems: number, seed: number, threads = 1): ModelContext {
  const rng = new Rng(1000 + seed);
  const u: number[] = [];
  const i: number[] = [];
  for (let user = 0; user < nUsers; user++) {
    const picked = new Set<number>();
    const deg = 3 + rng.int(4);
    while (picked.size < deg) picked.add(rng.int(nItems));
    for (const item of picked) {
      u.push(user);
      i.push(item);
    }
  }
  return context(
    { nUsers, nItems, users: Int32Array.from(u), items: Int32Array.from(i) },
    seed,
    threads,
  );
}

/** Eq. 7 and eq. 9 computed densely in float64 from the model's parameters, dropout off. */
function denseFinal(m: Ngcf): Float64Array {
  const s = m.state();
  const n = m.nUsers + m.nItems;
  const d = m.dim;
  const K = m.nLayers;
  const L = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    for (let p = m.adj.indptr[r]; p < m.adj.indptr[r + 1]; p++)
      L[r * n + m.adj.indices[p]] = m.adj.values[p];
  // p_ui = 1 / sqrt(|N_u| |N_i|) (eq. 3): check one entry straight from the degrees
  let E = Float64Array.from(s.ego);
  const blocks: Float64Array[] = [E];
  for (let l = 0; l < K; l++) {
    const W1 = s[`W1_${l}`];
    const W2 = s[`W2_${l}`];
    const b1 = s[`b1_${l}`];
    const b2 = s[`b2_${l}`];
    const LE = new Float64Array(n * d);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++)
        if (L[r * n + c]) for (let j = 0; j < d; j++) LE[r * d + j] += L[r * n + c] * E[c * d + j];
    const out = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < d; j++) {
        // ((L + I) E W1)_rj + b1_j + ((L E ⊙ E) W2)_rj + b2_j; the authors': (Â E W1)_rj + ...
        let sum = b1[j];
        let prod = b2[j];
        for (let k = 0; k < d; k++) {
          sum += (LE[r * d + k] + (m.selfTerm ? E[r * d + k] : 0)) * W1[k * d + j];
          prod += LE[r * d + k] * E[r * d + k] * W2[k * d + j];
        }
        const leaky = (v: number) => (v > 0 ? v : 0.2 * v);
        // one LeakyReLU of the sum (eq. 7), or one per term (the TensorFlow code)
        out[r * d + j] = m.perTerm ? leaky(sum) + leaky(prod) : leaky(sum + prod);
      }
    }
    const normed = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      let sq = 0;
      for (let j = 0; j < d; j++) sq += out[r * d + j] ** 2;
      const inv = 1 / Math.sqrt(Math.max(sq, 1e-12));
      for (let j = 0; j < d; j++) normed[r * d + j] = out[r * d + j] * inv;
    }
    blocks.push(normed);
    E = out;
  }
  const D = d * (K + 1);
  const fin = new Float64Array(n * D);
  for (let r = 0; r < n; r++)
    blocks.forEach((b, l) => fin.set(b.subarray(r * d, (r + 1) * d), r * D + l * d));
  return fin;
}

/** Eq. 11 in float64 on the dense final embeddings: BPR mean + reg/2 (|u|^2+|i|^2+|j|^2) / batch. */
function denseLoss(
  m: Ngcf,
  fin: Float64Array,
  users: Int32Array,
  pos: Int32Array,
  neg: Int32Array,
  reg: number,
): number {
  const D = m.dim * (m.nLayers + 1);
  const row = (node: number) => fin.subarray(node * D, (node + 1) * D);
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, k) => s + v * b[k], 0);
  let bpr = 0;
  let l2 = 0;
  for (let q = 0; q < users.length; q++) {
    const u = row(users[q]);
    const i = row(m.nUsers + pos[q]);
    const j = row(m.nUsers + neg[q]);
    bpr += softplus(dot(u, j) - dot(u, i));
    l2 += dot(u, u) + dot(i, i) + dot(j, j);
  }
  return bpr / users.length + (reg / 2) * (l2 / users.length);
}

const batch = {
  users: Int32Array.of(0, 2, 3, 2, 1),
  pos: Int32Array.of(1, 4, 0, 2, 2),
  neg: Int32Array.of(3, 0, 4, 1, 0),
};

async function withModel<T>(
  ctx: ModelContext,
  hyper: Partial<NgcfHyper>,
  f: (m: Ngcf) => T | Promise<T>,
  options: NgcfOptions = {},
): Promise<T> {
  const m = await Ngcf.create(ctx, hyper, options);
  try {
    return await f(m);
  } finally {
    await m.dispose();
  }
}

test("defaults are the paper's Gowalla setting; registered as ngcf", () => {
  assert.deepEqual(
    {
      dim: 64,
      layers: 3,
      lr: 1e-4,
      reg: 1e-5,
      batchSize: 1024,
      messageDropout: 0.1,
      nodeDropout: 0,
    },
    Object.fromEntries(
      Object.entries(NGCF_DEFAULTS).filter(([k]) =>
        ['dim', 'layers', 'lr', 'reg', 'batchSize', 'messageDropout', 'nodeDropout'].includes(k),
      ),
    ),
  );
  const e = MODELS.get('ngcf');
  assert.ok(e?.trainable);
  assert.match(e.paper ?? '', /Neural Graph Collaborative Filtering, SIGIR 2019/);
  assert.deepEqual(Object.keys(e.defaults).sort(), [
    'activation',
    'batchSize',
    'dim',
    'layers',
    'loss',
    'lr',
    'lrEpochs',
    'lrMin',
    'lrSchedule',
    'messageDropout',
    'negatives',
    'nodeDropout',
    'propagation',
    'reg',
    'sampler',
  ]);
  assert.equal(resolveHyper(e, { nodeDropout: '0.2' }).nodeDropout, 0.2);
});

test('forward pass equals eq. 7/9 computed densely in float64, with either propagation and activation', async () => {
  for (const [layers, propagation, activation] of [
    [0, 'paper', 'of-sum'],
    [1, 'paper', 'of-sum'],
    [3, 'paper', 'of-sum'],
    [1, 'authors', 'of-sum'],
    [3, 'authors', 'of-sum'],
    [3, 'authors', 'per-term'],
    [2, 'paper', 'per-term'],
  ] as const) {
    await withModel(tinyContext(), { dim: 4, layers, reg: 0.1, propagation, activation }, (m) => {
      assert.equal(m.perTerm, activation === 'per-term');
      // L = D^-1/2 A D^-1/2: user 2 (3 items) - item 4 (1 user) weighs 1/sqrt(3); the
      // authors' Â = D^-1 (A + I): 1/4, and user 2 keeps itself at 1/4 too
      const r = 2;
      const row = [...m.adj.indices.subarray(m.adj.indptr[r], m.adj.indptr[r + 1])];
      const weight = (c: number) => m.adj.values[m.adj.indptr[r] + row.indexOf(c)];
      if (propagation === 'paper') {
        assert.ok(Math.abs(weight(m.nUsers + 4) - 1 / Math.sqrt(3)) < 1e-7);
        assert.equal(row.indexOf(r), -1);
      } else {
        assert.equal(weight(m.nUsers + 4), 0.25);
        assert.equal(weight(r), 0.25);
      }

      const e = m.embeddings();
      assert.equal(e.dim, 4 * (layers + 1));
      const want = denseFinal(m);
      const got = [...e.users, ...e.items];
      assert.equal(got.length, want.length);
      got.forEach((v, k) =>
        assert.ok(
          Math.abs(v - want[k]) < 1e-5,
          `${propagation}/${activation}, layers ${layers} [${k}] ${v} vs ${want[k]}`,
        ),
      );
      // the batch path (last layer at the batch's nodes only), dropout off, gives the same loss
      const loss = m.lossAndGradients(batch).loss;
      const ref = denseLoss(m, want, batch.users, batch.pos, batch.neg, 0.1);
      assert.ok(
        Math.abs(loss - ref) < 1e-5 * Math.max(1, Math.abs(ref)),
        `layers ${layers}: loss ${loss} vs ${ref}`,
      );
    });
  }
});

test('gradients of eq. 11 match finite differences (E(0), W1, b1, W2, b2)', async () => {
  // without dropout, and while training with both dropouts, their masks held fixed by
  // reseeding the generator before every evaluation
  // restrictBelow 2: the layer below the last always at the rows the last one reads
  for (const [training, propagation, activation, restrictBelow] of [
    [false, 'paper', 'of-sum', 0],
    [true, 'paper', 'of-sum', 0],
    [false, 'authors', 'of-sum', 0],
    [true, 'authors', 'of-sum', 0],
    [false, 'authors', 'per-term', 0],
    [true, 'authors', 'per-term', 0],
    [true, 'paper', 'of-sum', 2],
    [true, 'authors', 'per-term', 2],
  ] as const) {
    await withModel(
      tinyContext(5),
      {
        dim: 3,
        layers: 2,
        reg: 0.3,
        messageDropout: 0.5,
        nodeDropout: 0.5,
        propagation,
        activation,
      },
      (m) => {
        const fix = () => training && m.beginEpoch(1, new Rng(11));
        fix();
        const r = m.lossAndGradients(batch, training);
        const grads = Object.fromEntries(Object.entries(r.grads).map(([k, v]) => [k, v.slice()]));
        const state = m.state();
        // small enough that no LeakyReLU input crosses 0 between the two evaluations
        const h = 3e-3;
        let checked = 0;
        for (const name of Object.keys(grads)) {
          const x = state[name];
          for (let k = 0; k < x.length; k++) {
            const keep = x[k];
            x[k] = keep + h;
            m.load(state);
            fix();
            const up = m.lossAndGradients(batch, training).loss;
            x[k] = keep - h;
            m.load(state);
            fix();
            const down = m.lossAndGradients(batch, training).loss;
            x[k] = keep;
            const fd = (up - down) / (2 * h);
            const g = grads[name][k];
            assert.ok(
              Math.abs(fd - g) < 1e-3 + 1e-2 * Math.abs(fd),
              `${propagation}/${activation}/${restrictBelow}, training ${training}, ${name}[${k}]: analytic ${g} vs numeric ${fd}`,
            );
            checked++;
          }
        }
        m.load(state);
        assert.equal(checked, 9 * 3 + 2 * (3 * 3 + 3 + 3 * 3 + 3));
        // the gradient reaches E(0) outside the batch's rows (through propagation) and both weights
        const largest = (g: Float32Array) => Math.max(...g.map(Math.abs));
        assert.ok(
          largest(grads.W2_0) > 1e-6 && largest(grads.W1_1) > 1e-6,
          `${propagation}/${activation}/${restrictBelow}, training ${training}: |dW2_0| ${largest(grads.W2_0)}, |dW1_1| ${largest(grads.W1_1)}`,
        );
      },
      { restrictBelow },
    );
  }
});

test("layers computed at the rows the layers above read: the full computation's loss and gradients", async () => {
  // 350 nodes of degree ~5; 4 triples touch ~12 nodes, ~70 with their neighbours
  const users = Int32Array.of(3, 50, 120, 199);
  const pos = Int32Array.of(1, 20, 40, 80);
  const neg = Int32Array.of(7, 70, 100, 149);
  for (const [propagation, activation, layers] of [
    ['paper', 'of-sum', 3],
    ['authors', 'per-term', 3],
    ['authors', 'of-sum', 4],
  ] as const) {
    const run = (restrictBelow: number) =>
      withModel(
        randomContext(200, 150, 6),
        { dim: 8, layers, reg: 0.01, propagation, activation },
        (m) => {
          const r = m.lossAndGradients({ users, pos, neg });
          return {
            loss: r.loss,
            grads: Object.fromEntries(Object.entries(r.grads).map(([k, v]) => [k, v.slice()])),
            rowCounts: [...m.layerRowCounts],
          };
        },
        { restrictBelow },
      );
    const full = await run(0);
    const some = await run(2);
    const what = `${propagation}/${activation}, ${layers} layers`;
    // every layer below the last in full, or each at fewer rows than the one below it
    assert.deepEqual(full.rowCounts, new Array<number>(layers - 1).fill(350), what);
    assert.ok(
      some.rowCounts.every((c, l) => c < (l ? some.rowCounts[l - 1] : 350)),
      `${what}: ${some.rowCounts.join(', ')} rows`,
    );
    assert.ok(Math.abs(full.loss - some.loss) < 1e-6 * Math.abs(full.loss), `${what}: loss`);
    for (const [k, g] of Object.entries(full.grads)) {
      const scale = Math.max(...g.map(Math.abs));
      assert.ok(scale > 0, `${what}: ${k} has a gradient`);
      some.grads[k].forEach((v, i) =>
        assert.ok(Math.abs(v - g[i]) <= 1e-5 * scale, `${what}: ${k}[${i}] ${v} vs ${g[i]}`),
      );
    }
  }
});

test('dropout only while training, from the seeded generator', async () => {
  const off = await withModel(tinyContext(), { dim: 4, layers: 2, messageDropout: 0 }, (m) => ({
    e: m.embeddings(),
    loss: m.lossAndGradients(batch, true).loss,
  }));
  await withModel(
    tinyContext(),
    { dim: 4, layers: 2, messageDropout: 0.5, nodeDropout: 0.5 },
    (m) => {
      const e = m.embeddings();
      assert.deepEqual(e.users, off.e.users);
      assert.deepEqual(e.items, off.e.items);
      assert.equal(m.lossAndGradients(batch).loss, off.loss);
      const a = m.lossAndGradients(batch, true).loss;
      const b = m.lossAndGradients(batch, true).loss;
      assert.notEqual(a, off.loss);
      assert.notEqual(a, b, 'a new mask per batch');
    },
  );
});

test('node dropout keeps each entry of L with probability 1 - rate, rescaled', () => {
  const ctx = randomContext(200, 150, 1);
  const users = new Int32Array(ctx.trainCsr.indices.length);
  for (let u = 0; u < ctx.trainCsr.nRows; u++)
    users.fill(u, ctx.trainCsr.indptr[u], ctx.trainCsr.indptr[u + 1]);
  const L = { ...ctx.trainCsr, values: new Float32Array(ctx.trainCsr.indices.length).fill(0.5) };
  const d = dropEntries(L, 0.25, new Rng(1));
  const kept = d.indptr[d.nRows] / L.indptr[L.nRows];
  assert.ok(Math.abs(kept - 0.75) < 0.03, `kept ${kept}`);
  assert.ok(d.values.every((v) => Math.abs(v - 0.5 / 0.75) < 1e-7));
  assert.deepEqual(dropEntries(L, 0.25, new Rng(1)), d);
});

test('training lowers the loss and is reproducible from the seed', async () => {
  const run = (seed: number) =>
    withModel(
      randomContext(30, 40, seed),
      {
        dim: 8,
        layers: 2,
        lr: 0.01,
        batchSize: 32,
        reg: 1e-4,
        messageDropout: 0.1,
        nodeDropout: 0.1,
      },
      (m) => {
        const rng = new Rng(seed + 7);
        const epochs: number[] = [];
        for (let ep = 1; ep <= 12; ep++) {
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
  const c = await run(2);
  assert.ok(
    a.epochs.at(-1)! < a.epochs[0] - 0.05,
    `loss ${a.epochs.map((x) => x.toFixed(4)).join(' ')}`,
  );
  assert.deepEqual(a.epochs, b.epochs);
  assert.deepEqual(a.e.users, b.e.users);
  assert.deepEqual(a.e.items, b.e.items);
  assert.notDeepEqual(a.epochs, c.epochs);
});

test('training is bit-identical for 1 and 2 threads (kernels split across threads)', async () => {
  // large enough (about 19k non-zeros x 16 columns) for the pool to split its kernels
  const run = (threads: number) =>
    withModel(
      randomContext(2000, 1500, 4, threads),
      { dim: 16, layers: 3, lr: 0.01, batchSize: 2048, nodeDropout: 0.1 },
      (m) => {
        const rng = new Rng(9);
        const losses: number[] = [];
        for (let ep = 1; ep <= 2; ep++) {
          m.beginEpoch(ep, rng);
          for (let b = 0; b < m.batchesPerEpoch(); b++) losses.push(m.trainStep(b));
        }
        return { losses, e: m.embeddings() };
      },
    );
  const one = await run(1);
  const two = await run(2);
  assert.deepEqual(two.losses, one.losses);
  assert.deepEqual(two.e.users, one.e.users);
  assert.deepEqual(two.e.items, one.e.items);
});

test('the engine memory it holds stays the same from batch to batch', async () => {
  // every layer below the last in full (restrictBelow 0): on a graph this small the restricted
  // rows flip between some and all nodes from batch to batch, and the tape's arena grows to the
  // largest of each buffer once (tens of kB here) before it settles
  const hyper = { dim: 4, layers: 3, batchSize: 16, messageDropout: 0.2, nodeDropout: 0.2 };
  const m = await Ngcf.create(randomContext(20, 25, 3), hyper, { restrictBelow: 0 });
  try {
    const rng = new Rng(1);
    m.beginEpoch(1, rng);
    m.trainStep(0); // the first batch sizes the work arrays kept between batches
    const steady = m.engineBytes;
    for (let ep = 1; ep <= 2; ep++) {
      m.beginEpoch(ep, rng);
      for (let b = 0; b < m.batchesPerEpoch(); b++) {
        m.trainStep(b);
        assert.equal(m.engineBytes, steady, `epoch ${ep} batch ${b}`);
      }
    }
    m.embeddings();
    m.load(m.state());
    m.lossAndGradients(batch, true);
    assert.equal(m.engineBytes, steady);
  } finally {
    await m.dispose();
  }
});

test('the ranker scores by e*_u . e*_i (eq. 10)', async () => {
  await withModel(tinyContext(), { dim: 4, layers: 2 }, async (m) => {
    const e = m.embeddings();
    const ranker = m.ranker(1);
    try {
      const top = await ranker.topK(Int32Array.of(1), 5, []);
      const score = (i: number) =>
        e.users.subarray(e.dim, 2 * e.dim).reduce((s, v, k) => s + v * e.items[i * e.dim + k], 0);
      for (let r = 1; r < 5; r++) assert.ok(score(top[r - 1]) >= score(top[r]));
    } finally {
      await ranker.dispose?.();
    }
  });
});

test('hyperparameters are checked', async () => {
  await assert.rejects(Ngcf.create(tinyContext(), { nodeDropout: 1 }), /nodeDropout/);
  await assert.rejects(Ngcf.create(tinyContext(), { layers: 1.5 }), /layers/);
  await assert.rejects(Ngcf.create(tinyContext(), { loss: 'nope' }), /loss/);
});
