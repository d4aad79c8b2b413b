/**
 * Local weighted smoothing fused per row: VRKG4Rec's LWS (Lu et al. 2023, eq. 5-6) as its
 * authors' code computes it (lulu0913/VRKG4Rec, modules/VRKG.py), over graph g (rows the
 * centres h, sources the neighbours t), per-edge weights w, neighbour rows x and residuals res:
 *   m_0 = sum_t w_t x_t
 *   u_q = NORM(m_{q-1}) + res_h,  d_{q,t} = u_q . x_t,  q = 1 .. Q-1
 *   c_{q,t} = d_{q,t}, or compounding (their KG messages, rescaled in place) c_{q-1,t}^2 d_{q,t}
 *   m_q = sum_t w_t c_{q,t} x_t;  the output is m_{Q-1}
 * One op instead of Q spmmEdge, Q-1 squash, add, sddmmDot and mul each: the same bits as that
 * composition forward (every operation in its order), one pass over a row's edges per step, and
 * one kernel call a direction (src/engine/kernels/lws.ts and its WebAssembly twin). Backward,
 * per row (reverse of the loop above), the weights' and residual's gradients and each edge's
 * message to its source; x's gradient sums those messages in the transposed order (bySource),
 * so its bits do not depend on how rows are split between threads.
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import { identity } from './axpy.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { lwsSavedLengths, lwsScratchLength } from '../../poolKernels/lws.js';
import type { EdgeRows } from '../../poolKernels/edgeRows.js';
import {
  checkEdges,
  checkNodes,
  forEachEdge,
  onPool,
  SELF_LOOP_GRAPH,
  SMALL_GRAPH,
  type MessageGraph,
} from './messageGraph.js';

/** Each source's edges as rows over the edges themselves: sums of per-edge rows by source. */
function sumsBySource(bySrc: EdgeRows): EdgeRows {
  if (bySrc.edgeAt === undefined) throw new Error('lwsSmooth: the transposed rows lack edges');
  return { ...bySrc, nOther: bySrc.nnz, other: bySrc.edgeAt, edgeAt: undefined };
}

export function lwsSmooth(
  t: Tape,
  g: MessageGraph,
  w: Tensor,
  x: Tensor,
  res: Tensor,
  iterations: number,
  compound: boolean,
): Tensor {
  const { pool } = t;
  const { byDst, bySrc } = onPool(pool, g);
  checkEdges('lwsSmooth', w, g);
  if (w.cols !== 1) throw new RangeError(`lwsSmooth: edge weights ${w.shape}, expected one column`);
  checkNodes('lwsSmooth', 'x', x, g.nCols, 1);
  checkNodes('lwsSmooth', 'res', res, g.nRows, 1);
  if (res.cols !== x.cols)
    throw new RangeError(`lwsSmooth: res ${res.shape} and x ${x.shape} differ in columns`);
  if (!(Number.isInteger(iterations) && iterations >= 1))
    throw new RangeError(`lwsSmooth: ${iterations} iterations, expected an integer >= 1`);
  const dim = x.cols;
  const out = t.output(g.nRows, dim, [w, x, res]);
  const n = lwsSavedLengths(byDst, dim, iterations);
  const saved = { m: t.buffer(n.m), u: t.buffer(n.m), edges: t.buffer(n.edges) };
  const inputs = { rows: byDst, w: w.data, x: x.data, dim, iterations, compound };
  pool.lwsForward(inputs, res.data, out.data, saved);
  if (out.requiresGrad)
    t.record(() => {
      const dO = out.grad;
      if (!dO) return;
      const dW = t.gradTarget(w);
      const dR = t.gradTarget(res);
      const dX = t.gradTarget(x);
      const nnz = byDst.nnz;
      const mg = t.buffer(Math.max(1, nnz * dim));
      pool.lwsBackward(
        inputs,
        saved,
        {
          g: dO,
          dw: dW ? dW.g : t.buffer(Math.max(1, nnz)),
          dres: dR ? dR.g : t.buffer(g.nRows * dim),
          mg,
          dc: t.buffer(Math.max(1, nnz)),
          es: t.buffer(Math.max(1, nnz)),
          addW: dW !== undefined && !dW.fresh,
          addRes: dR !== undefined && !dR.fresh,
        },
        t.buffer(lwsScratchLength(pool, dim)),
      );
      if (!dX) return;
      // d x_s = the sum of s's edge messages, in bySource's fixed order
      const ones = identity(pool, nnz).ones.subarray(0, nnz);
      pool.edgeSpmm(sumsBySource(bySrc), ones, 1, mg.subarray(0, nnz * dim), dX.g, !dX.fresh);
    });
  return out;
}

interface LwsArgs {
  readonly graph: MessageGraph;
  readonly iterations: number;
  readonly compound: boolean;
}

/** The float64 reference: the equations of the header, row by row. */
function reference([w, x, res]: readonly Matrix64[], a: LwsArgs): Matrix64 {
  const d = x.cols;
  const out = matrix64(a.graph.nRows, d);
  const row = (m: Matrix64, r: number): Float64Array => m.data.subarray(r * d, (r + 1) * d);
  const dot = (u: Float64Array, v: Float64Array): number => u.reduce((s, z, j) => s + z * v[j], 0);
  const edges: { v: number; k: number; u: number }[] = [];
  forEachEdge(a.graph, (v, k, u) => edges.push({ v, k, u }));
  for (let v = 0; v < a.graph.nRows; v++) {
    const mine = edges.filter((e) => e.v === v);
    const c = mine.map(() => 1);
    let m = new Float64Array(d);
    for (let q = 0; q < a.iterations; q++) {
      if (q > 0) {
        const n = dot(m, m);
        const s = n > 1e-30 ? Math.sqrt(n) / (1 + n) : 0;
        const u = m.map((z, j) => s * z + res.data[v * d + j]);
        mine.forEach((e, i) => {
          const dq = dot(u, row(x, e.u));
          c[i] = a.compound && q > 1 ? c[i] * c[i] * dq : dq;
        });
      }
      const next = new Float64Array(d);
      mine.forEach((e, i) => {
        const xu = row(x, e.u);
        for (let j = 0; j < d; j++) next[j] += w.data[e.k] * c[i] * xu[j];
      });
      m = next;
    }
    out.data.set(m, v * d);
  }
  return out;
}

registerOp<LwsArgs>({
  name: 'lwsSmooth',
  apply: (t, [w, x, res], a) => lwsSmooth(t, a.graph, w, x, res, a.iterations, a.compound),
  reference,
  cases: [
    {
      label: '4x3 graph (an empty row), d 3, Q 3, compounding',
      inputs: [
        { rows: 6, cols: 1 },
        { rows: 3, cols: 3 },
        { rows: 4, cols: 3 },
      ],
      args: { graph: SMALL_GRAPH, iterations: 3, compound: true },
    },
    {
      label: 'self-loops, d 5, Q 3, plain',
      inputs: [
        { rows: 7, cols: 1 },
        { rows: 3, cols: 5 },
        { rows: 3, cols: 5 },
      ],
      args: { graph: SELF_LOOP_GRAPH, iterations: 3, compound: false },
    },
    {
      label: '4x3 graph, d 2, Q 1 (a weighted sum)',
      inputs: [
        { rows: 6, cols: 1 },
        { rows: 3, cols: 2 },
        { rows: 4, cols: 2 },
      ],
      args: { graph: SMALL_GRAPH, iterations: 1, compound: true },
    },
  ],
});
