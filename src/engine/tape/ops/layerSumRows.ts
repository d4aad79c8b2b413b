/**
 * A weighted sum of layers at a list of rows: y[r] = sum_k w_k X_k[rows[r]] (+ w_top top[r]),
 * where the X_k are full matrices (every node's E(k)) and `top` is already at those rows (an
 * spmmRows): LightGCN's eq. 8 for a batch's nodes, in one pass instead of a gather per layer
 * and a sum. Float32 sums in layer order, as the hand-fused LightGCN did (the same bits).
 * Backward: dtop = w_top dy, and dX_k[rows[r]] += w_k dy[r], each after X_k's other consumers
 * (Tape.recordAfter), so the SpMM that consumed X_k writes its gradient first.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { addRows, scaledInto } from './axpy.js';

const fround = Math.fround;

export function layerSumRows(
  t: Tape,
  layers: readonly Tensor[],
  rows: ArrayLike<number>,
  weights: readonly number[],
  top?: Tensor,
): Tensor {
  const first = layers[0] ?? top;
  const n = layers.length + (top ? 1 : 0);
  if (!first || weights.length !== n)
    throw new RangeError(`layerSumRows of ${n} layers with ${weights.length} weights`);
  const d = first.cols;
  const idx = t.indices(rows);
  for (const x of layers) {
    if (x.cols !== d || x.rows !== first.rows)
      throw new RangeError(`layerSumRows of ${first.shape} and ${x.shape}`);
    for (let k = 0; k < idx.length; k++)
      if (!(idx[k] >= 0 && idx[k] < x.rows))
        throw new RangeError(`layerSumRows: row ${idx[k]} outside [0, ${x.rows})`);
  }
  if (top && (top.rows !== idx.length || top.cols !== d))
    throw new RangeError(`layerSumRows: top ${top.shape} is not [${idx.length} x ${d}]`);
  const inputs = top ? [...layers, top] : layers;
  const y = t.output(idx.length, d, inputs);
  sumRows(
    y.data,
    layers.map((x) => x.data),
    top?.data,
    weights,
    idx,
    d,
  );
  if (y.requiresGrad) {
    // the output's own place on the tape first (recordAfter's rule), with top's gradient
    const wTop = weights[layers.length];
    t.record(() => {
      const dy = y.grad;
      if (dy && top) scaledInto(t.pool, t.gradTarget(top), dy, wTop);
    });
    layers.forEach((x, k) => {
      if (!x.requiresGrad) return;
      const w = weights[k];
      t.recordAfter(x, () => {
        const dy = y.grad;
        const dx = dy && t.gradRows(x, idx);
        if (dy && dx) addRows(dx, idx, dy, d, w);
      });
    });
  }
  return y;
}

/** y[r] = the weighted sum, float32 after each term; unrolled for LightGCN's K = 3. */
function sumRows(
  y: Float32Array,
  xs: Float32Array[],
  top: Float32Array | undefined,
  w: readonly number[],
  idx: Int32Array,
  d: number,
): void {
  const S = idx.length;
  if (xs.length === 3 && top) {
    const [x0, x1, x2] = xs;
    const [w0, w1, w2, w3] = w;
    for (let r = 0; r < S; r++) {
      const o = r * d;
      const g = idx[r] * d;
      for (let c = 0; c < d; c++) {
        let f = fround(w0 * x0[g + c]);
        f = fround(f + w1 * x1[g + c]);
        f = fround(f + w2 * x2[g + c]);
        y[o + c] = fround(f + w3 * top[o + c]);
      }
    }
    return;
  }
  const m = xs.length;
  const wTop = w[m];
  for (let r = 0; r < S; r++) {
    const o = r * d;
    const g = idx[r] * d;
    for (let c = 0; c < d; c++) {
      let f = 0;
      for (let k = 0; k < m; k++) f = fround(f + w[k] * xs[k][g + c]);
      y[o + c] = top ? fround(f + wTop * top[o + c]) : f;
    }
  }
}

interface Args {
  readonly rows: number[];
  readonly weights: number[];
  /** the last input is `top` (at the rows) rather than a full layer */
  readonly top: boolean;
}

registerOp<Args>({
  name: 'layerSumRows',
  apply: (t, xs, { rows, weights, top }) =>
    top
      ? layerSumRows(t, xs.slice(0, -1), rows, weights, xs[xs.length - 1])
      : layerSumRows(t, xs, rows, weights),
  reference: (xs, { rows, weights, top }) => {
    const d = xs[0].cols;
    const y = matrix64(rows.length, d);
    xs.forEach((x, k) =>
      rows.forEach((row, r) => {
        const from = top && k === xs.length - 1 ? r : row;
        for (let c = 0; c < d; c++) y.data[r * d + c] += weights[k] * x.data[from * d + c];
      }),
    );
    return y;
  },
  cases: [
    {
      label: 'K = 3 with top, repeated row',
      inputs: [
        { rows: 5, cols: 3 },
        { rows: 5, cols: 3 },
        { rows: 5, cols: 3 },
        { rows: 4, cols: 3 },
      ],
      args: { rows: [4, 0, 2, 4], weights: [0.25, -0.5, 1.5, 0.75], top: true },
    },
    {
      label: 'two layers, no top',
      inputs: [
        { rows: 4, cols: 2 },
        { rows: 4, cols: 2 },
      ],
      args: { rows: [3, 1, 1], weights: [0.5, 2], top: false },
    },
  ],
});
