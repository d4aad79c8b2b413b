/**
 * Pool kernels ewBinary: z (+)= a op b elementwise (add, sub, mul), b of a's shape, one row or
 * one column broadcast over a; equal ranges of rows per thread, each element computed alone.
 * And ewGradB: the gradient a broadcast b gets, each of its elements summed whole, in order, by
 * one thread (ranges of columns for a row, of rows for a column).
 */
import { EW_ADD, EW_MUL, EW_SUB } from '../kernels/elementwise.js';
import { OP } from '../protocol.js';
import { checkDense } from './checks.js';
import type { PoolJob, SlotOp } from './job.js';
import { runRanges, runRows } from './split.js';

export type EwOp = 'add' | 'sub' | 'mul';
const CODES: Record<EwOp, number> = { add: EW_ADD, sub: EW_SUB, mul: EW_MUL };

export const ewBinarySlot: SlotOp = {
  op: OP.EW_BINARY,
  run: (k, _heap, a) => k.ewBinary(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]),
};

/**
 * a and z [rows x cols]; b [rows x cols], [1 x cols] or [rows x 1] (told apart by its length;
 * with rows or cols 1 the shapes coincide and so do the results). z may be a or b.
 */
export const ewGradBSlot: SlotOp = {
  op: OP.EW_GRAD_B,
  run: (k, _heap, a) => k.ewGradB(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]),
};

export function ewBinary(
  pool: PoolJob,
  op: EwOp,
  a: Float32Array,
  b: Float32Array,
  z: Float32Array,
  rows: number,
  cols: number,
  accumulate = false,
): void {
  checkDense(pool.heap, a, rows, cols, 'a');
  checkDense(pool.heap, z, rows, cols, 'z');
  const [rs, cs] = b.length === rows * cols ? [cols, 1] : b.length === cols ? [0, 1] : [1, 0];
  checkDense(pool.heap, b, cs ? (rs ? rows : 1) : rows, cs ? cols : 1, 'b');
  runRows(pool, rows, rows * cols, (r0, r1) => [
    OP.EW_BINARY,
    a.byteOffset,
    b.byteOffset,
    z.byteOffset,
    cols,
    rs,
    cs,
    CODES[op],
    r0,
    r1,
    accumulate ? 1 : 0,
  ]);
}

/**
 * g (+)= the gradient of a op b with respect to a broadcast b, given dz: for each element of
 * b, the sum over the elements it was paired with of dz * a (mul), dz (add) or -dz (sub).
 * dz and a [rows x cols]; g [1 x cols] (b a row) or [rows x 1] (b a column, `column`).
 */
export function ewGradB(
  pool: PoolJob,
  op: EwOp,
  dz: Float32Array,
  a: Float32Array,
  g: Float32Array,
  rows: number,
  cols: number,
  column: boolean,
  accumulate = false,
): void {
  checkDense(pool.heap, dz, rows, cols, 'dz');
  checkDense(pool.heap, a, rows, cols, 'a');
  checkDense(pool.heap, g, column ? rows : 1, column ? 1 : cols, 'g');
  const args = (i0: number, i1: number): number[] => [
    OP.EW_GRAD_B,
    dz.byteOffset,
    a.byteOffset,
    g.byteOffset,
    rows,
    cols,
    column ? 0 : 1,
    CODES[op],
    i0,
    i1,
    accumulate ? 1 : 0,
  ];
  if (column) runRows(pool, rows, rows * cols, args);
  else runRanges(pool, cols, rows * cols, args);
}
