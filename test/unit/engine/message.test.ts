import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from '../../../src/engine/pool.js';
import { bySource, type MessageGraph } from '../../../src/engine/tape/ops/messageGraph.js';
import { expfJs } from '../../../src/engine/kernels/message.js';
import { assertKernelsAgree, put, randomCsr, randomDense, withPool } from './helpers.js';

interface Shape {
  readonly nDst: number;
  readonly nSrc: number;
  readonly C: number;
  readonly H: number;
  readonly skip: number;
}

/** Every input of the edge kernels for one shape, seeded. */
function inputs({ nDst, nSrc, C, H }: Shape, seed: number) {
  const csr = randomCsr(nDst, nSrc, 0.3, seed);
  const g: MessageGraph = { nRows: nDst, nCols: nSrc, indptr: csr.indptr, indices: csr.indices };
  const nnz = csr.indptr[nDst];
  return {
    g,
    nnz,
    w: randomDense(nnz * H, seed + 1),
    xSrc: randomDense(nSrc * C, seed + 2),
    xDst: randomDense(nDst * C, seed + 3),
    acc: randomDense(nSrc * C, seed + 4),
    aDst: randomDense(nDst * H, seed + 5),
    aSrc: randomDense(nSrc * H, seed + 6),
    // logits spread wide enough that the shift by the row's maximum matters
    logits: randomDense(nnz * H, seed + 7, 8),
    dA: randomDense(nnz * H, seed + 8),
    eAcc: randomDense(nnz * H, seed + 9),
  };
}

type Inputs = ReturnType<typeof inputs>;

/** Every edge kernel on one pool; outputs copied out by name. */
function runKernels(p: Pool, s: Shape, i: Inputs): Record<string, Float32Array> {
  const { g, nnz } = i;
  const { nDst, nSrc, C, H, skip } = s;
  const order = bySource(g);
  const byDst = p.uploadEdgeRows(g.indptr, g.indices, nSrc);
  const bySrc = p.uploadEdgeRows(order.indptr, order.dst, nDst, order.edges);
  const w = put(p, i.w, skip);
  const xSrc = put(p, i.xSrc, skip + 1);
  const xDst = put(p, i.xDst, skip);
  const spmm = p.allocF32(nDst * C);
  p.edgeSpmm(byDst, w, H, xSrc, spmm);
  const spmmT = put(p, i.acc, skip);
  p.edgeSpmm(bySrc, w, H, xDst, spmmT, true);
  const dots = p.allocF32(nnz * H);
  p.edgeDots(byDst, xDst, xSrc, H, dots);
  const dotsAdd = put(p, i.eAcc, skip);
  p.edgeDots(byDst, xDst, xSrc, H, dotsAdd, true);
  const add = p.allocF32(nnz * H);
  p.edgeAdd(byDst, put(p, i.aDst, skip), put(p, i.aSrc, skip), H, add);
  const soft = p.allocF32(nnz * H);
  p.edgeSoftmax(byDst, put(p, i.logits, skip), H, soft);
  const back = p.allocF32(nnz * H);
  const dA = put(p, i.dA, skip);
  p.edgeSoftmaxBack(byDst, soft, dA, H, back);
  const backAcc = put(p, i.eAcc, skip + 2);
  p.edgeSoftmaxBack(byDst, soft, dA, H, backAcc, true);
  const out = { spmm, spmmT, dots, dotsAdd, add, soft, back, backAcc };
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.slice()]));
}

