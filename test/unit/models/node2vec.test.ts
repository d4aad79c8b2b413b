import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/util/rng.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { randomWalks } from '../../../src/graph/walks.js';
import { sgnsDraw } from '../../../src/engine/kernels/sgns.js';
import { Pool } from '../../../src/engine/pool.js';
import { sgnsNegativeTable } from '../../../src/engine/poolKernels/sgns.js';
import {
  deepWalk,
  negativeTableSize,
  node2vec,
  walkOccurrences,
  type Node2Vec,
} from '../../../src/models/node2vec.js';
import { epochRng } from '../../../src/train/trainer.js';
import type { Interactions } from '../../../src/data/types.js';
import { sgnsStep, windowPairs } from './sgnsReference.js';
import { contextOf, randomTrain } from './walkContext.js';

function pairsOf(walk: number[], window: number): [number, number][] {
  const w = Int32Array.from(walk);
  const centers = new Int32Array(w.length * 2 * window);
  const contexts = new Int32Array(centers.length);
  const n = windowPairs(w, window, centers, contexts);
  return Array.from({ length: n }, (_, k) => [centers[k], contexts[k]]);
}

test('a walk gives exactly the (center, context) pairs within the window, up to its first -1', () => {
  assert.deepEqual(pairsOf([10, 11, 12, 13], 1), [
    [10, 11],
    [11, 10],
    [11, 12],
    [12, 11],
    [12, 13],
    [13, 12],
  ]);
  assert.deepEqual(pairsOf([10, 11, 12, 13, 14], 2), [
    [10, 11],
    [10, 12],
    [11, 10],
    [11, 12],
    [11, 13],
    [12, 10],
    [12, 11],
    [12, 13],
    [12, 14],
    [13, 11],
    [13, 12],
    [13, 14],
    [14, 12],
    [14, 13],
  ]);
  // a dead end pads the walk with -1; a window longer than the walk takes every other node
  assert.deepEqual(pairsOf([5, 6, 5, -1, -1], 10), [
    [5, 6],
    [5, 5],
    [6, 5],
    [6, 5],
    [5, 5],
    [5, 6],
  ]);
  assert.deepEqual(pairsOf([7, -1, -1], 3), []);
});

/** Minus the SGNS objective of one pair, in float64, from the two tables (negatives = context skipped). */
function pairLoss(
  input: Float64Array,
  output: Float64Array,
  dim: number,
  center: number,
  targets: number[],
): number {
  const dot = (t: number) => {
    let s = 0;
    for (let k = 0; k < dim; k++) s += input[center * dim + k] * output[t * dim + k];
    return s;
  };
  const logSigma = (x: number) => -Math.log1p(Math.exp(-x));
  const [context, ...negs] = targets;
  return -(
    logSigma(dot(context)) +
    negs.filter((n) => n !== context).reduce((s, n) => s + logSigma(-dot(n)), 0)
  );
}

test('an SGNS step moves every row by lr times the gradient of the objective (finite differences)', () => {
  const dim = 4;
  const nodes = 6;
  const rng = new Rng(5);
  const input0 = Float32Array.from({ length: nodes * dim }, () => rng.normal() * 0.5);
  const output0 = Float32Array.from({ length: nodes * dim }, () => rng.normal() * 0.5);
  // the context drawn again as a negative is skipped, as word2vec.c does
  const center = 0;
  const context = 1;
  const negs = Int32Array.of(2, 3, 1, 5);
  const targets = [context, ...negs];
  const lr = 0.5;
  const input = input0.slice();
  const output = output0.slice();
  const loss = sgnsStep(
    input,
    output,
    dim,
    center,
    context,
    negs,
    negs.length,
    lr,
    new Float32Array(dim),
  );

  const in64 = Float64Array.from(input0);
  const out64 = Float64Array.from(output0);
  assert.ok(Math.abs(loss - pairLoss(in64, out64, dim, center, targets)) < 1e-5, 'loss');
  const h = 1e-6;
  const fd = (table: Float64Array, at: number) => {
    const v = table[at];
    table[at] = v + h;
    const up = pairLoss(in64, out64, dim, center, targets);
    table[at] = v - h;
    const down = pairLoss(in64, out64, dim, center, targets);
    table[at] = v;
    return (up - down) / (2 * h);
  };
  for (let at = 0; at < nodes * dim; at++) {
    // ascent on the objective: row' = row - lr * d(loss)/d(row); untouched rows stay
    const inStep = (input[at] - input0[at]) / lr;
    const outStep = (output[at] - output0[at]) / lr;
    assert.ok(
      Math.abs(inStep + fd(in64, at)) < 1e-5,
      `input[${at}]: ${inStep} vs ${-fd(in64, at)}`,
    );
    assert.ok(
      Math.abs(outStep + fd(out64, at)) < 1e-5,
      `output[${at}]: ${outStep} vs ${-fd(out64, at)}`,
    );
  }
  // the step changed the rows of the center, the context and the negatives, nothing else
  assert.notDeepEqual(input.subarray(0, dim), input0.subarray(0, dim));
  assert.deepEqual(input.subarray(dim), input0.subarray(dim));
  assert.deepEqual(output.subarray(4 * dim, 5 * dim), output0.subarray(4 * dim, 5 * dim));
});

