/**
 * e[k, h] = aDst[v, h] + aSrc[u, h] for each edge k = (u -> v) and head h: DGL's u_add_v, the
 * per-edge attention logit of GAT (a^T [W h_v || W h_u] = a_dst . W h_v + a_src . W h_u, each
 * half computed once per node). aDst [nDst x heads], aSrc [nSrc x heads], e [nnz x heads].
 *   daDst[v] = sum of de over v's edges (its CSR row)
 *   daSrc[u] = sum of de over u's edges (through the transpose, bySource)
 */
import { registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import {
  bySource,
  checkNodes,
  edgeCount,
  perEdge64,
  SELF_LOOP_GRAPH,
  SMALL_GRAPH,
  type MessageGraph,
} from './messageGraph.js';

export function sddmmAdd(t: Tape, g: MessageGraph, aDst: Tensor, aSrc: Tensor): Tensor {
  const H = aDst.cols;
  const order = bySource(g);
  checkNodes('sddmmAdd', 'aDst', aDst, g.nRows, H);
  if (aSrc.rows !== g.nCols || aSrc.cols !== H)
    throw new RangeError(`sddmmAdd: aSrc is ${aSrc.shape}, expected [${g.nCols} x ${H}]`);
  const { indptr, indices } = g;
  const D = aDst.data;
  const S = aSrc.data;
  const e = t.output(edgeCount(g), H, [aDst, aSrc]);
  const E = e.data;
  for (let v = 0; v < g.nRows; v++)
    for (let k = indptr[v]; k < indptr[v + 1]; k++) {
      const u = indices[k];
      for (let h = 0; h < H; h++) E[k * H + h] = D[v * H + h] + S[u * H + h];
    }
  if (e.requiresGrad)
    t.record(() => {
      const de = e.grad;
      if (!de) return;
      const dD = t.grad(aDst);
      if (dD)
        for (let v = 0; v < g.nRows; v++)
          for (let k = indptr[v]; k < indptr[v + 1]; k++)
            for (let h = 0; h < H; h++) dD[v * H + h] += de[k * H + h];
      const dS = t.grad(aSrc);
      if (dS)
        for (let u = 0; u < g.nCols; u++)
          for (let p = order.indptr[u]; p < order.indptr[u + 1]; p++) {
            const k = order.edges[p];
            for (let h = 0; h < H; h++) dS[u * H + h] += de[k * H + h];
          }
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
