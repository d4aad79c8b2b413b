/** a + b (b: same shape, a bias row, or a column). */
import { binaryOp } from './binary.js';

export const add = binaryOp({
  name: 'add',
  arith: 'add',
  f: (a, b) => a + b,
  da: () => 1,
  db: () => 1,
});
