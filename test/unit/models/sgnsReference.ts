/**
 * The walk models' former training loop, plain JS on one thread, kept as the reference the
 * pool's sgns kernel is checked against: float64 dots and the exact sigmoid, float32 tables.
 */

/**
 * The (center, context) pairs of one walk with the given window into centers / contexts, in
 * training order (centers left to right, each center's contexts left to right); returns how
 * many. A walk ends at its first -1. The arrays need room for length * 2 * window pairs.
 */
export function windowPairs(
  walk: Int32Array,
  window: number,
  centers: Int32Array,
  contexts: Int32Array,
): number {
  let n = walk.indexOf(-1);
  if (n < 0) n = walk.length;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const hi = Math.min(n - 1, j + window);
    for (let k = Math.max(0, j - window); k <= hi; k++) {
      if (k === j) continue;
      centers[count] = walk[j];
      contexts[count++] = walk[k];
    }
  }
  return count;
}

/**
 * One SGNS step on the pair (center, context) with negatives negs[0..count): ascends the
 * objective by lr times its gradient (the output rows one after the other, the input row last
 * with the sum of its terms, as word2vec.c) and returns the pair's loss before the step.
 * `scratch` holds dim numbers.
 */
export function sgnsStep(
  input: Float32Array,
  output: Float32Array,
  dim: number,
  center: number,
  context: number,
  negs: Int32Array,
  count: number,
  lr: number,
  scratch: Float32Array,
): number {
  const h = center * dim;
  scratch.fill(0);
  let loss = 0;
  for (let n = -1; n < count; n++) {
    const target = n < 0 ? context : negs[n];
    if (n >= 0 && target === context) continue;
    const label = n < 0 ? 1 : 0;
    const t = target * dim;
    let x = 0;
    for (let k = 0; k < dim; k++) x += input[h + k] * output[t + k];
    // -log sigma(x) for the positive, -log sigma(-x) for a negative, without overflow
    const m = label ? -x : x;
    loss += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
    // d/dx of log sigma(+-x): label - sigma(x)
    const g = (label - 1 / (1 + Math.exp(-x))) * lr;
    for (let k = 0; k < dim; k++) {
      scratch[k] += g * output[t + k];
      output[t + k] += g * input[h + k];
    }
  }
  for (let k = 0; k < dim; k++) input[h + k] += scratch[k];
  return loss;
}
