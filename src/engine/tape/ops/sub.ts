/** a - b (b: same shape, a row, or a column). */
import { binaryOp } from './binary.js';

export const sub = binaryOp({
  name: 'sub',
  arith: 'sub',
  f: (a, b) => a - b,
  da: () => 1,
  db: () => -1,
});
