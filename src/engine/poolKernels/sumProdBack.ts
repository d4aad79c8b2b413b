/**
 * Pool kernel sumProdBack: the gradient of sumProd (dSum + dProd ⊙ a per row), written or added
 * to out[i] or out[rows[i]]; threads take row ranges (listed rows are distinct, so no races).
 */
import { OP } from '../protocol.js';
import { checkDense, rowOutput, rowsOf, type RowOutput } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

/** sumProdBack's options: where it writes, and whether the dSum term is left out. */
export interface SumProdBackOptions extends RowOutput {
  readonly productOnly?: boolean;
}

export const sumProdBackSlot: SlotOp = {
  op: OP.SUM_PROD_BACK,
  run: (k, _heap, a) => k.sumProdBack(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]),
};

export function sumProdBack(
  pool: PoolJob,
  dx: Float32Array,
  a: Float32Array,
  out: Float32Array,
  dim: number,
  opts: SumProdBackOptions = {},
): void {
  const r = rowsOf(pool.heap, a, dim, 'a');
  const { rows } = opts;
  checkDense(pool.heap, dx, r, 2 * dim, 'dx');
  const flags = rowOutput(pool.heap, out, r, dim, opts) | (opts.productOnly ? 4 : 0);
  runRows(pool, r, r * dim, (r0, r1) => [
    OP.SUM_PROD_BACK,
    dx.byteOffset,
    a.byteOffset,
    out.byteOffset,
    rows?.byteOffset ?? 0,
    dim,
    r0,
    r1,
    flags,
  ]);
}
