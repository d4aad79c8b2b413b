/**
 * Link prediction on an undirected graph (friend recommendation on a user-user graph): a seeded
 * held-out split of each node's edges, and the neighbourhood scores that are its classic
 * baselines (Liben-Nowell & Kleinberg, "The Link-Prediction Problem for Social Networks",
 * CIKM 2003): common neighbours |N(u) ∩ N(w)| and Adamic-Adar sum_{v in N(u) ∩ N(w)} 1/log d(v)
 * (Adamic & Adar, "Friends and neighbors on the Web", Social Networks 2003).
 */
import { buildCsr, sortRows } from '../data/csr.js';
import type { Csr } from '../data/types.js';
import { Rng } from '../util/rng.js';

export interface EdgeSplit {
  /** the kept edges, symmetric like the input */
  readonly train: Csr;
  /** the held-out edges, each undirected edge in both rows */
  readonly test: Csr;
}

/**
 * Holds out about `ratio` of each node's edges of a symmetric CSR (each undirected edge in both
 * rows). Nodes are visited in a seeded random order; node u holds out edges (u, v), in a seeded
 * random order, while it has held out fewer than round(ratio d(u)) and v fewer than
 * round(ratio d(v)): no node loses more than its share, so a node of degree 1 or 2 keeps all its
 * edges and every node keeps at least one. A held-out edge leaves both rows.
 */
export function holdOutEdges(graph: Csr, ratio: number, seed: number): EdgeSplit {
  if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`ratio must be in [0, 1), got ${ratio}`);
  if (graph.nRows !== graph.nCols)
    throw new RangeError(`a square graph is needed, got ${graph.nRows} x ${graph.nCols}`);
  const n = graph.nRows;
  const rng = new Rng(seed);
  const share = new Int32Array(n);
  for (let u = 0; u < n; u++)
    share[u] = Math.round(ratio * (graph.indptr[u + 1] - graph.indptr[u]));
  const held = new Int32Array(n);
  const out = new Set<number>(); // key min * n + max of each held-out edge
  const key = (u: number, v: number): number => Math.min(u, v) * n + Math.max(u, v);
  for (const u of rng.shuffle(Int32Array.from({ length: n }, (_, k) => k))) {
    if (held[u] >= share[u]) continue;
    const row = rng.shuffle(graph.indices.slice(graph.indptr[u], graph.indptr[u + 1]));
    for (const v of row) {
      if (held[u] >= share[u]) break;
      if (v === u || held[v] >= share[v] || out.has(key(u, v))) continue;
      out.add(key(u, v));
      held[u]++;
      held[v]++;
    }
  }
  const keep: [number[], number[]] = [[], []];
  const test: [number[], number[]] = [[], []];
  for (let u = 0; u < n; u++) {
    for (let p = graph.indptr[u]; p < graph.indptr[u + 1]; p++) {
      const v = graph.indices[p];
      const to = out.has(key(u, v)) ? test : keep;
      to[0].push(u);
      to[1].push(v);
    }
  }
  const csr = ([r, c]: [number[], number[]]): Csr =>
    sortRows(buildCsr(n, n, Int32Array.from(r), Int32Array.from(c)));
  return { train: csr(keep), test: csr(test) };
}

/** How much a shared neighbour v of degree d adds to a pair's score. */
export type NeighbourWeight = (degree: number) => number;

export const COMMON_NEIGHBOURS: NeighbourWeight = () => 1;
/** A shared neighbour with few neighbours says more than a hub (degree >= 2 here: it has two). */
export const ADAMIC_ADAR: NeighbourWeight = (d) => 1 / Math.log(d);

/**
 * Writes each source's scores over all nodes to out[r * n ..]: the sum over 2-hop paths
 * u - v - w of weight(d(v)), i.e. the weighted count of common neighbours of u and w. The
 * source itself scores 0 (rank it out with an exclusion).
 */
export function neighbourScores(
  graph: Csr,
  sources: Int32Array,
  weight: NeighbourWeight,
  out: Float32Array,
): void {
  const n = graph.nRows;
  const { indptr, indices } = graph;
  for (let r = 0; r < sources.length; r++) {
    const u = sources[r];
    const base = r * n;
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const v = indices[p];
      const w = weight(indptr[v + 1] - indptr[v]);
      for (let q = indptr[v]; q < indptr[v + 1]; q++) {
        const x = indices[q];
        if (x !== u) out[base + x] += w;
      }
    }
  }
}