/** The same in float64, edge by edge (softmax unshifted). */
function reference(s: Shape, i: Inputs): Record<string, Float64Array> {
  const { g, nnz } = i;
  const { nDst, C, H } = s;
  const d = C / H;
  const spmm = new Float64Array(nDst * C);
  const spmmT = Float64Array.from(i.acc);
  const dots = new Float64Array(nnz * H);
  const add = new Float64Array(nnz * H);
  const total = new Float64Array(nDst * H);
  for (let v = 0; v < nDst; v++)
    for (let k = g.indptr[v]; k < g.indptr[v + 1]; k++) {
      const u = g.indices[k];
      for (let j = 0; j < C; j++) {
        const wk = i.w[k * H + Math.floor(j / d)];
        spmm[v * C + j] += wk * i.xSrc[u * C + j];
        spmmT[u * C + j] += wk * i.xDst[v * C + j];
        dots[k * H + Math.floor(j / d)] += i.xDst[v * C + j] * i.xSrc[u * C + j];
      }
      for (let h = 0; h < H; h++) {
        add[k * H + h] = i.aDst[v * H + h] + i.aSrc[u * H + h];
        total[v * H + h] += Math.exp(i.logits[k * H + h]);
      }
    }
  const soft = new Float64Array(nnz * H);
  const back = new Float64Array(nnz * H);
  for (let v = 0; v < nDst; v++)
    for (let h = 0; h < H; h++) {
      let sum = 0;
      for (let k = g.indptr[v]; k < g.indptr[v + 1]; k++) {
        soft[k * H + h] = Math.exp(i.logits[k * H + h]) / total[v * H + h];
        sum += soft[k * H + h] * i.dA[k * H + h];
      }
      for (let k = g.indptr[v]; k < g.indptr[v + 1]; k++)
        back[k * H + h] = soft[k * H + h] * (i.dA[k * H + h] - sum);
    }
  const plus = (a: Float64Array, b: Float32Array) => a.map((x, k) => x + b[k]);
  return {
    spmm,
    spmmT,
    dots,
    dotsAdd: plus(dots, i.eAcc),
    add,
    soft,
    back,
    backAcc: plus(back, i.eAcc),
  };
}

const SHAPES: Shape[] = [
  // d = 3: single columns only; d = 8: GAT's hidden heads; d = 20: passes of 16 and of 4;
  // d = 5: a head boundary inside a group of 8 (the JS twin's accumulators); H = 8 and 5: the
  // softmax's four heads at a time, and then one
  { nDst: 7, nSrc: 5, C: 6, H: 2, skip: 1 },
  { nDst: 40, nSrc: 30, C: 64, H: 8, skip: 0 },
  { nDst: 50, nSrc: 60, C: 20, H: 1, skip: 3 },
  { nDst: 31, nSrc: 23, C: 10, H: 2, skip: 2 },
  { nDst: 20, nSrc: 25, C: 10, H: 5, skip: 1 },
];

test('edge kernels (edgeSpmm both orders, edgeDots, edgeAdd, edgeSoftmax and its backward): WASM and JS, 1-3 threads, the same bits, within float32 of a float64 reference', async () => {
  for (const [n, s] of SHAPES.entries()) {
    const inp = inputs(s, 100 * n + 1);
    const want = reference(s, inp);
    await assertKernelsAgree(
      `C ${s.C} in ${s.H} head(s)`,
      (p) => runKernels(p, s, inp),
      want,
      2e-5,
    );
  }
});

test('edge kernels: a destination without edges gets a zero row; bad shapes are refused', async () => {
  await withPool({ threads: 2, minParallelWork: 0 }, (p) => {
    // row 1 has no edges
    const rows = p.uploadEdgeRows(Int32Array.from([0, 2, 2, 3]), Int32Array.from([0, 1, 1]), 2);
    const w = p.shared(Float32Array.from([1, 2, 3]));
    const x = p.shared(Float32Array.from([1, 1, 10, 10]));
    const out = p.shared(Float32Array.from([9, 9, 9, 9, 9, 9]));
    p.edgeSpmm(rows, w, 1, x, out);
    assert.deepEqual([...out], [21, 21, 0, 0, 30, 30]);
    assert.throws(() => p.edgeSpmm(rows, w, 1, x, p.allocF32(5)), /out has 5 values/);
    assert.throws(() => p.edgeSpmm(rows, p.allocF32(9), 3, x, out), /multiple of 3 heads/);
    assert.throws(
      () => p.uploadEdgeRows(Int32Array.from([0, 1]), Int32Array.from([2]), 2),
      /entry 0 points at row 2 of 2/,
    );
  });
});

test('expf (edgeSoftmax exponentials): within 2 float32 ulp of e^x on [-87.3, 0], exactly 1 at 0, 0 below and at -Infinity', () => {
  let worst = 0;
  for (let i = 0; i <= 200_000; i++) {
    const x = Math.fround(-87.3 * (i / 200_000) ** 2);
    const want = Math.exp(x);
    const ulp = 2 ** (Math.floor(Math.log2(want)) - 23);
    worst = Math.max(worst, Math.abs(expfJs(x) - want) / ulp);
  }
  assert.ok(worst <= 2, `worst error ${worst} ulp`);
  assert.equal(expfJs(0), 1);
  assert.equal(expfJs(-88), 0);
  assert.equal(expfJs(-Infinity), 0);
});
