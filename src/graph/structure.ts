/**
 * The user-item graph's structure for the dataset inspector, computed with graphology:
 * connected components (graphology-components) and Louvain communities with their modularity
 * (graphology-communities-louvain; Blondel et al., "Fast unfolding of communities in large
 * networks", J. Stat. Mech. 2008). graphology keeps a graph as JS objects (about 400 bytes an
 * edge), so a graph above `maxEdges` is measured on a seeded sample of its users with all their
 * edges, and the summary says so.
 */
import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import { forEachConnectedComponentOrder } from 'graphology-components';
import type { Csr } from '../data/types.js';
import type { GraphStructure } from '../data/describe.js';
import { uniqueSortedRows } from './adjacency.js';

export interface StructureOptions {
  /** uniform numbers in [0, 1): the user sample and Louvain's node order */
  readonly rng: () => number;
  /** above this many edges, users are sampled until their edges reach it */
  readonly maxEdges?: number;
}

/**
 * Gowalla's 1.03M edges take 20-35 s and 400 MB in graphology on 2 busy cores (most of it
 * building the graph and finding components; Louvain itself 2-3 s): past this, sample.
 */
export const DEFAULT_MAX_EDGES = 250_000;

/** Users in a seeded random order, taken while their distinct edges stay within the budget. */
function sampleUsers(ui: Csr, maxEdges: number, rng: () => number): Int32Array {
  const order = Int32Array.from({ length: ui.nRows }, (_, u) => u);
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(rng() * (k + 1));
    [order[k], order[j]] = [order[j], order[k]];
  }
  let edges = 0;
  let n = 0;
  while (n < order.length) {
    const u = order[n];
    const d = ui.indptr[u + 1] - ui.indptr[u];
    if (edges + d > maxEdges) break;
    edges += d;
    n++;
  }
  return order.slice(0, n).sort();
}

/**
 * The bipartite graph of a user -> items CSR (nodes: users 0 .. nUsers-1, item i at nUsers + i),
 * restricted to `users` and the items they reach when a sample is taken. Edges are added with
 * their CSR position as key: graphology's generated keys cost twice the time on 1M edges.
 */
function toGraphology(ui: Csr, users: Int32Array | undefined): UndirectedGraph {
  const g = new UndirectedGraph({ multi: false, allowSelfLoops: false });
  const rows = users ?? Int32Array.from({ length: ui.nRows }, (_, u) => u);
  for (const u of rows) g.addNode(u);
  if (!users) for (let i = 0; i < ui.nCols; i++) g.addNode(ui.nRows + i);
  for (const u of rows) {
    for (let p = ui.indptr[u]; p < ui.indptr[u + 1]; p++) {
      const item = ui.nRows + ui.indices[p];
      if (users) g.mergeNode(item);
      g.addEdgeWithKey(p, u, item);
    }
  }
  return g;
}

/** The graph in graphology, on a seeded sample of its users when it has over maxEdges edges. */
function sampledGraph(
  ui: Csr,
  o: StructureOptions,
): { g: UndirectedGraph; users: Int32Array | undefined } {
  const maxEdges = o.maxEdges ?? DEFAULT_MAX_EDGES;
  const distinct = uniqueSortedRows(ui);
  const total = distinct.indptr[distinct.nRows];
  const users = total > maxEdges ? sampleUsers(distinct, maxEdges, o.rng) : undefined;
  return { g: toGraphology(distinct, users), users };
}

/** Components, the largest one's share of the nodes, and Louvain communities and modularity. */
export function graphStructure(ui: Csr, o: StructureOptions): GraphStructure {
  const start = performance.now();
  const { g, users } = sampledGraph(ui, o);
  let components = 0;
  let largest = 0;
  let isolated = 0;
  forEachConnectedComponentOrder(g, (size) => {
    components++;
    largest = Math.max(largest, size);
    if (size === 1) isolated++;
  });
  const communities = louvain.detailed(g, { rng: o.rng });
  return {
    graph: 'user-item',
    nodes: g.order,
    edges: g.size,
    ...(users ? { sampledUsers: users.length, totalUsers: ui.nRows } : {}),
    components,
    isolatedNodes: isolated,
    largestComponentShare: g.order > 0 ? largest / g.order : 0,
    communities: communities.count,
    modularity: communities.modularity,
    seconds: (performance.now() - start) / 1000,
  };
}

/** Each node's Louvain community on the user-item graph (sampled as graphStructure samples). */
export interface NodeCommunities {
  /** per node (users, then items): its community, or -1 when the sample left it out */
  readonly community: Int32Array;
  readonly count: number;
  readonly modularity: number;
  /** set when the graph was sampled: users kept, of all */
  readonly sampledUsers?: number;
  readonly totalUsers?: number;
}

/** Louvain communities of the user-item graph's nodes, for colouring them (e.g. a plot). */
export function nodeCommunities(ui: Csr, o: StructureOptions): NodeCommunities {
  const { g, users } = sampledGraph(ui, o);
  const found = louvain.detailed(g, { rng: o.rng });
  const community = new Int32Array(ui.nRows + ui.nCols).fill(-1);
  for (const [node, c] of Object.entries(found.communities)) community[Number(node)] = c;
  return {
    community,
    count: found.count,
    modularity: found.modularity,
    ...(users ? { sampledUsers: users.length, totalUsers: ui.nRows } : {}),
  };
}
