import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sgnsDraw, sgnsTables, SGNS_TABLE_ENTRIES } from '../../../src/engine/kernels/sgns.js';
import type { Pool, SgnsBlock, SgnsTables } from '../../../src/engine/pool.js';
import { sgnsNegativeTable } from '../../../src/engine/poolKernels/sgns.js';
import { Rng } from '../../../src/util/rng.js';
import { maxAbsDiff, randomDense, sameBits, withPool } from './helpers.js';

const NODES = 40;

/** Random walks over NODES nodes, some cut short by -1. */
function randomWalks(count: number, length: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const w = new Int32Array(count * length);
  for (let k = 0; k < count; k++) {
    const n = rng.next() < 0.3 ? 1 + rng.int(length) : length;
    for (let j = 0; j < length; j++) w[k * length + j] = j < n ? rng.int(NODES) : -1;
  }
  return w;
}

interface Setup {
  dim: number;
  shared?: boolean;
  scale?: number;
  negatives?: number;
  window?: number;
  walks?: Int32Array;
  length?: number;
  lrStep?: number;
  lrStart?: number;
  lrMin?: number;
}

function counts(): Float64Array {
  return Float64Array.from({ length: NODES }, (_, v) => 1 + ((v * 7) % 11));
}

/** The tables after training on the block on this pool, and the reported loss and pairs. */
function run(pool: Pool, s: Setup, mode: 'deterministic' | 'hogwild' = 'deterministic') {
  const { dim, scale = 0.3, length = 9 } = s;
  const input = pool.allocF32(NODES * dim);
  input.set(randomDense(NODES * dim, 3, scale));
  const output = s.shared ? input : pool.allocF32(NODES * dim);
  if (!s.shared) output.set(randomDense(NODES * dim, 4, scale));
  const tables: SgnsTables = {
    input,
    output,
    dim,
    negativeTable: sgnsNegativeTable(pool, counts(), 1000),
    lookup: pool.shared(sgnsTables()),
  };
  const block: SgnsBlock = {
    walks: pool.shared(s.walks ?? randomWalks(30, length, 5)),
    length,
    window: s.window ?? 3,
    negatives: s.negatives ?? 4,
    seed: 1234,
    position: 77,
    lrStart: s.lrStart ?? 0.05,
    lrStep: s.lrStep ?? 0.001,
    lrMin: s.lrMin ?? 0.02,
  };
  const r = pool.sgns(tables, block, mode);
  return {
    input: input.slice(),
    output: output.slice(),
    ...r,
    negativeTable: tables.negativeTable,
  };
}

test('sgns kernel: WASM and JS, 1 and 2 threads in deterministic mode: the same bits', async () => {
  const cases: Setup[] = [
    { dim: 1 },
    { dim: 7 },
    { dim: 16, shared: true },
    { dim: 64 },
    // dots far beyond the tables' [-16, 16]: sigma 0 or 1
    { dim: 20, scale: 3 },
    { dim: 12, window: 20, negatives: 1 },
  ];
  const runs: ReturnType<typeof run>[][] = [];
  for (const kernels of ['wasm', 'js'] as const)
    for (const threads of [1, 2])
      runs.push(
        await withPool({ threads, kernels, minParallelWork: 0 }, (p) =>
          cases.map((c) => run(p, c)),
        ),
      );
  cases.forEach((c, i) => {
    const first = runs[0][i];
    assert.ok(first.pairs > 0 && Number.isFinite(first.loss), JSON.stringify(c));
    for (const r of runs.slice(1).map((x) => x[i])) {
      assert.ok(sameBits(first.input, r.input), `input ${JSON.stringify(c)}`);
      assert.ok(sameBits(first.output, r.output), `output ${JSON.stringify(c)}`);
      assert.equal(r.loss, first.loss);
      assert.equal(r.pairs, first.pairs);
    }
  });
});

/**
 * The contract in float64 with the exact sigmoid, written out pair by pair: for each center j
 * and context m, the context then each negative (one equal to the context skipped) moves its
 * output row by g h and adds g o to e; h += e after the pair.
 */
function reference(
  input: Float64Array,
  output: Float64Array,
  dim: number,
  walk: number[],
  window: number,
  negatives: number,
  draw: (c: number) => number,
  lr: number,
): number {
  const sigma = (x: number) => 1 / (1 + Math.exp(-x));
  let loss = 0;
  let c = 0;
  for (let j = 0; j < walk.length; j++)
    for (let m = Math.max(0, j - window); m <= Math.min(walk.length - 1, j + window); m++) {
      if (m === j) continue;
      const h = walk[j] * dim;
      const e = new Float64Array(dim);
      const targets: [number, number][] = [[walk[m], 1]];
      for (let s = 0; s < negatives; s++) {
        const n = draw(++c);
        if (n !== walk[m]) targets.push([n, 0]);
      }
      for (const [target, label] of targets) {
        const o = target * dim;
        let x = 0;
        for (let d = 0; d < dim; d++) x += input[h + d] * output[o + d];
        loss -= Math.log(label ? sigma(x) : sigma(-x));
        const g = (label - sigma(x)) * lr;
        for (let d = 0; d < dim; d++) {
          e[d] += g * output[o + d];
          output[o + d] += g * input[h + d];
        }
      }
      for (let d = 0; d < dim; d++) input[h + d] += e[d];
    }
  return loss;
}

