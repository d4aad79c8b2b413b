/**
 * a[k, h] = exp(e[k, h]) / sum over v's edges k' of exp(e[k', h]): the softmax of each head's
 * edge values over each destination's incoming edges (DGL's edge_softmax; GAT eq. 2), shifted
 * by the row's maximum so no exp overflows. A destination without edges has nothing to
 * normalise. e and a are [nnz x heads].
 *   de = a ⊙ (da - sum over v's edges of a ⊙ da)
 */
import { registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import {
  checkEdges,
  onPool,
  perEdge64,
  SELF_LOOP_GRAPH,
  SMALL_GRAPH,
  type MessageGraph,
} from './messageGraph.js';

export function edgeSoftmax(t: Tape, g: MessageGraph, e: Tensor): Tensor {
  const { pool } = t;
  const { byDst } = onPool(pool, g);
  checkEdges('edgeSoftmax', e, g);
  const H = e.cols;
  const a = t.output(e.rows, H, [e]);
  pool.edgeSoftmax(byDst, e.data, H, a.data);
  if (a.requiresGrad)
    t.record(() => {
      const da = a.grad;
      const de = da && t.gradTarget(e);
      if (!da || !de) return;
      pool.edgeSoftmaxBack(byDst, a.data, da, H, de.g, !de.fresh);
    });
  return a;
}

registerOp<MessageGraph>({
  name: 'edgeSoftmax',
  apply: (t, [e], g) => edgeSoftmax(t, g, e),
  reference: ([e], g) => {
    const H = e.cols;
    // the plain formula, unshifted: float64 has room for these inputs
    const total = new Float64Array(g.nRows * H);
    const ex = perEdge64(g, H, (_v, _u, h, k) => Math.exp(e.data[k * H + h]));
    perEdge64(g, H, (v, _u, h, k) => (total[v * H + h] += ex.data[k * H + h]));
    return perEdge64(g, H, (v, _u, h, k) => ex.data[k * H + h] / total[v * H + h]);
  },
  cases: [
    { label: '4x3 graph, 2 heads', inputs: [{ rows: 6, cols: 2 }], args: SMALL_GRAPH },
    { label: 'self-loops, 3 heads', inputs: [{ rows: 7, cols: 3 }], args: SELF_LOOP_GRAPH },
  ],
});
