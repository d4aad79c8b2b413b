/**
 * Parameter initialisations drawn from a seeded stream, in element order (so a model's
 * parameters are the same bits for the same seed and declaration order).
 */
import type { Rng } from '../../util/rng.js';

/** Glorot & Bengio 2010, the uniform form: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform(out: Float32Array, fanIn: number, fanOut: number, rng: Rng): void {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  for (let k = 0; k < out.length; k++) out[k] = (2 * rng.next() - 1) * a;
}

/** normal(0, std) */
export function normalFill(out: Float32Array, std: number, rng: Rng): void {
  for (let k = 0; k < out.length; k++) out[k] = rng.normal() * std;
}
