/** The logistic function 1 / (1 + e^-x), computed without overflow. */
import { unaryOp } from './unary.js';

export const sigmoid = unaryOp({
  name: 'sigmoid',
  f: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  df: (_x, y) => y * (1 - y),
});
