/**
 * "Why recommended" for a saved run's top-K, by random-walk paths (../graph/explainPaths.ts) on
 * the run's training graph, with the dataset's ids and item names: what `reclab recommend
 * --explain` prints and the embeddings panel lists beside each recommendation. The paths are a
 * property of the training data, not of the model, so they explain any run; for the walk and
 * graph models they are the model's own mechanism (P3alpha sums exactly these).
 */
import type { Csr, Dataset } from '../data/types.js';
import { itemLabels } from '../data/itemLabels.js';
import { bipartiteGraph, type BipartiteGraph } from '../graph/bipartite.js';
import { explainPaths } from '../graph/explainPaths.js';

export interface PathReason {
  readonly item: string;
  readonly label?: string;
  /** its share of the paths' probability mass, in [0, 1] */
  readonly share: number;
  readonly paths: number;
}

export interface ExplainedPath {
  readonly via: string;
  readonly viaLabel?: string;
  readonly user: string;
  readonly probability: number;
}

export interface RecommendationPaths {
  readonly item: string;
  readonly label?: string;
  /** P^3[u, i]: the probability that a 3-step walk from the user ends on the item */
  readonly probability: number;
  readonly pathCount: number;
  /** the user's items by their share of the mass, largest first, at most `reasons` */
  readonly because: PathReason[];
  /** the most probable paths, at most `topPaths` */
  readonly paths: ExplainedPath[];
}

export interface ExplainRecommendationOptions {
  readonly reasons?: number;
  readonly topPaths?: number;
  /** the training graph when the caller has it already */
  readonly graph?: BipartiteGraph;
}

/** The paths behind each of `items` (internal indices) for user `u` (internal index). */
export function explainRecommendations(
  trainCsr: Csr,
  dataset: Pick<Dataset, 'userIds' | 'itemIds' | 'itemFeatures'>,
  u: number,
  items: ArrayLike<number>,
  o: ExplainRecommendationOptions = {},
): RecommendationPaths[] {
  const graph = o.graph ?? bipartiteGraph(trainCsr);
  const labels = itemLabels(dataset.itemFeatures);
  const itemIds = dataset.itemIds.ids;
  const named = (i: number) => (labels?.[i] ? { label: labels[i] } : {});
  return explainPaths(graph, u, items, { topPaths: o.topPaths ?? 3 }).map((e) => ({
    item: itemIds[e.item],
    ...named(e.item),
    probability: e.probability,
    pathCount: e.pathCount,
    because: e.byHistoryItem.slice(0, o.reasons ?? 3).map((h) => ({
      item: itemIds[h.item],
      ...named(h.item),
      share: h.share,
      paths: h.paths,
    })),
    paths: e.paths.map((p) => ({
      via: itemIds[p.via],
      ...(labels?.[p.via] ? { viaLabel: labels[p.via] } : {}),
      user: dataset.userIds.ids[p.through],
      probability: p.probability,
    })),
  }));
}
