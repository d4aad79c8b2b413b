/** How models that score by dot product get a full-ranking TopKRanker. */
import { JsDotRanker, type TopKRanker } from '../eval/ranking.js';
import type { Embeddings } from './types.js';

export function dotRanker(e: Embeddings, _threads: number): TopKRanker {
  return new JsDotRanker(e.users, e.items, e.dim);
}
