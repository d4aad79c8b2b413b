/** How models that score by dot product get a full-ranking TopKRanker: the engine's pool ranker. */
import { createDotRanker } from '../engine/ranker/dotRanker.js';
import { Pool } from '../engine/pool.js';
import type { TopKRanker } from '../eval/ranking.js';
import type { Embeddings } from './types.js';

/**
 * A ranker on `pool` when it has the threads asked for (the model's own pool: no workers to
 * start or kernels to compile, which cost 0.3 s on ml-100k against 0.05 s of ranking), else
 * on a pool of its own that its dispose() ends.
 */
export function dotRanker(e: Embeddings, threads: number, pool?: Pool): TopKRanker {
  const n = Math.max(1, threads);
  return createDotRanker(e.users, e.items, e.dim, {
    pool: pool?.threads === n ? pool : undefined,
    threads: n,
  });
}

/**
 * The evaluation pool of a model that trains without one: started at the first ranker(), kept
 * to dispose() (a pool per evaluation spent 0.3 s starting workers on ml-100k).
 */
export class EvaluationPool {
  private pool: Pool | undefined;

  ranker(e: Embeddings, threads: number): TopKRanker {
    this.pool ??= new Pool({ threads: Math.max(1, threads) });
    return dotRanker(e, threads, this.pool);
  }

  async dispose(): Promise<void> {
    await this.pool?.dispose();
    this.pool = undefined;
  }
}
