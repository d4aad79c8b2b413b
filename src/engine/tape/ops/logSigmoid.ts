/**
 * log sigma(x) = -softplus(-x), without overflow: the log-likelihood of a positive edge
 * (TwHIN eq. 2; a negative's term is logSigmoid of the negated score). d/dx = sigma(-x).
 */
import { logistic, softplus } from './softplus.js';
import { unaryOp } from './unary.js';

export const logSigmoid = unaryOp({
  name: 'logSigmoid',
  f: (x) => -softplus(-x),
  df: (x) => logistic(-x),
});
