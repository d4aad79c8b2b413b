/**
 * out[v, block h] = sum over v's edges k = (u -> v) of w[k, h] x[u, block h]: a weighted sum
 * of the sources' features with per-edge, per-head weights (DGL's update_all(u_mul_e, sum);
 * GAT eq. 4 with w the attention coefficients). w [nnz x heads], x [nSrc x heads*d],
 * out [nDst x heads*d]; a destination without edges gets zeros.
 *   dx[u, block h] = sum over u's edges of w[k, h] dout[v, block h]: through the transpose
 *                    (bySource), each source row summed in one fixed order
 *   dw[k, h]       = <dout[v, block h], x[u, block h]>
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import {
  checkEdges,
  checkNodes,
  forEachEdge,
  onPool,
  SELF_LOOP_GRAPH,
  SMALL_GRAPH,
  type MessageGraph,
} from './messageGraph.js';

export function spmmEdge(t: Tape, g: MessageGraph, w: Tensor, x: Tensor): Tensor {
  const { pool } = t;
  const { byDst, bySrc } = onPool(pool, g);
  checkEdges('spmmEdge', w, g);
  const H = w.cols;
  checkNodes('spmmEdge', 'x', x, g.nCols, H);
  const out = t.output(g.nRows, x.cols, [w, x]);
  pool.edgeSpmm(byDst, w.data, H, x.data, out.data);
  if (out.requiresGrad)
    t.record(() => {
      const dO = out.grad;
      if (!dO) return;
      const dX = t.gradTarget(x);
      if (dX) pool.edgeSpmm(bySrc, w.data, H, dO, dX.g, !dX.fresh);
      const dW = t.gradTarget(w);
      if (dW) pool.edgeDots(byDst, dO, x.data, H, dW.g, !dW.fresh);
    });
  return out;
}

registerOp<MessageGraph>({
  name: 'spmmEdge',
  apply: (t, [w, x], g) => spmmEdge(t, g, w, x),
  reference: ([w, x], g) => {
    const H = w.cols;
    const C = x.cols;
    const d = C / H;
    const out = matrix64(g.nRows, C);
    forEachEdge(g, (v, k, u) => {
      for (let j = 0; j < C; j++)
        out.data[v * C + j] += w.data[k * H + Math.floor(j / d)] * x.data[u * C + j];
    });
    return out;
  },
  cases: [
    {
      label: '4x3 graph, 2 heads of 2',
      inputs: [
        { rows: 6, cols: 2 },
        { rows: 3, cols: 4 },
      ],
      args: SMALL_GRAPH,
    },
    {
      label: 'self-loops, 1 head of 3',
      inputs: [
        { rows: 7, cols: 1 },
        { rows: 3, cols: 3 },
      ],
      args: SELF_LOOP_GRAPH,
    },
  ],
});
