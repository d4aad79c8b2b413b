/**
 * Graph construction and algorithms on CSR arrays: transposes, the normalised adjacency, row
 * partitioning, the bipartite user-item graph, PageRank / personalized PageRank (power
 * iteration and push), random walks (DeepWalk, node2vec), alias tables, the item co-occurrence
 * graph and its r-normalisation, and the graph's structure (components, communities).
 */
export type { NormalizedAdjacency, WeightedCsr } from './types.js';
export { normalizedAdjacency } from './adjacency.js';
export { partitionByNnz, partitionListByNnz } from './partition.js';
export { transposeCsr } from './transpose.js';
export { bipartiteGraph, type BipartiteGraph } from './bipartite.js';
export { pageRank, personalizedPageRank, type PageRankResult } from './pagerank.js';
export { PushPpr, pushPersonalizedPageRank } from './ppr.js';
export { randomWalks, type WalkOptions, type Walks } from './walks.js';
export { AliasTable } from './alias.js';
export {
  itemCooccurrence,
  normalizedItemGraph,
  sessionGroups,
  type ItemGraphOptions,
} from './itemCooccurrence.js';
export { graphStructure, DEFAULT_MAX_EDGES, type StructureOptions } from './structure.js';
export {
  explainPaths,
  type ExplainOptions,
  type HistoryShare,
  type PathExplanation,
  type WalkPath,
} from './explainPaths.js';
