/**
 * What each stage of a two-stage pipeline costs and gains on a test set: the generator's
 * candidate recall@N (N = 100, 500, 1000 and the pipeline's own N), the final list's recall and
 * NDCG at the run's cut-offs, and the seconds spent generating and ranking. The final figures
 * are those of the full-ranking evaluator (src/eval/evaluate.ts: the same users, exclusions and
 * definitions); the candidate recalls bound them.
 */
import type { Csr } from '../data/types.js';
import { ndcgAtK, recallAtK } from '../eval/metrics.js';
import { candidateRecall } from '../eval/stages.js';
import type { TwoStage } from './twoStage.js';

export const STAGE_CUTOFFS = [100, 500, 1000] as const;

export interface StageReport {
  readonly generator: string;
  readonly ranker: string;
  readonly candidates: number;
  /** "recall@N" of the generator's top-N, for STAGE_CUTOFFS and the pipeline's N */
  readonly candidateRecall: Record<string, number>;
  /** "recall@K" and "ndcg@K" of the final list */
  readonly metrics: Record<string, number>;
  readonly generateSeconds: number;
  readonly rankSeconds: number;
  readonly users: number;
}

export interface StageOptions {
  readonly test: Csr;
  /** items never recommended: train (and validation) */
  readonly exclude: readonly Csr[];
  readonly ks: readonly number[];
  readonly threads: number;
  readonly cutoffs?: readonly number[];
}

const BLOCK = 1024;

export async function evaluateStages(model: TwoStage, o: StageOptions): Promise<StageReport> {
  const users = Int32Array.from({ length: o.test.nRows }, (_, u) => u).filter(
    (u) => o.test.indptr[u + 1] > o.test.indptr[u],
  );
  const n = model.hp.candidates;
  const ns = [...new Set([...(o.cutoffs ?? STAGE_CUTOFFS), n])].sort((a, b) => a - b);
  const ks = [...o.ks].sort((a, b) => a - b);
  const maxK = ks[ks.length - 1];
  const width = ns[ns.length - 1];
  const recallSums = Object.fromEntries(ns.map((c) => [`recall@${c}`, 0]));
  const metricSums: Record<string, number> = {};
  const pipeline = model.ranker(o.threads);
  const generator = model.generator.ranker(o.threads);
  try {
    for (let from = 0; from < users.length; from += BLOCK) {
      const block = users.subarray(from, from + BLOCK);
      const lists = { users: block, width, items: await generator.topK(block, width, o.exclude) };
      const recall = candidateRecall(lists, o.test, ns);
      for (const key of Object.keys(recall)) recallSums[key] += recall[key] * block.length;
      const final = await pipeline.topK(block, maxK, o.exclude);
      block.forEach((u, r) => {
        const list = final.subarray(r * maxK, (r + 1) * maxK);
        const relevant = new Set(o.test.indices.subarray(o.test.indptr[u], o.test.indptr[u + 1]));
        for (const k of ks) {
          metricSums[`recall@${k}`] =
            (metricSums[`recall@${k}`] ?? 0) + recallAtK(list, relevant, k);
          metricSums[`ndcg@${k}`] = (metricSums[`ndcg@${k}`] ?? 0) + ndcgAtK(list, relevant, k);
        }
      });
    }
  } finally {
    await pipeline.dispose?.();
    await generator.dispose?.();
  }
  const mean = (sums: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(sums).map(([k, v]) => [k, users.length ? v / users.length : 0]),
    );
  return {
    generator: model.hp.generator,
    ranker: model.hp.ranker,
    candidates: n,
    candidateRecall: mean(recallSums),
    metrics: mean(metricSums),
    generateSeconds: pipeline.seconds.generate,
    rankSeconds: pipeline.seconds.rank,
    users: users.length,
  };
}

/** One line for logs: what each stage gains and costs. */
export function describeStages(r: StageReport): string {
  const recalls = Object.entries(r.candidateRecall)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
  const finals = Object.entries(r.metrics)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
  return `stages: ${r.generator} candidates ${recalls}; ${r.ranker} over top-${r.candidates}: ${finals}; generate ${r.generateSeconds.toFixed(2)} s, rank ${r.rankSeconds.toFixed(2)} s (${r.users} users)`;
}
