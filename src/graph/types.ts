/** Sparse matrices the graph step hands to the engine. */
import type { Csr } from '../data/types.js';

/** A CSR matrix whose entries carry float32 weights. */
export interface WeightedCsr extends Csr {
  readonly values: Float32Array;
}

/**
 * The LightGCN propagation matrix Ã = D^-1/2 A D^-1/2 of a user-item graph (or LightGCN++'s
 * D^-alpha A D^-beta): nodes are the users (0 .. nUsers-1) then the items (nUsers + i), A is the
 * symmetric bipartite adjacency without self-loops, and each row's columns are ascending.
 */
export interface NormalizedAdjacency extends WeightedCsr {
  readonly nUsers: number;
  readonly nItems: number;
  /** Ã equals its transpose (alpha = beta), so its backward product needs no transposed copy */
  readonly symmetric: boolean;
}
