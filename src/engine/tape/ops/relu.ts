/** ReLU: max(0, x). */
import { unaryOp } from './unary.js';

export const relu = unaryOp({
  name: 'relu',
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
});
