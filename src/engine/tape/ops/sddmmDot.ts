/**
 * e[k, h] = <xDst[v, block h], ySrc[u, block h]> for each edge k = (u -> v) and head h: DGL's
 * u_dot_v per head (dot-product attention logits, edge scores). xDst [nDst x heads*d],
 * ySrc [nSrc x heads*d], e [nnz x heads].
 *   dxDst[v, block h] = sum over v's edges of de[k, h] ySrc[u, block h]
 *   dySrc[u, block h] = sum over u's edges of de[k, h] xDst[v, block h] (through bySource)
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

export function sddmmDot(
  t: Tape,
  g: MessageGraph,
  xDst: Tensor,
  ySrc: Tensor,
  heads: number,
): Tensor {
  if (!(Number.isInteger(heads) && heads > 0)) throw new RangeError(`sddmmDot: ${heads} heads`);
  const { pool } = t;
  const { byDst, bySrc } = onPool(pool, g);
  checkNodes('sddmmDot', 'xDst', xDst, g.nRows, heads);
  checkNodes('sddmmDot', 'ySrc', ySrc, g.nCols, heads);
  if (xDst.cols !== ySrc.cols)
    throw new RangeError(`sddmmDot: xDst ${xDst.shape} and ySrc ${ySrc.shape} differ in columns`);
  const e = t.output(edgeCount(g), heads, [xDst, ySrc]);
  pool.edgeDots(byDst, xDst.data, ySrc.data, heads, e.data);
  if (e.requiresGrad)
    t.record(() => {
      const de = e.grad;
      if (!de) return;
      const dX = t.gradTarget(xDst);
      if (dX) pool.edgeSpmm(byDst, de, heads, ySrc.data, dX.g, !dX.fresh);
      const dY = t.gradTarget(ySrc);
      if (dY) pool.edgeSpmm(bySrc, de, heads, xDst.data, dY.g, !dY.fresh);
    });
  return e;
}

registerOp<{ graph: MessageGraph; heads: number }>({
  name: 'sddmmDot',
  apply: (t, [x, y], { graph, heads }) => sddmmDot(t, graph, x, y, heads),
  reference: ([x, y], { graph, heads }) => {
    const d = x.cols / heads;
    return perEdge64(graph, heads, (v, u, h) => {
      let s = 0;
      for (let j = h * d; j < (h + 1) * d; j++)
        s += x.data[v * x.cols + j] * y.data[u * x.cols + j];
      return s;
    });
  },
  cases: [
    {
      label: '4x3 graph, 2 heads of 3',
      inputs: [
        { rows: 4, cols: 6 },
        { rows: 3, cols: 6 },
      ],
      args: { graph: SMALL_GRAPH, heads: 2 },
    },
    {
      label: 'self-loops, 1 head of 2',
      inputs: [
        { rows: 3, cols: 2 },
        { rows: 3, cols: 2 },
      ],
      args: { graph: SELF_LOOP_GRAPH, heads: 1 },
    },
  ],
});
