/**
 * The fused local weighted smoothing op (VRKG4Rec): the same bits forward as the composition
 * of ops it replaces, and the same bits forward and backward on WebAssembly and JS, 1-3 threads.
 * (Its gradient against finite differences is the generic gradient check's.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { Tape } from '../../../src/engine/tape/tape.js';
import type { Tensor } from '../../../src/engine/tape/tensor.js';
import {
  add,
  lwsSmooth,
  mul,
  sddmmDot,
  spmmEdge,
  squash,
  sum,
  type MessageGraph,
} from '../../../src/engine/tape/ops/index.js';
import { Rng } from '../../../src/util/rng.js';
import { assertKernelsAgree, randomDense, sameBits, withPool } from './helpers.js';

/** A random graph of nRows over nCols sources, some rows empty, a source listed twice in a row. */
function randomGraph(nRows: number, nCols: number, seed: number): MessageGraph {
  const rng = new Rng(seed);
  const indptr = new Int32Array(nRows + 1);
  const indices: number[] = [];
  for (let r = 0; r < nRows; r++) {
    const n = r % 7 === 3 ? 0 : 1 + rng.int(5);
    for (let k = 0; k < n; k++) indices.push(rng.int(nCols));
    if (r === 1) indices.push(indices[indices.length - 1]);
    indptr[r + 1] = indices.length;
  }
  return { nRows, nCols, indptr, indices: Int32Array.from(indices) };
}

/** The composition the op replaces (VRKG4Rec's lwsMean before the fused op). */
function composed(
  t: Tape,
  g: MessageGraph,
  w: Tensor,
  x: Tensor,
  res: Tensor,
  Q: number,
  compound: boolean,
): Tensor {
  let c: Tensor | undefined;
  let m = spmmEdge(t, g, w, x);
  for (let q = 1; q < Q; q++) {
    const u = add(t, squash(t, m), res);
    const dot = sddmmDot(t, g, u, x, 1);
    c = compound && c ? mul(t, c, mul(t, c, dot)) : dot;
    m = spmmEdge(t, g, mul(t, w, c), x);
  }
  return m;
}

const CASES = [
  { rows: 40, cols: 25, dim: 64, Q: 3, compound: true },
  { rows: 33, cols: 50, dim: 7, Q: 3, compound: false },
  { rows: 20, cols: 9, dim: 12, Q: 4, compound: true },
  { rows: 10, cols: 6, dim: 5, Q: 1, compound: false },
];

function inputs(p: Pool, t: Tape, c: (typeof CASES)[number], seed: number) {
  const g = randomGraph(c.rows, c.cols, seed);
  const nnz = g.indptr[g.nRows];
  const w = t.input(p.shared(randomDense(nnz, seed + 1).map((v) => 0.2 + v * v)), nnz, 1, true);
  const x = t.input(p.shared(randomDense(c.cols * c.dim, seed + 2)), c.cols, c.dim, true);
  const res = t.input(p.shared(randomDense(c.rows * c.dim, seed + 3)), c.rows, c.dim, true);
  return { g, w, x, res };
}

test('lwsSmooth forward: the same bits as spmmEdge, squash, add, sddmmDot and mul composed', async () => {
  await withPool({ threads: 2, minParallelWork: 0 }, (p) => {
    CASES.forEach((c, at) => {
      const t = new Tape(p);
      const { g, w, x, res } = inputs(p, t, c, 10 * at);
      const fused = lwsSmooth(t, g, w, x, res, c.Q, c.compound).data.slice();
      const plain = composed(t, g, w, x, res, c.Q, c.compound).data.slice();
      assert.ok(sameBits(fused, plain), `case ${at}: forward bits differ`);
      t.reset();
    });
  });
});

test('lwsSmooth backward: within float32 rounding of the composition gradients', async () => {
  await withPool({ threads: 1 }, (p) => {
    CASES.forEach((c, at) => {
      const grads = (f: typeof lwsSmooth): Float32Array[] => {
        const t = new Tape(p);
        const { g, w, x, res } = inputs(p, t, c, 10 * at);
        const out = f(t, g, w, x, res, c.Q, c.compound);
        // a loss with a different weight per output element
        const seed = t.input(p.shared(randomDense(out.size, 99)), out.rows, out.cols);
        t.backward(sum(t, mul(t, out, seed)));
        const got = [w, x, res].map((v) => (v.grad ?? new Float32Array(v.size)).slice());
        t.reset();
        return got;
      };
      const fused = grads(lwsSmooth);
      const plain = grads(composed);
      fused.forEach((a, i) => {
        const scale = Math.max(1, ...plain[i].map(Math.abs));
        a.forEach((v, k) =>
          assert.ok(
            Math.abs(v - plain[i][k]) <= 2e-5 * scale,
            `case ${at}, input ${i}, ${k}: ${v} vs ${plain[i][k]}`,
          ),
        );
      });
    });
  });
});

test('lwsSmooth: WebAssembly and JS on 1-3 threads give the same bits forward and backward', async () => {
  for (const [at, c] of CASES.entries())
    await assertKernelsAgree(
      `case ${at}`,
      (p) => {
        const t = new Tape(p);
        const { g, w, x, res } = inputs(p, t, c, 10 * at);
        const out = lwsSmooth(t, g, w, x, res, c.Q, c.compound);
        const seed = t.input(p.shared(randomDense(out.size, 98)), out.rows, out.cols);
        t.backward(sum(t, mul(t, out, seed)));
        const got = {
          out: out.data.slice(),
          dw: (w.grad ?? new Float32Array(0)).slice(),
          dx: (x.grad ?? new Float32Array(0)).slice(),
          dres: (res.grad ?? new Float32Array(0)).slice(),
        };
        t.reset();
        return got;
      },
      {},
      0,
    );
});

test('lwsSmooth refuses mismatched shapes before computing', async () => {
  await withPool({ threads: 1 }, (p) => {
    const t = new Tape(p);
    const { g, w, x, res } = inputs(p, t, CASES[1], 5);
    assert.throws(() => lwsSmooth(t, g, w, x, x, 3, false), /lwsSmooth: res is/);
    assert.throws(() => lwsSmooth(t, g, w, x, res, 0, false), /0 iterations/);
    assert.throws(() => lwsSmooth(t, g, x, x, res, 3, false), /edge values/);
    t.reset();
  });
});
