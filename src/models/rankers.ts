/** How models that score by dot product get a full-ranking TopKRanker: the engine's pool ranker. */
import { createDotRanker } from '../engine/ranker/dotRanker.js';
import type { TopKRanker } from '../eval/ranking.js';
import type { Embeddings } from './types.js';

export function dotRanker(e: Embeddings, threads: number): TopKRanker {
  return createDotRanker(e.users, e.items, e.dim, { threads: Math.max(1, threads) });
}
