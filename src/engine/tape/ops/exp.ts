/** e^x. */
import { unaryOp } from './unary.js';

export const exp = unaryOp({ name: 'exp', f: Math.exp, df: (_x, y) => y });