const train = randomTrain(30, 20, 7);
const graph = bipartiteGraph(contextOf(train).trainCsr);
const starts = Int32Array.from({ length: graph.nRows }, (_, v) => v);

const SMALL = { dim: 8, walkLength: 10, walksPerNode: 2, window: 3, negatives: 3, decayEpochs: 4 };

/** Epochs from..to with the trainer's epoch streams, as `reclab train` runs them. */
async function trained(
  kind: 'deepwalk' | 'node2vec',
  seed: number,
  from = 1,
  to = 2,
  start?: Record<string, Float32Array>,
  extra: { threads?: number; hogwild?: boolean } = {},
) {
  const ctx = { ...contextOf(train), rng: new Rng(seed), threads: extra.threads ?? 1 };
  const hyper = { ...SMALL, hogwild: extra.hogwild ?? false };
  const model =
    kind === 'deepwalk' ? deepWalk(ctx, hyper) : node2vec(ctx, { ...hyper, p: 0.5, q: 2 });
  if (start) model.load(start);
  const losses = await epochs(model, seed, from, to);
  const state = Object.fromEntries(Object.entries(model.state()).map(([k, v]) => [k, v.slice()]));
  await model.dispose();
  return { state, losses, model };
}

async function epochs(model: Node2Vec, seed: number, from: number, to: number) {
  const losses: number[] = [];
  for (let e = from; e <= to; e++) {
    await model.beginEpoch(e, epochRng(seed, e));
    for (let b = 0; b < model.batchesPerEpoch(); b++) losses.push(model.trainStep(b));
  }
  return losses;
}

test('training is deterministic for a seed, differs across seeds, and resumes exactly', async () => {
  for (const kind of ['deepwalk', 'node2vec'] as const) {
    const a = await trained(kind, 3, 1, 4);
    assert.deepEqual((await trained(kind, 3, 1, 4)).state, a.state, kind);
    assert.notDeepEqual((await trained(kind, 4, 1, 4)).state.input, a.state.input, kind);
    // two epochs, a checkpoint, a fresh model loading it for epochs 3-4
    const first = await trained(kind, 3, 1, 2);
    const resumed = await trained(kind, 3, 3, 4, first.state);
    assert.deepEqual(resumed.state, a.state, `${kind}: resumed`);
    assert.deepEqual([...first.losses, ...resumed.losses], a.losses);
    assert.ok(a.losses.every(Number.isFinite));
  }
});

test('on the pool, one thread reproduces the former JS loop (float64 dots, exact sigmoid) to 1e-5', async () => {
  const seed = 3;
  const { state, losses } = await trained('node2vec', seed, 1, 3);
  // the model's draws from its context stream: input vectors, then the walks' seed
  const rng = new Rng(seed);
  const n = graph.nRows;
  const dim = SMALL.dim;
  const input = Float32Array.from({ length: n * dim }, () => (rng.next() - 0.5) / dim);
  const output = new Float32Array(n * dim);
  const o = { length: SMALL.walkLength, walksPerNode: 2, seed: rng.nextU32(), p: 0.5, q: 2 };
  const corpus = randomWalks(graph, { ...o, starts }).nodes;
  const pool = new Pool({ threads: 1 });
  const table = sgnsNegativeTable(pool, walkOccurrences(corpus, n), negativeTableSize(n)).slice();
  await pool.dispose();
  const count = 2 * n;
  const len = SMALL.walkLength;
  const centers = new Int32Array(len * 2 * SMALL.window);
  const contexts = new Int32Array(centers.length);
  const negs = new Int32Array(SMALL.negatives);
  const scratch = new Float32Array(dim);
  const refLosses: number[] = [];
  for (let e = 1; e <= 3; e++) {
    const er = epochRng(seed, e);
    const order = er.shuffle(Int32Array.from({ length: count }, (_, r) => r));
    const epochSeed = er.nextU32();
    let loss = 0;
    let pairs = 0;
    for (let w = 0; w < count; w++) {
      const walk = corpus.subarray(order[w] * len, (order[w] + 1) * len);
      const lr = 0.025 * Math.max(1e-4, 1 - ((e - 1) * count + w) / (4 * count));
      const np = windowPairs(walk, SMALL.window, centers, contexts);
      let c = 0;
      for (let k = 0; k < np; k++) {
        for (let s = 0; s < negs.length; s++)
          negs[s] = table[sgnsDraw(epochSeed, w, ++c, table.length)];
        loss += sgnsStep(
          input,
          output,
          dim,
          centers[k],
          contexts[k],
          negs,
          negs.length,
          lr,
          scratch,
        );
      }
      pairs += np;
    }
    refLosses.push(loss / pairs);
  }
  let diff = 0;
  for (let k = 0; k < input.length; k++) {
    diff = Math.max(
      diff,
      Math.abs(input[k] - state.input[k]),
      Math.abs(output[k] - state.output[k]),
    );
  }
  assert.ok(diff < 1e-5, `tables differ by ${diff}`);
  // one batch an epoch here (fewer walks than a batch): the epoch's mean loss
  assert.equal(losses.length, 3);
  losses.forEach((l, e) =>
    assert.ok(Math.abs(l - refLosses[e]) < 1e-4, `epoch ${e + 1}: ${l} vs ${refLosses[e]}`),
  );
});

