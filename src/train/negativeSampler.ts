/**
 * The negatives a pairwise (BPR or max-margin) model trains with, as one component the tape
 * models' trainer takes (src/models/tapeModel.ts), so every such model can use each scheme.
 * Three independent choices:
 *   easy negatives: `negatives` per positive (the LightGCN code's UniformSample_original), or,
 *                   with sharedNegatives = S > 0, one set of S items per mini-batch for all its
 *                   positives (PinSAGE, Ying et al. 2018, section 3.3; the CS224W notes' 500):
 *                   B x S scores from one matrix product, cheap in memory. Either is drawn by
 *                   `sampler`: uniform, or by popularity^0.75.
 *   hard negatives: hardNegatives per positive from the user's personalized PageRank rank
 *                   window (./hardNegatives.ts), in addition to the easy ones;
 *   curriculum:     at epoch n (1-based) min(n - 1, hardNegatives) of them (PinSAGE section 3.6:
 *                   "at epoch n of the training, we add n - 1 hard negative items").
 * Positives are drawn as the LightGCN code does (a uniform user, then one of its items), and
 * without shared or hard negatives the draw is exactly sampleTriples' (./samplers.ts).
 */
import type { Csr } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import { HardNegatives } from './hardNegatives.js';
import {
  drawFromCdf,
  popularityCdf,
  rowHas,
  sampleTriples,
  type SampleOptions,
  type Triples,
} from './samplers.js';

export interface NegativeSamplerOptions {
  /** how easy negatives are drawn */
  readonly sampler: NonNullable<SampleOptions['sampler']>;
  /** easy negatives per positive (when not shared) */
  readonly negatives: number;
  /** S > 0: one set of S easy negatives per mini-batch instead of `negatives` per positive */
  readonly sharedNegatives: number;
  /** hard negatives per positive (the cap, with curriculum) */
  readonly hardNegatives: number;
  readonly curriculum: boolean;
  /** the hard window [hardRankFrom, hardRankTo), fractions of the catalogue */
  readonly hardRankFrom: number;
  readonly hardRankTo: number;
  /** positives per mini-batch: one shared set each */
  readonly batchSize: number;
}

/**
 * One epoch's positives and their per-positive negatives (`negatives` of them: the easy ones,
 * then the hard ones), and each mini-batch's shared set when negatives are shared.
 */
export interface EpochNegatives extends Triples {
  /** shared[b]: mini-batch b's shared negatives */
  readonly shared?: readonly Int32Array[];
}

export class NegativeSampler {
  private hard: HardNegatives | undefined;
  private cdf: Float64Array | undefined;
  private slot: Int32Array | undefined;

  /** userItems: sorted rows; itemUsers: its transpose (for popularity). */
  constructor(
    private readonly userItems: Csr,
    private readonly itemUsers: Csr,
    readonly o: NegativeSamplerOptions,
  ) {}

  /** Hard negatives per positive at epoch n (1-based). */
  hardPerPositive(epoch: number): number {
    const { hardNegatives, curriculum } = this.o;
    return curriculum ? Math.min(Math.max(0, epoch - 1), hardNegatives) : hardNegatives;
  }

  /** The epoch's triples (and shared sets), all from `rng`. */
  epoch(epoch: number, rng: Rng): EpochNegatives {
    const { sampler, sharedNegatives } = this.o;
    const easy = sharedNegatives > 0 ? 0 : this.o.negatives;
    const base = sampleTriples(this.userItems, rng, { negatives: easy, sampler }, this.itemUsers);
    const h = this.hardPerPositive(epoch);
    const triples = h > 0 ? this.withHard(base, h, rng) : base;
    if (sharedNegatives === 0) return triples;
    const batches = Math.ceil(triples.users.length / this.o.batchSize);
    const shared = Array.from({ length: batches }, () => this.sharedSet(rng));
    return { ...triples, shared };
  }

  /**
   * Flags for the [B x S] scores of users (one per positive) against shared: 1 where the shared
   * item is one of that user's training items (not a negative for it).
   */
  sharedMask(users: ArrayLike<number>, shared: Int32Array): Uint8Array {
    const S = shared.length;
    const mask = new Uint8Array(users.length * S);
    // slot of each shared item (-1: not shared), so a row costs the user's items, not S
    this.slot ??= new Int32Array(this.userItems.nCols).fill(-1);
    const slot = this.slot;
    for (let s = 0; s < S; s++) slot[shared[s]] = s;
    const { indptr, indices } = this.userItems;
    for (let b = 0; b < users.length; b++)
      for (let e = indptr[users[b]]; e < indptr[users[b] + 1]; e++) {
        const s = slot[indices[e]];
        if (s >= 0) mask[b * S + s] = 1;
      }
    for (let s = 0; s < S; s++) slot[shared[s]] = -1;
    return mask;
  }

  /** The users' PPR windows, computed on first use (only hard negatives need them). */
  hardWindows(): HardNegatives {
    this.hard ??= new HardNegatives(this.userItems, {
      from: this.o.hardRankFrom,
      to: this.o.hardRankTo,
    });
    return this.hard;
  }

  /** `t` with h hard negatives appended to each positive's easy ones. */
  private withHard(t: Triples, h: number, rng: Rng): Triples {
    const hard = this.hardWindows();
    const k = t.negatives;
    const n = t.users.length;
    const neg = new Int32Array(n * (k + h));
    for (let q = 0; q < n; q++) {
      const u = t.users[q];
      neg.set(t.neg.subarray(q * k, q * k + k), q * (k + h));
      for (let j = 0; j < h; j++) {
        const item = hard.draw(u, rng);
        // an empty window (the user has nearly every item): a uniform negative instead
        neg[q * (k + h) + k + j] = item >= 0 ? item : this.uniformNegative(u, rng);
      }
    }
    return { ...t, neg, negatives: k + h };
  }

  /** One mini-batch's shared negatives: distinct items, uniform or by popularity^0.75. */
  private sharedSet(rng: Rng): Int32Array {
    const n = this.userItems.nCols;
    const S = this.o.sharedNegatives;
    if (this.o.sampler === 'uniform') return drawDistinct(n, S, rng);
    this.cdf ??= popularityCdf(this.itemUsers, 0.75);
    // S draws by popularity, repeats kept once (a popular item is not counted twice)
    const set = new Set<number>();
    for (let j = 0; j < S; j++) set.add(drawFromCdf(this.cdf, rng));
    return Int32Array.from(set).sort();
  }

  private uniformNegative(u: number, rng: Rng): number {
    const n = this.userItems.nCols;
    let item: number;
    do item = rng.int(n);
    while (rowHas(this.userItems, u, item));
    return item;
  }
}

/** min(k, n) distinct values of [0, n), uniformly (Floyd's algorithm), ascending. */
export function drawDistinct(n: number, k: number, rng: Rng): Int32Array {
  const m = Math.min(n, k);
  const chosen = new Set<number>();
  for (let j = n - m; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}
