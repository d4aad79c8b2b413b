/**
 * Most-popular baseline: every user gets the items with the most training interactions
 * (their own training items excluded by the evaluator). The floor any learned model must beat.
 */
import { ScoreFnRanker, type TopKRanker } from '../eval/ranking.js';
import type { ModelContext, Recommender } from './types.js';

export class Popularity implements Recommender {
  readonly name = 'popularity';
  readonly counts: Float32Array;

  constructor(ctx: ModelContext) {
    const m = ctx.trainCsrT;
    this.counts = new Float32Array(m.nRows);
    for (let i = 0; i < m.nRows; i++) this.counts[i] = m.indptr[i + 1] - m.indptr[i];
  }

  score(users: Int32Array, out: Float32Array): void {
    const n = this.counts.length;
    for (let r = 0; r < users.length; r++) out.set(this.counts, r * n);
  }

  ranker(): TopKRanker {
    return new ScoreFnRanker((users, out) => this.score(users, out), this.counts.length);
  }

  state(): Record<string, Float32Array> {
    return { counts: this.counts };
  }

  load(state: Record<string, Float32Array>): void {
    this.counts.set(state.counts);
  }
}
