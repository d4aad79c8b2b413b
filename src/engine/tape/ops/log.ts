/** Natural logarithm (inputs must be positive). */
import { unaryOp } from './unary.js';

export const log = unaryOp({ name: 'log', f: Math.log, df: (x) => 1 / x, positive: true });
