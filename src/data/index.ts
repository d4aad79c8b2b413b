/** The data layer's public API: loading, specs, preprocessing, splits, description, demo data. */
export type {
  Csr,
  Dataset,
  FeatureTable,
  IdMap,
  Interactions,
  KnowledgeGraph,
  Sessions,
  Split,
} from './types.js';
export { buildCsr, idCounts, itemUserCsr, rowDegrees, sortRows, userItemCsr } from './csr.js';
export { denseIdMap, IdMapBuilder, idMapOf } from './idmap.js';

export {
  formatDatasetSpec,
  parseDatasetSpec,
  SPEC_HELP,
  type DatasetFormat,
  type DatasetSpec,
  type DatasetSpecOptions,
} from './spec.js';
export { loadDataset, sniffFormat } from './dataset.js';

export { loadLightGcnDir, loadLightGcnFiles, readLightGcnFile } from './loaders/lightgcn.js';
export {
  loadDelimitedFiles,
  readDelimitedFile,
  type DelimitedOptions,
  type GivenFiles,
} from './loaders/delimited.js';
export type { LoadPolicy, UnseenItemPolicy } from './assemble.js';
export { countRepeats, firstOccurrences } from './duplicates.js';
export type { ColumnMapping, ColumnRef } from './loaders/columns.js';
export { sniffLayout, WHITESPACE, type Layout, type LayoutHint } from './loaders/sniff.js';
export {
  loadMovieLens,
  MOVIELENS_PRESETS,
  sniffMovieLens,
  type MovieLensLayout,
} from './loaders/movielens.js';
export { loadRecBole, type RecBoleOptions } from './loaders/recbole.js';
export { loadLastFmKg, readLabelledRatings, readTriples } from './loaders/kg.js';
export { loadSessions, type SessionOptions } from './loaders/sessions.js';

export {
  applyStep,
  dedupe,
  densify,
  kCore,
  minInteractions,
  preprocessDataset,
  thresholdRatings,
  type InteractionTable,
  type PreprocessStep,
} from './preprocess.js';
export { splitDataset, type SplitConfig } from './split.js';
export {
  describe,
  formatDescription,
  type DatasetSummary,
  type DayCount,
  type SplitDescription,
} from './describe.js';
export {
  gini,
  log2Histogram,
  longTail,
  percentiles,
  quantile,
  type HistogramBin,
  type LongTailPoint,
  type Percentiles,
} from './stats.js';
export { DEMO_DEFAULTS, synthesizeDemo, type DemoOptions } from './synth.js';
export * from './download/index.js';