test('sgns kernel: one walk against the update written out in float64', async () => {
  const dim = 5;
  const length = 4;
  // one walk of three nodes (then -1), window 1: pairs (3, 8), (8, 3), (8, 5), (5, 8)
  const walk = [3, 8, 5];
  const walks = Int32Array.of(...walk, -1);
  for (const kernels of ['wasm', 'js'] as const) {
    const r = await withPool({ threads: 1, kernels }, (p) =>
      run(p, { dim, walks, length, window: 1, negatives: 3, lrStep: 0, scale: 0.8 }),
    );
    const table = r.negativeTable;
    const input = Float64Array.from(randomDense(NODES * dim, 3, 0.8));
    const output = Float64Array.from(randomDense(NODES * dim, 4, 0.8));
    const draw = (c: number) => table[sgnsDraw(1234, 77, c, table.length)];
    const loss = reference(input, output, dim, walk, 1, 3, draw, 0.05);
    assert.equal(r.pairs, 4);
    assert.ok(Math.abs(r.loss - loss) < 1e-5, `${kernels}: loss ${r.loss} vs ${loss}`);
    assert.ok(maxAbsDiff(r.input, input) < 1e-6, `${kernels}: input`);
    assert.ok(maxAbsDiff(r.output, output) < 1e-6, `${kernels}: output`);
    // and the step did something: rows 3, 8, 5 of input moved
    assert.ok(maxAbsDiff(r.input, randomDense(NODES * dim, 3, 0.8)) > 1e-3);
  }
});

test('sgns kernel: walk k of a block trains at max(lrMin, lrStart - k lrStep)', async () => {
  // one walk with pairs at index k, the others a single node (no pair)
  const length = 3;
  const only = (k: number) => {
    const w = new Int32Array(50 * length).fill(-1);
    for (let j = 0; j < 50; j++) w[j * length] = j % NODES;
    w.set([5, 6, 7], k * length);
    return w;
  };
  await withPool({ threads: 1 }, (p) => {
    for (const [k, lr] of [
      [0, 0.05],
      [2, Math.fround(0.05 - Math.fround(2 * Math.fround(0.001)))],
      [45, 0.02],
    ]) {
      const decayed = run(p, { dim: 8, walks: only(k), length, lrStep: 0.001 });
      const fixed = run(p, { dim: 8, walks: only(k), length, lrStep: 0, lrStart: lr, lrMin: lr });
      assert.equal(decayed.pairs, 6);
      assert.ok(sameBits(decayed.input, fixed.input), `walk ${k} at ${lr}`);
      const other = run(p, { dim: 8, walks: only(k), length, lrStep: 0, lrStart: 0.03 });
      assert.ok(!sameBits(decayed.input, other.input), `walk ${k}: the rate matters`);
    }
  });
});

test('sgns kernel: the negative table holds each node in proportion to count^0.75', async () => {
  await withPool({ threads: 1 }, (p) => {
    const c = counts();
    c[5] = 0;
    const size = 100000;
    const table = sgnsNegativeTable(p, c, size);
    const seen = new Float64Array(NODES);
    for (const v of table) seen[v]++;
    const total = c.reduce((a, x) => a + x ** 0.75, 0);
    c.forEach((x, v) => assert.ok(Math.abs(seen[v] - (x ** 0.75 / total) * size) <= 1, `${v}`));
    assert.equal(seen[5], 0);
    // the draws of a walk depend on its position and the seed alone, and spread over the table
    const draws = Array.from({ length: 2000 }, (_, k) => sgnsDraw(9, 3, k + 1, size));
    assert.ok(draws.every((d) => d >= 0 && d < size));
    assert.ok(new Set(draws).size > 1900);
    assert.notEqual(sgnsDraw(9, 4, 1, size), sgnsDraw(9, 3, 1, size));
  });
});

test('sgns kernel: hogwild on 2 threads trains the same pairs, to a nearby loss', async () => {
  const c: Setup = { dim: 32, walks: randomWalks(400, 9, 6) };
  const det = await withPool({ threads: 2, minParallelWork: 0 }, (p) => run(p, c));
  const hog = await withPool({ threads: 2, minParallelWork: 0 }, (p) => run(p, c, 'hogwild'));
  assert.equal(hog.pairs, det.pairs);
  assert.ok(Math.abs(hog.loss - det.loss) / det.loss < 0.05, `${hog.loss} vs ${det.loss}`);
  // the threads' updates interleave as they happen to run: close, not the same bits (unless
  // one thread happened to finish before the other started)
  assert.ok(maxAbsDiff(hog.input, det.input) < 0.5);
});

test('sgns kernel: refuses walks with nodes outside the tables, and tables outside the pool', async () => {
  await withPool({ threads: 1 }, (p) => {
    const walks = randomWalks(3, 9, 1);
    walks[4] = NODES;
    assert.throws(() => run(p, { dim: 4, walks }), /walks\[4\] = 40 is neither -1 nor a node/);
    assert.throws(() => sgnsNegativeTable(p, new Float64Array(3), 10), /every count is 0/);
    assert.equal(sgnsTables().length, 2 * SGNS_TABLE_ENTRIES);
  });
});
