/**
 * e[k, h] = aDst[v, h] + aSrc[u, h] for each edge k = (u -> v) and head h: DGL's u_add_v, the
 * per-edge attention logit of GAT (a^T [W h_v || W h_u] = a_dst . W h_v + a_src . W h_u, each
 * half computed once per node). aDst [nDst x heads], aSrc [nSrc x heads], e [nnz x heads].
 *   daDst[v] = sum of de over v's edges (its CSR row)
 *   daSrc[u] = sum of de over u's edges (through the transpose, bySource)
 * Both sums are edgeSpmm against ones (one head per column: de x 1 is exact, so it is the
 * plain sum in edge order).
 */
import { registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import {
  checkNodes,
  edgeCount,
  onPool,
  perEdge64,
  SELF_LOOP_GRAPH,
  SMALL_GRAPH,
  type MessageGraph,
} from './messageGraph.js';

export function sddmmAdd(t: Tape, g: MessageGraph, aDst: Tensor, aSrc: Tensor): Tensor {
  const H = aDst.cols;
  const { pool } = t;
  const { byDst, bySrc } = onPool(pool, g);
  checkNodes('sddmmAdd', 'aDst', aDst, g.nRows, H);
  if (aSrc.rows !== g.nCols || aSrc.cols !== H)
    throw new RangeError(`sddmmAdd: aSrc is ${aSrc.shape}, expected [${g.nCols} x ${H}]`);
  const e = t.output(edgeCount(g), H, [aDst, aSrc]);
  pool.edgeAdd(byDst, aDst.data, aSrc.data, H, e.data);
  if (e.requiresGrad)
    t.record(() => {
      const de = e.grad;
      if (!de) return;
      const ones = t.buffer(Math.max(g.nRows, g.nCols) * H).fill(1);
      const dD = t.gradTarget(aDst);
      if (dD) pool.edgeSpmm(byDst, de, H, ones.subarray(0, g.nCols * H), dD.g, !dD.fresh);
      const dS = t.gradTarget(aSrc);
      if (dS) pool.edgeSpmm(bySrc, de, H, ones.subarray(0, g.nRows * H), dS.g, !dS.fresh);
    });
  return e;
}

registerOp<MessageGraph>({
  name: 'sddmmAdd',
  apply: (t, [aDst, aSrc], g) => sddmmAdd(t, g, aDst, aSrc),
  reference: ([aDst, aSrc], g) =>
    perEdge64(
      g,
      aDst.cols,
      (v, u, h) => aDst.data[v * aDst.cols + h] + aSrc.data[u * aDst.cols + h],
    ),
  cases: [
    {
      label: '4x3 graph, 2 heads',
      inputs: [
        { rows: 4, cols: 2 },
        { rows: 3, cols: 2 },
      ],
      args: SMALL_GRAPH,
    },
    {
      label: 'self-loops, 1 head',
      inputs: [
        { rows: 3, cols: 1 },
        { rows: 3, cols: 1 },
      ],
      args: SELF_LOOP_GRAPH,
    },
  ],
});
