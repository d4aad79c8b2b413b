/**
 * Training triples (user, positive item, negative items) for pairwise losses.
 * The default reproduces the LightGCN reference code's UniformSample_original: as many
 * samples as training interactions, each a uniformly drawn user, one of its positives drawn
 * uniformly, and a negative drawn uniformly from the items it has not interacted with.
 */
import type { Csr } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import { InputError } from '../util/errors.js';

export interface Triples {
  readonly users: Int32Array;
  readonly pos: Int32Array;
  /** negatives per positive, row-major: neg[s * negatives + j] */
  readonly neg: Int32Array;
  readonly negatives: number;
}

export type NegativeSampler = 'uniform' | 'popularity';

export interface SampleOptions {
  /** samples per epoch; the reference uses the number of training interactions */
  readonly samples?: number;
  readonly negatives?: number;
  readonly sampler?: NegativeSampler;
  /** exponent of popularity^alpha for the popularity sampler (word2vec's 0.75) */
  readonly alpha?: number;
}

/** true when item is in row u of a CSR whose rows are sorted ascending */
export function rowHas(m: Csr, u: number, item: number): boolean {
  let lo = m.indptr[u];
  let hi = m.indptr[u + 1] - 1;
  const idx = m.indices;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = idx[mid];
    if (v === item) return true;
    if (v < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Cumulative distribution over items proportional to popularity^alpha (+1 smoothing). */
export function popularityCdf(itemUsers: Csr, alpha: number): Float64Array {
  const cdf = new Float64Array(itemUsers.nRows);
  let acc = 0;
  for (let i = 0; i < itemUsers.nRows; i++) {
    acc += Math.pow(itemUsers.indptr[i + 1] - itemUsers.indptr[i] + 1, alpha);
    cdf[i] = acc;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] /= acc;
  return cdf;
}

/** An item drawn from a cumulative distribution (popularityCdf). */
export function drawFromCdf(cdf: Float64Array, rng: Rng): number {
  const r = rng.next();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Draws one epoch of triples. `userItems` must have sorted rows. Users without positives are
 * skipped, as in the reference, so the result may hold fewer than `samples` triples.
 */
export function sampleTriples(
  userItems: Csr,
  rng: Rng,
  opts: SampleOptions = {},
  itemUsers?: Csr,
): Triples {
  const nUsers = userItems.nRows;
  const nItems = userItems.nCols;
  const samples = opts.samples ?? userItems.indices.length;
  const negatives = opts.negatives ?? 1;
  // 0: positives only (the shared schemes of ./negativeSampler.ts draw their negatives apart)
  if (!(Number.isInteger(negatives) && negatives >= 0))
    throw new InputError({ file: 'training config', text: String(negatives) }, 'negatives >= 0');
  let cdf: Float64Array | undefined;
  if (opts.sampler === 'popularity') {
    if (!itemUsers) throw new Error('popularity sampling needs the item -> users CSR');
    cdf = popularityCdf(itemUsers, opts.alpha ?? 0.75);
  }
  const users = new Int32Array(samples);
  const pos = new Int32Array(samples);
  const neg = new Int32Array(samples * negatives);
  let n = 0;
  for (let s = 0; s < samples; s++) {
    const u = rng.int(nUsers);
    const start = userItems.indptr[u];
    const deg = userItems.indptr[u + 1] - start;
    if (deg === 0) continue;
    if (deg >= nItems) continue; // no negative exists for this user
    users[n] = u;
    pos[n] = userItems.indices[start + rng.int(deg)];
    for (let j = 0; j < negatives; j++) {
      let item: number;
      do {
        item = cdf ? drawFromCdf(cdf, rng) : rng.int(nItems);
      } while (rowHas(userItems, u, item));
      neg[n * negatives + j] = item;
    }
    n++;
  }
  return {
    users: users.subarray(0, n),
    pos: pos.subarray(0, n),
    neg: neg.subarray(0, n * negatives),
    negatives,
  };
}
