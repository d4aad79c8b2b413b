/** Evaluation: full-ranking top-K, ranking metrics, and the evaluator that ties them. */
export {
  JsDotRanker,
  ScoreFnRanker,
  type BlockOptions,
  type ScoreFn,
  type TopKRanker,
} from './ranking.js';
export { maskExcluded, selectTopK, TopKScratch } from './topk.js';
export {
  accuracyAtKs,
  averagePopularity,
  discount,
  giniIndex,
  hitRateAtK,
  hitsAtK,
  idealDcg,
  itemCoverage,
  LIST_METRICS,
  mapAtK,
  mrrAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  recommendationCounts,
  USER_METRICS,
  type ListMetric,
  type RelevantSet,
  type UserMetric,
} from './metrics.js';
export {
  METRICS,
  metricKey,
  normalizeKs,
  parseKs,
  parseMetricKey,
  type MetricName,
} from './keys.js';
export {
  evaluate,
  type EvalResult,
  type EvaluateOptions,
  type PerUserMetrics,
} from './evaluate.js';
export {
  GOWALLA_PAPER,
  GOWALLA_PINS,
  isPaperGowalla,
  PAPER_METRICS,
  paperNumbers,
  paperReference,
  paperReferences,
  type PaperMetric,
  type PaperNumbers,
  type PaperReference,
  type RunData,
} from './paperNumbers.js';
