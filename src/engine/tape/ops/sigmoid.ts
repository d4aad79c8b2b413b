/** The logistic function 1 / (1 + e^-x), computed without overflow. */
import { logistic } from './softplus.js';
import { unaryOp } from './unary.js';

export const sigmoid = unaryOp({
  name: 'sigmoid',
  f: logistic,
  df: (_x, y) => y * (1 - y),
});
