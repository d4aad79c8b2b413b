/**
 * y[k] = x_0[rows_0[k]] + x_1[rows_1[k]] + ... : the sum of rows gathered from several matrices
 * (a model's final vectors, each layer's at its own rows), in one op instead of a gather per
 * matrix and an add per pair. Forward on the pool's gather and add kernels, summed in list order
 * (((x_0 + x_1) + x_2), the bits of the gathers added pairwise); backward adds dy[k] into each
 * x_l's row rows_l[k] (a gather's backward, after x_l's other consumers) straight from dy,
 * where the pairwise adds copied it into a gradient of each partial sum first.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { addRowsOnPool } from './axpy.js';
import { gatherRowsOf } from './gather.js';

export interface GatheredRows {
  readonly x: Tensor;
  readonly rows: ArrayLike<number>;
}

export function gatherSum(t: Tape, parts: readonly GatheredRows[]): Tensor {
  const first = parts[0];
  if (!first) throw new RangeError('gatherSum of no matrices');
  const n = first.rows.length;
  const d = first.x.cols;
  for (const p of parts)
    if (p.rows.length !== n || p.x.cols !== d)
      throw new RangeError(
        `gatherSum: ${p.rows.length} rows of ${p.x.shape}, expected ${n} rows of ${d} columns`,
      );
  const idx = parts.map((p) => t.indices(p.rows));
  const y = t.output(
    n,
    d,
    parts.map((p) => p.x),
  );
  if (n > 0) {
    const { pool } = t;
    gatherRowsOf(pool, 'gatherSum', first.x, idx[0], y.data);
    if (parts.length > 1) {
      const part = t.buffer(n * d);
      for (let l = 1; l < parts.length; l++) {
        gatherRowsOf(pool, 'gatherSum', parts[l].x, idx[l], part);
        pool.ewBinary('add', y.data, part, y.data, n, d);
      }
    }
  }
  if (y.requiresGrad)
    parts.forEach(({ x }, l) => {
      if (!x.requiresGrad) return;
      t.recordAfter(x, () => {
        const dy = y.grad;
        const dx = dy && t.gradRows(x, idx[l]);
        if (dy && dx) addRowsOnPool(t.pool, dx, idx[l], dy, d);
      });
    });
  return y;
}

registerOp<number[][]>({
  name: 'gatherSum',
  apply: (t, xs, rows) =>
    gatherSum(
      t,
      xs.map((x, l) => ({ x, rows: rows[l] })),
    ),
  reference: (xs, rows) => {
    const d = xs[0].cols;
    const y = matrix64(rows[0].length, d);
    xs.forEach((x, l) =>
      rows[l].forEach((r, k) => {
        for (let c = 0; c < d; c++) y.data[k * d + c] += x.data[r * d + c];
      }),
    );
    return y;
  },
  cases: [
    {
      label: 'three matrices, repeated rows',
      inputs: [
        { rows: 5, cols: 3 },
        { rows: 4, cols: 3 },
        { rows: 6, cols: 3 },
      ],
      args: [
        [4, 0, 4, 2],
        [1, 1, 3, 0],
        [5, 2, 0, 5],
      ],
    },
    {
      label: 'two matrices on the pool (96 x 48)',
      inputs: [
        { rows: 7, cols: 48 },
        { rows: 9, cols: 48 },
      ],
      args: [
        Array.from({ length: 96 }, (_, k) => (k * k + 3) % 7),
        Array.from({ length: 96 }, (_, k) => (5 * k + 1) % 9),
      ],
    },
  ],
});
