/**
 * Item-item graph recommender: a user's history (the seeds) propagated one step through the
 * r-normalised item co-occurrence graph, no training.
 *
 *   C[i, j] = |{u : i in I_u and j in I_u}|,  i != j          (co-occurrence counts, same user)
 *   d_i = sum_j C[i, j]                                         (weighted degree)
 *   Ĉ[i, j] = C[i, j] / (d_i^r d_j^(1-r)),  top-k per row i     (the issue's asymmetric
 *             normalisation 1 / (|N_i|^r |N_u|^(1-r)), sender i, receiver j)
 *   s_u = r_u Ĉ,  i.e. score(u, j) = sum over seeds i in I_u of Ĉ[i, j]
 * r = 0.5 is LightGCN's symmetric normalisation (He et al., SIGIR 2020, eq. 3) applied to the
 * item-item graph; r = 1 makes each seed spread one unit of mass in proportion to its counts (a
 * random-walk step), r = 0 divides every score by the target's degree (less popularity bias).
 * The top-k pruning (k = 100) follows the item-item models of Dacrema et al.'s reference code
 * (topK 100 for P3alpha and RP3beta). The graph comes from ../graph/itemCooccurrence.ts, which
 * also builds it from sessions where a data set has them.
 */
import { bipartiteGraph } from '../graph/bipartite.js';
import { normalizedItemGraph } from '../graph/itemCooccurrence.js';
import { InputError } from '../util/errors.js';
import type { HyperDeclarations } from './hyperparameters.js';
import { ItemItemRecommender } from './itemItem.js';
import type { Hyperparameters, ModelContext } from './types.js';

export const ITEMGRAPH_TITLE = 'Item-item co-occurrence graph (r-normalised propagation)';
export const ITEMGRAPH_PAPER =
  'He et al., LightGCN, SIGIR 2020 (the normalisation, r = 0.5); Dacrema et al., RecSys 2019 (top-k item graphs)';

export const ITEMGRAPH_DEFAULTS = {
  /** the sender's exponent in 1 / (d_i^r d_j^(1-r)) */
  r: 0.5,
  /** neighbours kept per item */
  k: 100,
} satisfies Hyperparameters;

export const ITEMGRAPH_HYPER = {
  r: {
    type: 'number',
    min: 0,
    max: 1,
    description: "the seed's exponent in the normalisation 1 / (d_i^r d_j^(1-r))",
    source: "LightGCN's symmetric normalisation (He et al., SIGIR 2020, eq. 3): r 0.5",
  },
  k: {
    type: 'integer',
    min: 1,
    description: 'neighbours kept per item',
    source: "Dacrema et al.'s reference code (item-item models): topK 100",
  },
} as const satisfies HyperDeclarations<typeof ITEMGRAPH_DEFAULTS>;

export class ItemGraph extends ItemItemRecommender {
  constructor(ctx: ModelContext, hyper: Partial<typeof ITEMGRAPH_DEFAULTS>) {
    const h = { ...ITEMGRAPH_DEFAULTS, ...hyper };
    const where = { file: 'itemgraph hyperparameters' };
    if (!(Number.isFinite(h.r) && h.r >= 0 && h.r <= 1))
      throw new InputError({ ...where, text: `r=${h.r}` }, 'r to be a number in [0, 1]');
    if (!(Number.isInteger(h.k) && h.k >= 1))
      throw new InputError({ ...where, text: `k=${h.k}` }, 'k to be an integer >= 1');
    // Ĉ as W: row i holds the kept items j with Ĉ[i, j]
    super('itemgraph', bipartiteGraph(ctx.trainCsr), normalizedItemGraph(ctx.trainCsr, h));
  }
}
