/** Hyperbolic tangent. */
import { unaryOp } from './unary.js';

export const tanh = unaryOp({
  name: 'tanh',
  f: Math.tanh,
  df: (_x, y) => 1 - y * y,
});
