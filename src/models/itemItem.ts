/**
 * Recommenders that score by an item-item matrix W over the training graph: s_u = r_u W with
 * r_u the user's binary history (P3alpha, RP3beta, the item co-occurrence graph).
 */
import { ScoreFnRanker, type TopKRanker } from '../eval/ranking.js';
import type { BipartiteGraph } from '../graph/bipartite.js';
import { addHistoryScores } from '../graph/itemGraphScores.js';
import type { WeightedCsr } from '../graph/types.js';
import type { Recommender } from './types.js';

export class ItemItemRecommender implements Recommender {
  constructor(
    readonly name: string,
    private readonly graph: BipartiteGraph,
    /** W: row i holds the kept items j with W[i, j] */
    readonly similarity: WeightedCsr,
  ) {}

  score(users: Int32Array, out: Float32Array): void {
    addHistoryScores(this.graph, this.similarity, users, out);
  }

  ranker(): TopKRanker {
    return new ScoreFnRanker((users, out) => this.score(users, out), this.graph.nItems);
  }
}
