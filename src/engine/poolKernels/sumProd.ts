/** Pool kernel sumProd: x = [a + b | a ⊙ b] row by row (NGCF's eq. 7); threads take row ranges. */
import { OP } from '../protocol.js';
import { checkDense, rowsOf } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRows } from './split.js';

export const sumProdSlot: SlotOp = {
  op: OP.SUM_PROD,
  run: (k, _heap, a) => k.sumProd(a[1], a[2], a[3], a[4], a[5], a[6], a[7]),
};

export function sumProd(
  pool: PoolJob,
  a: Float32Array,
  b: Float32Array,
  x: Float32Array,
  dim: number,
  addB = true,
): void {
  const r = rowsOf(pool.heap, a, dim, 'a');
  checkDense(pool.heap, b, r, dim, 'b');
  checkDense(pool.heap, x, r, 2 * dim, 'x');
  runRows(pool, r, r * dim, (r0, r1) => [
    OP.SUM_PROD,
    a.byteOffset,
    b.byteOffset,
    x.byteOffset,
    dim,
    r0,
    r1,
    addB ? 1 : 0,
  ]);
}
