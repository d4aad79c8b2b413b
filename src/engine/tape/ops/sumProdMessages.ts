/**
 * NGCF's messages (Wang et al. 2019, eq. 7, the part before the weights), fused:
 *   y = [A x + x | (A x) ⊙ x]   (or, with self: false, [A x | (A x) ⊙ x])
 * for a fixed square sparse A over the nodes, at every node or at a list of distinct rows
 * (y[k] is row rows[k]). One op rather than spmm, add and mul: the pool's sumProd kernel builds
 * both halves in one pass, and the backward writes x's gradient with the sparse product first
 * and then adds the self terms with sumProdBack (threaded), where separate ops would add a
 * full-size copy of dx in a plain loop. With s = A x and [dSum | dProd] = dy:
 *   ds = dSum + dProd ⊙ x,   dx = A^T ds + (dSum +) dProd ⊙ s
 * At listed rows, A^T ds is the pool's scatter from those rows (as spmmRows's backward).
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import type { FixedMatrix } from './spmm.js';

export interface MessageOptions {
  /** distinct rows to compute at (default: every row) */
  readonly rows?: ArrayLike<number>;
  /** add x to A x in the first half (default true): eq. 7's (L + I) E */
  readonly self?: boolean;
}

function checkRows(rows: Int32Array, n: number): void {
  const seen = new Uint8Array(n);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (!(r >= 0 && r < n)) throw new RangeError(`sumProdMessages: row ${r} outside [0, ${n})`);
    if (seen[r]) throw new RangeError(`sumProdMessages: row ${r} listed twice`);
    seen[r] = 1;
  }
}

export function sumProdMessages(
  t: Tape,
  a: FixedMatrix,
  x: Tensor,
  opts: MessageOptions = {},
): Tensor {
  if (a.nRows !== x.rows || a.nCols !== x.rows)
    throw new RangeError(`sumProdMessages of a ${a.nRows} x ${a.nCols} matrix by ${x.shape}`);
  const { pool } = t;
  const d = x.cols;
  const self = opts.self ?? true;
  const dev = pool.upload(a);
  const idx = opts.rows ? t.indices(opts.rows) : undefined;
  if (idx) checkRows(idx, x.rows);
  const r = idx ? idx.length : x.rows;
  const y = t.output(r, 2 * d, [x]);
  if (r === 0) return y;
  const side = t.buffer(r * d);
  let at = x.data;
  if (idx) {
    pool.spmmRows(dev, x.data, idx, side, d);
    at = t.buffer(r * d);
    pool.gatherRows(x.data, idx, at, d);
  } else pool.spmm(dev, x.data, side, d);
  pool.sumProd(side, at, y.data, d, self);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      const dSide = t.buffer(r * d);
      pool.sumProdBack(dy, at, dSide, d);
      const back = { accumulate: true, productOnly: !self };
      if (idx) {
        const dx = t.grad(x) as Float32Array;
        pool.scatterRows(dev, dSide, idx, dx, d);
        pool.sumProdBack(dy, side, dx, d, { ...back, rows: idx });
        return;
      }
      const target = t.gradTarget(x);
      if (!target) return;
      const aT = pool.upload(a.symmetric ? a : pool.transposeOf(a));
      const out = target.fresh ? target.g : t.buffer(x.size);
      pool.spmm(aT, dSide, out, d);
      pool.sumProdBack(dy, side, out, d, back);
      if (!target.fresh) for (let e = 0; e < out.length; e++) target.g[e] += out[e];
    });
  return y;
}

function reference(a: FixedMatrix, x: Matrix64, rows: readonly number[], self: boolean): Matrix64 {
  const d = x.cols;
  const y = matrix64(rows.length, 2 * d);
  rows.forEach((row, k) => {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let e = a.indptr[row]; e < a.indptr[row + 1]; e++)
        s += a.values[e] * x.data[a.indices[e] * d + c];
      const v = x.data[row * d + c];
      y.data[k * 2 * d + c] = self ? s + v : s;
      y.data[k * 2 * d + d + c] = s * v;
    }
  });
  return y;
}

/** A 4 x 4 matrix, not symmetric, with an empty row and a diagonal entry. */
const SMALL: FixedMatrix = {
  nRows: 4,
  nCols: 4,
  indptr: Int32Array.from([0, 2, 4, 4, 7]),
  indices: Int32Array.from([1, 3, 0, 2, 0, 1, 3]),
  values: Float32Array.from([0.5, -1.25, 2, 0.75, 1.5, -0.5, 0.25]),
};
/** A symmetric 3 x 3 matrix, marked so: the backward multiplies by A itself. */
const SYMMETRIC: FixedMatrix = {
  nRows: 3,
  nCols: 3,
  indptr: Int32Array.from([0, 2, 4, 6]),
  indices: Int32Array.from([1, 2, 0, 2, 0, 1]),
  values: Float32Array.from([0.5, -0.75, 0.5, 1.25, -0.75, 1.25]),
  symmetric: true,
};

interface Args {
  readonly a: FixedMatrix;
  readonly rows?: number[];
  readonly self: boolean;
}

registerOp<Args>({
  name: 'sumProdMessages',
  apply: (t, [x], { a, rows, self }) => sumProdMessages(t, a, x, { rows, self }),
  reference: ([x], { a, rows, self }) => reference(a, x, rows ?? [...Array(a.nRows).keys()], self),
  cases: [
    { label: 'all rows, self', inputs: [{ rows: 4, cols: 3 }], args: { a: SMALL, self: true } },
    { label: 'all rows, no self', inputs: [{ rows: 4, cols: 2 }], args: { a: SMALL, self: false } },
    {
      label: 'rows 3, 0, 2, self',
      inputs: [{ rows: 4, cols: 2 }],
      args: { a: SMALL, rows: [3, 0, 2], self: true },
    },
    {
      label: 'rows 1, 3, no self',
      inputs: [{ rows: 4, cols: 3 }],
      args: { a: SMALL, rows: [1, 3], self: false },
    },
    {
      label: 'symmetric, all rows',
      inputs: [{ rows: 3, cols: 2 }],
      args: { a: SYMMETRIC, self: true },
    },
  ],
});
