/**
 * RP3beta: P3alpha's 3-step walk probabilities divided by the target item's popularity^beta,
 * which lifts the long tail.
 * Christoffel, Paudel, Newell & Bernstein, "Blockbusters and Wallflowers: Accurate, Diverse, and
 * Scalable Recommendations with Random Walks", RecSys 2015; Paudel, Christoffel, Newell &
 * Bernstein, "Updatable, Accurate, Diverse, and Scalable Recommendations for Interactive
 * Applications", ACM TiiS 7(1), 2017. Normalisation, pruning and defaults as the reference
 * implementation of Dacrema et al., RecSys 2019 (RP3betaRecommender.fit: topK 100, alpha 1,
 * beta 0.6, normalize_similarity True: rows divided by their sum after the top-k pruning); the
 * study tunes them per dataset (topK 5..800, alpha 0..2, beta 0..2).
 *
 *   P_ui = 1 / |I_u|,  P_iu = 1 / |U_i|                                      (one-step transitions)
 *   W[i, j] = (sum_u P_iu^alpha P_uj^alpha) / |U_j|^beta,  W[i, i] = 0, top-k per row i
 *   W[i, j] /= sum_j' W[i, j']                                             (when normalize)
 *   score(u, j) = sum over i in I_u of W[i, j]                              (= r_u W)
 */
import type { HyperDeclarations } from './hyperparameters.js';
import type { Hyperparameters, ModelContext } from './types.js';
import { checkThreeStep, ThreeStepRecommender } from './p3alpha.js';

export const RP3BETA_TITLE = 'RP3beta (3-step random walks, popularity-penalised)';
export const RP3BETA_PAPER =
  'Christoffel et al., Blockbusters and Wallflowers, RecSys 2015; Paudel et al., ACM TiiS 2017';

export const RP3BETA_DEFAULTS = {
  /** neighbours kept per item */
  k: 100,
  /** exponent on every transition probability */
  alpha: 1,
  /** exponent of the target item's popularity dividing its score */
  beta: 0.6,
  /** divide each item's row by its sum after pruning */
  normalize: true as boolean,
} satisfies Hyperparameters;

export const RP3BETA_HYPER = {
  k: {
    type: 'integer',
    min: 1,
    description: 'neighbours kept per item',
    source: "Dacrema et al.'s reference code (RP3betaRecommender.fit): topK 100",
  },
  alpha: {
    type: 'number',
    min: 0,
    description: 'exponent on every transition probability',
    source: "Dacrema et al.'s reference code: alpha 1",
  },
  beta: {
    type: 'number',
    description: "exponent of the target item's popularity dividing its score",
    source: "Dacrema et al.'s reference code: beta 0.6",
  },
  normalize: {
    type: 'boolean',
    description: "divide each item's row by its sum after pruning",
    source: "Dacrema et al.'s reference code: normalize_similarity True",
  },
} as const satisfies HyperDeclarations<typeof RP3BETA_DEFAULTS>;

export class RP3Beta extends ThreeStepRecommender {
  constructor(ctx: ModelContext, hyper: Partial<typeof RP3BETA_DEFAULTS>) {
    const h = { ...RP3BETA_DEFAULTS, ...hyper };
    checkThreeStep('rp3beta', h);
    super('rp3beta', ctx, h);
  }
}