/** Users and items in 4 planted communities: each user takes 6 of its community's 10 items. */
function plantedCommunities(): Interactions {
  const rng = new Rng(8);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 40; u++) {
    const c = u % 4;
    const picks = rng.shuffle(Int32Array.from({ length: 10 }, (_, k) => c * 10 + k));
    for (const i of picks.subarray(0, 6)) {
      users.push(u);
      items.push(i);
    }
  }
  return { nUsers: 40, nItems: 40, users: Int32Array.from(users), items: Int32Array.from(items) };
}

test('deterministic and hogwild SGD both find planted communities', async () => {
  const planted = plantedCommunities();
  for (const hogwild of [false, true]) {
    const ctx = { ...contextOf(planted), rng: new Rng(2), threads: 2 };
    const model = deepWalk(ctx, {
      dim: 16,
      walkLength: 20,
      walksPerNode: 10,
      window: 5,
      decayEpochs: 5,
      hogwild,
    });
    await epochs(model, 2, 1, 5);
    const { users, items } = model.embeddings();
    // each user's 4 unseen items of the highest score: the share in its own community
    let inside = 0;
    for (let u = 0; u < 40; u++) {
      const seen = new Set(planted.items.filter((_, k) => planted.users[k] === u));
      const scores = Array.from({ length: 40 }, (_, i) => {
        let s = 0;
        for (let d = 0; d < 16; d++) s += users[u * 16 + d] * items[i * 16 + d];
        return [i, s] as const;
      }).filter(([i]) => !seen.has(i));
      scores.sort((a, b) => b[1] - a[1]);
      inside += scores.slice(0, 4).filter(([i]) => Math.floor(i / 10) === u % 4).length;
    }
    await model.dispose();
    assert.ok(inside / 160 >= 0.9, `hogwild ${hogwild}: ${inside} of 160 in the community`);
  }
});

test('the rate falls linearly over decayEpochs passes to lr * 1e-4 and stays there', async () => {
  const { model } = await trained('deepwalk', 3, 1, 1);
  const walks = 2 * graph.nRows;
  assert.equal(model.rateAt(0), 0.025);
  assert.ok(Math.abs(model.rateAt(walks * 2) - 0.0125) < 1e-12);
  assert.ok(Math.abs(model.rateAt(walks * 4) - 0.025e-4) < 1e-12);
  assert.ok(Math.abs(model.rateAt(walks * 9) - 0.025e-4) < 1e-12);
});

test('DeepWalk walks uniformly whatever p and q are given; node2vec uses them', async () => {
  const ctx = contextOf(train);
  const hyper = { dim: 4, walkLength: 6, walksPerNode: 1, window: 2 };
  const a = deepWalk({ ...ctx, rng: new Rng(1) }, { ...hyper, p: 0.25, q: 4 } as typeof hyper);
  const b = node2vec({ ...ctx, rng: new Rng(1) }, { ...hyper, p: 1, q: 1 });
  const c = node2vec({ ...ctx, rng: new Rng(1) }, { ...hyper, p: 0.25, q: 4 });
  const run = async (m: typeof a) => {
    await m.beginEpoch(1, epochRng(1, 1));
    m.trainStep(0);
    const input = m.state().input.slice();
    await m.dispose();
    return input;
  };
  const [ia, ib, ic] = [await run(a), await run(b), await run(c)];
  assert.deepEqual(ia, ib);
  assert.notDeepEqual(ic, ib);
});
