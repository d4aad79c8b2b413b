/**
 * GF-CF: a user's history filtered on the normalised item-item graph, with no training.
 * Shen, Wu, Zhang, Zhang, Letaief & Lu, "How Powerful is Graph Convolution for
 * Recommendation?", CIKM 2021, section 4.2; defaults as the authors' code for Gowalla
 * (GF_CF in their model.py: 256 singular vectors, weight 0.3).
 *
 *   R~ = D_U^-1/2 R D_I^-1/2,   P = R~^T R~  (the normalised item-item graph)  (section 4)
 *   V = the top-k right singular vectors of R~  (eigenvectors of P)
 *   s_u = r_u P  +  beta r_u D_I^-1/2 V V^T D_I^1/2          (section 4.2, GF-CF's score)
 *         linear filter   ideal low-pass filter
 *
 * r_u is the binary history. With `ideal: false` the model is LGCN-IDE (the linear filter
 * alone, section 4.1, on the binary history; the authors' LGCN_IDE class differs: it filters
 * the user's row of R~ and, on Gowalla, applies P twice). V comes from ../engine/truncatedSvd.ts (randomized subspace
 * iteration, Halko et al. 2011) where the authors use sparsesvd; its accuracy is set by
 * svdIterations.
 */
import { SVD_ITERATIONS } from '../engine/truncatedSvd.js';
import type { TopKRanker } from '../eval/ranking.js';
import { GraphFilter } from './graphFilter.js';
import type { HyperDeclarations, NumberHyper } from './hyperparameters.js';
import type { Hyperparameters, ModelContext, Recommender } from './types.js';

export const GFCF_TITLE = 'GF-CF (graph filters, no training)';
export const GFCF_PAPER =
  'Shen et al., How Powerful is Graph Convolution for Recommendation?, CIKM 2021';

export const GFCF_DEFAULTS = {
  /** top singular vectors kept by the ideal low-pass filter */
  factors: 256,
  /** beta: weight of the ideal low-pass filter */
  idealWeight: 0.3,
  /** false: the linear filter alone (LGCN-IDE) */
  ideal: true as boolean,
  /** power iterations of the randomized SVD */
  svdIterations: SVD_ITERATIONS,
} satisfies Hyperparameters;

/** The declarations GF-CF and BSPM share (one name, one meaning). */
export const FACTORS_HYPER = (source: string): NumberHyper => ({
  type: 'integer',
  min: 1,
  description: 'top singular vectors of R~ kept by the ideal low-pass filter',
  source,
});
export const IDEAL_WEIGHT_HYPER = (source: string): NumberHyper => ({
  type: 'number',
  min: 0,
  description: "weight of the ideal low-pass filter (the papers' beta)",
  source,
});
export const SVD_ITERATIONS_HYPER: NumberHyper = {
  type: 'integer',
  min: 0,
  description: 'power iterations of the randomized truncated SVD (more: closer to the exact V)',
  source: 'RecLab (Halko et al. 2011, algorithm 4.4); the authors use an exact sparse SVD',
};

export const GFCF_HYPER = {
  factors: FACTORS_HYPER("the authors' code (GF_CF: sparsesvd(norm_adj, 256))"),
  idealWeight: IDEAL_WEIGHT_HYPER("the authors' code (GF_CF: U_2 + 0.3 * U_1)"),
  ideal: {
    type: 'boolean',
    description: 'add the ideal low-pass filter (false: LGCN-IDE, the linear filter alone)',
    source: 'the paper, section 4.2 (GF-CF) and section 4.1 (LGCN-IDE)',
  },
  svdIterations: SVD_ITERATIONS_HYPER,
} as const satisfies HyperDeclarations<typeof GFCF_DEFAULTS>;

export class GfCf implements Recommender {
  readonly name = 'gfcf';
  readonly backend: string;
  private readonly linearOut: Float32Array;
  private readonly idealOut: Float32Array;

  private constructor(
    private readonly filter: GraphFilter,
    private readonly hp: typeof GFCF_DEFAULTS,
  ) {
    this.backend = filter.backend;
    this.linearOut = filter.signal();
    this.idealOut = filter.signal();
  }

  static async create(ctx: ModelContext, hyper: Partial<typeof GFCF_DEFAULTS>): Promise<GfCf> {
    const hp = { ...GFCF_DEFAULTS, ...hyper };
    const filter = await GraphFilter.build('gfcf', ctx, hp.ideal ? hp.factors : undefined, {
      iterations: hp.svdIterations,
    });
    return new GfCf(filter, hp);
  }

  /** Fills out[r * nItems + i] with s_u[i] of users[r], at most FILTER_BLOCK users. */
  score(users: Int32Array, out: Float32Array): void {
    const b = users.length;
    const { filter } = this;
    const s = this.linearOut.subarray(0, filter.nItems * b);
    filter.linearOfHistories(users, s);
    if (!this.hp.ideal) return filter.toRows(s, out, b);
    const t = this.idealOut.subarray(0, filter.nItems * b);
    filter.idealInto(users, this.hp.idealWeight, t);
    filter.toRows(s, out, b, t);
  }

  ranker(): TopKRanker {
    return this.filter.ranker((users, out) => this.score(users, out));
  }

  dispose(): Promise<void> {
    return this.filter.dispose();
  }
}
