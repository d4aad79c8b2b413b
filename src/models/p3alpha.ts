/**
 * P3alpha: items ranked by the probability of 3-step random walks user -> item -> user -> item,
 * each transition probability raised to alpha.
 * Cooper, Lee, Radecki & Wand, "Random Walks in Recommender Systems: Exact Computation and
 * Simulations", WWW 2014 (companion); Christoffel, Paudel, Newell & Bernstein, "Blockbusters and
 * Wallflowers", RecSys 2015, section 3. Normalisation, pruning and defaults as the reference
 * implementation of Dacrema et al., "Are We Really Making Much Progress?", RecSys 2019
 * (P3alphaRecommender.fit: topK 100, alpha 1, normalize_similarity False); the study tunes them
 * per dataset (topK 5..800, alpha 0..2).
 *
 *   P_ui = 1 / |I_u| for i in I_u,   P_iu = 1 / |U_i| for u in U_i          (one-step transitions)
 *   W[i, j] = sum_u P_iu^alpha P_uj^alpha,  W[i, i] = 0, top-k per row i     (item i -> item j)
 *   score(u, j) = sum over i in I_u of W[i, j]                              (= r_u W)
 */
import { bipartiteGraph } from '../graph/bipartite.js';
import { threeStepItemGraph, type ThreeStepOptions } from '../graph/threeStep.js';
import { InputError } from '../util/errors.js';
import type { HyperDeclarations } from './hyperparameters.js';
import { ItemItemRecommender } from './itemItem.js';
import type { Hyperparameters, ModelContext } from './types.js';

export const P3ALPHA_TITLE = 'P3alpha (3-step random walks)';
export const P3ALPHA_PAPER =
  'Cooper et al., Random Walks in Recommender Systems: Exact Computation and Simulations, WWW 2014; Christoffel et al., RecSys 2015';

export const P3ALPHA_DEFAULTS = {
  /** neighbours kept per item */
  k: 100,
  /** exponent on every transition probability */
  alpha: 1,
  /** divide each item's row by its sum after pruning */
  normalize: false as boolean,
} satisfies Hyperparameters;

export const P3ALPHA_HYPER = {
  k: {
    type: 'integer',
    min: 1,
    description: 'neighbours kept per item',
    source: "Dacrema et al.'s reference code (P3alphaRecommender.fit): topK 100",
  },
  alpha: {
    type: 'number',
    min: 0,
    description: 'exponent on every transition probability',
    source: "Dacrema et al.'s reference code: alpha 1",
  },
  normalize: {
    type: 'boolean',
    description: "divide each item's row by its sum after pruning",
    source: "Dacrema et al.'s reference code: normalize_similarity False",
  },
} as const satisfies HyperDeclarations<typeof P3ALPHA_DEFAULTS>;

/** The item-item 3-step walk models: W from ../graph/threeStep.ts, scores r_u W. */
export class ThreeStepRecommender extends ItemItemRecommender {
  constructor(name: string, ctx: ModelContext, o: ThreeStepOptions) {
    const graph = bipartiteGraph(ctx.trainCsr);
    super(name, graph, threeStepItemGraph(graph, o));
  }
}

export class P3Alpha extends ThreeStepRecommender {
  constructor(ctx: ModelContext, hyper: Partial<typeof P3ALPHA_DEFAULTS>) {
    const h = { ...P3ALPHA_DEFAULTS, ...hyper };
    checkThreeStep('p3alpha', h);
    super('p3alpha', ctx, { ...h, beta: 0 });
  }
}

/** Refuses what the walk models cannot use, naming the hyperparameter and the model. */
export function checkThreeStep(
  model: string,
  h: { k: number; alpha: number; beta?: number; normalize: boolean },
): void {
  const where = { file: `${model} hyperparameters` };
  if (!(Number.isInteger(h.k) && h.k >= 1))
    throw new InputError({ ...where, text: `k=${h.k}` }, 'k to be an integer >= 1');
  if (!(Number.isFinite(h.alpha) && h.alpha >= 0))
    throw new InputError({ ...where, text: `alpha=${h.alpha}` }, 'alpha to be a number >= 0');
  if (h.beta !== undefined && !Number.isFinite(h.beta))
    throw new InputError({ ...where, text: `beta=${h.beta}` }, 'beta to be a finite number');
  if (typeof h.normalize !== 'boolean')
    throw new InputError(
      { ...where, text: `normalize=${String(h.normalize)}` },
      'normalize to be true or false',
    );
}
