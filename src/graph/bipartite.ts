/**
 * The user-item interactions as one undirected, unweighted graph, the graph the walk
 * recommenders (PPR, P3alpha, RP3beta) and the random walks run on.
 */
import type { Csr, Interactions } from '../data/types.js';
import { normalizedAdjacency } from './adjacency.js';

/**
 * Nodes are the users (0 .. nUsers-1) then the items (item i is node nUsers + i); an edge joins
 * a user and an item they interacted with, stored in both rows, each row ascending with repeated
 * interactions counted once.
 */
export interface BipartiteGraph extends Csr {
  readonly nUsers: number;
  readonly nItems: number;
}

/**
 * Builds the graph from the training interactions (or their user -> items CSR). The layout is
 * the LightGCN adjacency's without its weights, so both models see the same edges.
 */
export function bipartiteGraph(train: Csr | Interactions): BipartiteGraph {
  const { nRows, nCols, indptr, indices, nUsers, nItems } = normalizedAdjacency(train);
  return { nRows, nCols, indptr, indices, nUsers, nItems };
}
