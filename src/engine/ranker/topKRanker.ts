/**
 * The contract every model's ranker meets. It lives here, in the lowest layer that implements
 * it (the pool's dot ranker); eval, models and runs use it through src/eval/ranking.ts.
 */
import type { Csr } from '../../data/types.js';

export interface TopKRanker {
  /**
   * For each user in `users`, the k highest-scoring item ids, best first, excluding items in
   * any row u of the `exclude` CSRs; -1 pads when fewer than k items are eligible. Ties broken
   * by lower item id. Returns users.length * k ids, user-major.
   */
  topK(users: Int32Array, k: number, exclude: readonly Csr[]): Promise<Int32Array>;
  dispose?(): Promise<void> | void;
}
