/** ELU with alpha 1 (Clevert et al. 2016; GAT's non-linearity): x for x > 0, e^x - 1 otherwise. */
import { unaryOp } from './unary.js';

export const elu = unaryOp({
  name: 'elu',
  f: (x) => (x > 0 ? x : Math.expm1(x)),
  df: (x, y) => (x > 0 ? 1 : y + 1),
});
