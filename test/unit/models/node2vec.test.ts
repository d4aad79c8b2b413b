import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/util/rng.js';
import { bipartiteGraph } from '../../../src/graph/bipartite.js';
import { randomWalks } from '../../../src/graph/walks.js';
import {
  deepWalk,
  negativeTable,
  node2vec,
  sgnsStep,
  walkOccurrences,
  windowPairs,
} from '../../../src/models/node2vec.js';
import { epochRng } from '../../../src/train/trainer.js';
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

test('negatives follow the walk occurrences raised to 0.75', () => {
  const o = { length: 12, walksPerNode: 3, seed: 9, p: 0.5, q: 2, starts };
  const counts = walkOccurrences(graph, o);
  // the counts are the corpus's: every node of every walk, once per occurrence
  const expected = new Float64Array(graph.nRows);
  for (const v of randomWalks(graph, o).nodes) if (v >= 0) expected[v]++;
  assert.deepEqual(counts, expected);

  const table = negativeTable(counts);
  const rng = new Rng(11);
  const n = 400000;
  const seen = new Float64Array(graph.nRows);
  for (let k = 0; k < n; k++) seen[table.sample(rng)]++;
  const weights = Array.from(counts, (c) => c ** 0.75);
  const total = weights.reduce((a, b) => a + b, 0);
  const rawTotal = counts.reduce((a, b) => a + b, 0);
  let apartFromRaw = 0;
  weights.forEach((w, v) => {
    const p = w / total;
    const sigma = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(seen[v] / n - p) <= 5 * sigma, `node ${v}: ${seen[v] / n} vs ${p}`);
    if (Math.abs(seen[v] / n - counts[v] / rawTotal) > 5 * sigma) apartFromRaw++;
  });
  // and not the raw unigram: the most and least frequent nodes tell them apart
  assert.ok(apartFromRaw >= 2, `${apartFromRaw} nodes tell count^0.75 from count`);
});

/** Two epochs with the trainer's epoch streams, as `reclab train` runs them. */
function trained(
  kind: 'deepwalk' | 'node2vec',
  seed: number,
  from = 1,
  to = 2,
  start?: Record<string, Float32Array>,
) {
  const ctx = { ...contextOf(train), rng: new Rng(seed) };
  const hyper = {
    dim: 8,
    walkLength: 10,
    walksPerNode: 2,
    window: 3,
    negatives: 3,
    decayEpochs: 4,
  };
  const model =
    kind === 'deepwalk' ? deepWalk(ctx, hyper) : node2vec(ctx, { ...hyper, p: 0.5, q: 2 });
  if (start) model.load(start);
  const losses: number[] = [];
  for (let e = from; e <= to; e++) {
    model.beginEpoch(e, epochRng(seed, e));
    for (let b = 0; b < model.batchesPerEpoch(); b++) losses.push(model.trainStep(b));
  }
  return { state: model.state(), losses, model };
}

test('training is deterministic for a seed, differs across seeds, and resumes exactly', () => {
  for (const kind of ['deepwalk', 'node2vec'] as const) {
    const a = trained(kind, 3, 1, 4);
    assert.deepEqual(trained(kind, 3, 1, 4).state, a.state, kind);
    assert.notDeepEqual(trained(kind, 4, 1, 4).state.input, a.state.input, kind);
    // two epochs, a checkpoint, a fresh model loading it for epochs 3-4
    const first = trained(kind, 3, 1, 2);
    const copy = Object.fromEntries(Object.entries(first.state).map(([k, v]) => [k, v.slice()]));
    const resumed = trained(kind, 3, 3, 4, copy);
    assert.deepEqual(resumed.state, a.state, `${kind}: resumed`);
    assert.deepEqual([...first.losses, ...resumed.losses], a.losses);
    assert.ok(a.losses.every(Number.isFinite));
  }
});

test('the rate falls linearly over decayEpochs passes to lr * 1e-4 and stays there', () => {
  const { model } = trained('deepwalk', 3, 1, 1);
  const walks = 2 * graph.nRows;
  assert.equal(model.rateAt(0), 0.025);
  assert.ok(Math.abs(model.rateAt(walks * 2) - 0.0125) < 1e-12);
  assert.ok(Math.abs(model.rateAt(walks * 4) - 0.025e-4) < 1e-12);
  assert.ok(Math.abs(model.rateAt(walks * 9) - 0.025e-4) < 1e-12);
});

test('DeepWalk walks uniformly whatever p and q are given; node2vec uses them', () => {
  const ctx = contextOf(train);
  const hyper = { dim: 4, walkLength: 6, walksPerNode: 1, window: 2 };
  const a = deepWalk({ ...ctx, rng: new Rng(1) }, { ...hyper, p: 0.25, q: 4 } as typeof hyper);
  const b = node2vec({ ...ctx, rng: new Rng(1) }, { ...hyper, p: 1, q: 1 });
  const c = node2vec({ ...ctx, rng: new Rng(1) }, { ...hyper, p: 0.25, q: 4 });
  const run = (m: typeof a) => {
    m.beginEpoch(1, epochRng(1, 1));
    m.trainStep(0);
    return m.state().input;
  };
  assert.deepEqual(run(a), run(b));
  assert.notDeepEqual(run(c), run(b));
});
