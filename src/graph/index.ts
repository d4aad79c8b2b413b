/** Graph construction: CSR transposes, the normalised adjacency, row partitioning. */
export type { NormalizedAdjacency, WeightedCsr } from './types.js';
export { normalizedAdjacency } from './adjacency.js';
export { partitionByNnz, partitionListByNnz } from './partition.js';
export { transposeCsr } from './transpose.js';
