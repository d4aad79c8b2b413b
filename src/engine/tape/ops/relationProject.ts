/**
 * y[k] = x[k] M_{rel[k]}: each row projected by its own relation's matrix (TransR, Lin et al.
 * AAAI 2015, eq. 7: h_r = h M_r; CKE's structural embedding). M stacks the relations'
 * [d x dr] matrices: rows r*d .. r*d+d-1 of an [nRel*d x dr] table.
 *   dx[k] = dy[k] M_rel[k]^T
 *   dM_r += sum over the rows k of relation r of x[k]^T dy[k]
 * M's gradient is row-sparse: only the blocks of the relations the batch used are touched.
 * The rows are grouped by relation and each group is one product on the pool's gemm.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

export function relationProject(t: Tape, x: Tensor, M: Tensor, rel: ArrayLike<number>): Tensor {
  const { pool } = t;
  const d = x.cols;
  const dr = M.cols;
  const n = x.rows;
  const nRel = M.rows / d;
  if (!Number.isInteger(nRel) || rel.length !== n)
    throw new RangeError(
      `relationProject of ${x.shape} by ${M.shape} (a stack of ${d}-row matrices) with ${rel.length} relations`,
    );
  // rows grouped by relation (a stable counting sort): one gemm per relation on the pool
  const start = new Int32Array(nRel + 1);
  for (let k = 0; k < n; k++) {
    const q = rel[k];
    if (!(q >= 0 && q < nRel))
      throw new RangeError(`relationProject: relation ${q} outside [0, ${nRel})`);
    start[q + 1]++;
  }
  for (let q = 0; q < nRel; q++) start[q + 1] += start[q];
  const fill = start.slice(0, nRel);
  const order = t.intBuffer(n);
  for (let k = 0; k < n; k++) order[fill[rel[k]]++] = k;
  const y = t.output(n, dr, [x, M]);
  if (n === 0) return y;
  const W = M.data;
  const block = (q: number): Float32Array => W.subarray(q * d * dr, (q + 1) * d * dr);
  const groups: number[] = [];
  for (let q = 0; q < nRel; q++) if (start[q + 1] > start[q]) groups.push(q);
  const xg = t.buffer(n * d);
  pool.gatherRows(x.data, order, xg, d);
  const yg = t.buffer(n * dr);
  for (const q of groups)
    pool.matmul(
      xg.subarray(start[q] * d, start[q + 1] * d),
      block(q),
      yg.subarray(start[q] * dr, start[q + 1] * dr),
      d,
      dr,
    );
  for (let p = 0; p < n; p++) y.data.set(yg.subarray(p * dr, (p + 1) * dr), order[p] * dr);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      const dyg = t.buffer(n * dr);
      pool.gatherRows(dy, order, dyg, dr);
      const dx = t.grad(x);
      if (dx) {
        const dxg = t.buffer(n * d);
        const mT = t.buffer(d * dr);
        for (const q of groups) {
          const Mq = block(q);
          for (let j = 0; j < d; j++) for (let c = 0; c < dr; c++) mT[c * d + j] = Mq[j * dr + c];
          pool.matmul(
            dyg.subarray(start[q] * dr, start[q + 1] * dr),
            mT,
            dxg.subarray(start[q] * d, start[q + 1] * d),
            dr,
            d,
          );
        }
        for (let p = 0; p < n; p++) {
          const o = order[p] * d;
          for (let j = 0; j < d; j++) dx[o + j] += dxg[p * d + j];
        }
      }
      // M's gradient is row-sparse: the blocks of the relations used
      const blockRows = t.intBuffer(groups.length * d);
      groups.forEach((q, g) => {
        for (let j = 0; j < d; j++) blockRows[g * d + j] = q * d + j;
      });
      const dM = t.gradRows(M, blockRows);
      if (dM) {
        const part = t.buffer(d * dr);
        for (const q of groups) {
          pool.matmulTN(
            xg.subarray(start[q] * d, start[q + 1] * d),
            dyg.subarray(start[q] * dr, start[q + 1] * dr),
            part,
            d,
            dr,
          );
          const o = q * d * dr;
          for (let e = 0; e < part.length; e++) dM[o + e] += part[e];
        }
      }
    });
  return y;
}

registerOp<number[]>({
  name: 'relationProject',
  apply: (t, [x, M], rel) => relationProject(t, x, M, rel),
  reference: ([x, M], rel) => {
    const d = x.cols;
    const dr = M.cols;
    const y = matrix64(x.rows, dr);
    rel.forEach((r, k) => {
      for (let c = 0; c < dr; c++)
        for (let j = 0; j < d; j++)
          y.data[k * dr + c] += x.data[k * d + j] * M.data[(r * d + j) * dr + c];
    });
    return y;
  },
  cases: [
    {
      label: '4 rows, 3 relations of [3 x 2], one repeated, one unused',
      inputs: [
        { rows: 4, cols: 3 },
        { rows: 9, cols: 2 },
      ],
      args: [2, 0, 2, 0],
    },
  ],
});
