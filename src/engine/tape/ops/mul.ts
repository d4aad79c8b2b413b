/** a ⊙ b, elementwise (b: same shape, a row, or a column: NGCF's e_i ⊙ e_u, attention weights). */
import { binaryOp } from './binary.js';

export const mul = binaryOp({
  name: 'mul',
  arith: 'mul',
  f: (a, b) => a * b,
  da: (_a, b) => b,
  db: (a) => a,
});
