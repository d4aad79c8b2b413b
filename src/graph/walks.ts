/**
 * Random walks on a CSR graph: uniform first-order walks (DeepWalk: Perozzi, Al-Rfou & Skiena,
 * KDD 2014) and node2vec's second-order walks (Grover & Leskovec, KDD 2016, section 3.2.2).
 *
 * node2vec: having come from t to v, the walk moves to a neighbour x of v with unnormalised
 * probability
 *   f(x) = 1/p  if x = t (return),  1  if x is a neighbour of t,  1/q  otherwise (moving away).
 *
 * Sampling is by rejection, as KnightKing does (Yang et al., "KnightKing: a fast distributed
 * graph random walk engine", SOSP 2019), not by alias tables. node2vec's alias tables hang on
 * edges: one table over N(v) for every edge (t, v), sum over v of d(v)^2 entries, which on
 * Gowalla's user-item graph (item degrees in the thousands) is hundreds of millions of entries
 * built again for every (p, q). Rejection needs nothing but the sorted graph: propose a neighbour
 * uniformly, accept it with probability f(x) / M. KnightKing's two refinements are here: the
 * return edge, whose 1/p may tower over the others, is an "outlier" given its excess area
 * (1/p - M) outside the envelope, so M = max(1, 1/q) and not max(1/p, 1, 1/q); and a draw under
 * min(1, 1/q, 1/p) is accepted without looking up whether x is a neighbour of t (a binary search
 * in t's row). Expected proposals per step: (d M + max(0, 1/p - M)) / sum_x f(x).
 *
 * Determinism: walk w from start node s draws from the stream keyed by (seed, s, w)
 * (./walkStream.ts), so the walks do not depend on the order or chunking in which they are
 * generated; walkRows fills any range of them, the unit a thread pool would take.
 */
import type { Csr } from '../data/types.js';
import { KeyedStream, type UniformSource } from './walkStream.js';

export interface WalkOptions {
  /** nodes per walk, the start included (node2vec's walk_length, 80 in its paper) */
  readonly length: number;
  /** walks from every start node (node2vec's num_walks, 10 in its paper) */
  readonly walksPerNode: number;
  readonly seed: number;
  /** return parameter (default 1) */
  readonly p?: number;
  /** in-out parameter (default 1); p = q = 1 is the uniform (DeepWalk) walk */
  readonly q?: number;
  /** start nodes (default: every node) */
  readonly starts?: Int32Array;
}

export interface Walks {
  /** walk r is nodes[r * length .. (r + 1) * length), -1 after a node without neighbours */
  readonly nodes: Int32Array;
  readonly length: number;
  /** walks: walksPerNode * starts; walk w * starts.length + k starts at starts[k] */
  readonly count: number;
  readonly starts: Int32Array;
}

/** Every walk of the options, in order: all start nodes for walk 0, then for walk 1, ... */
export function randomWalks(g: Csr, o: WalkOptions): Walks {
  const starts = o.starts ?? Int32Array.from({ length: g.nRows }, (_, v) => v);
  const count = o.walksPerNode * starts.length;
  checkWalkOptions(g, o, starts);
  const nodes = new Int32Array(count * o.length);
  walkRows(g, { ...o, starts }, 0, count, nodes);
  return { nodes, length: o.length, count, starts };
}

/**
 * Walks [from, to) of randomWalks(g, o) into out[(r - from) * length ..]: the same walks
 * whichever range they are generated in. o.starts must be set (randomWalks sets it).
 */
export function walkRows(
  g: Csr,
  o: WalkOptions & { readonly starts: Int32Array },
  from: number,
  to: number,
  out: Int32Array,
): void {
  const { length, starts, seed } = o;
  const n2v = new Node2VecStep(g, o.p ?? 1, o.q ?? 1);
  for (let r = from; r < to; r++) {
    const w = Math.floor(r / starts.length);
    const start = starts[r - w * starts.length];
    const rng = new KeyedStream(seed, start, w);
    const at = (r - from) * length;
    out[at] = start;
    let prev = -1;
    let cur = start;
    for (let k = 1; k < length; k++) {
      const next = n2v.step(prev, cur, rng);
      out[at + k] = next;
      if (next < 0) {
        out.fill(-1, at + k + 1, at + length);
        break;
      }
      prev = cur;
      cur = next;
    }
  }
}

/** One node2vec transition by rejection, with the envelope precomputed for (p, q). */
export class Node2VecStep {
  private readonly invP: number;
  private readonly invQ: number;
  /** envelope height over every edge */
  private readonly m: number;
  /** the return edge's area above the envelope */
  private readonly extra: number;
  /** heights below which any proposal is accepted */
  private readonly floor: number;
  private readonly uniform: boolean;

  constructor(
    private readonly g: Csr,
    p: number,
    q: number,
  ) {
    if (!(p > 0 && q > 0 && Number.isFinite(p) && Number.isFinite(q)))
      throw new RangeError(`node2vec needs finite p, q > 0, got p = ${p}, q = ${q}`);
    this.invP = 1 / p;
    this.invQ = 1 / q;
    this.m = Math.max(1, this.invQ);
    this.extra = Math.max(0, this.invP - this.m);
    this.floor = Math.min(1, this.invQ, this.invP);
    this.uniform = p === 1 && q === 1;
  }

  /** The node after cur, having come from prev (-1 at the start); -1 when cur has no neighbour. */
  step(prev: number, cur: number, rng: UniformSource): number {
    const { indptr, indices } = this.g;
    const start = indptr[cur];
    const d = indptr[cur + 1] - start;
    if (d === 0) return -1;
    if (prev < 0 || this.uniform) return indices[start + Math.min(d - 1, (rng.next() * d) | 0)];
    const m = this.m;
    // the outlier area exists only if the walk can return (always, on an undirected graph)
    const extra = this.extra > 0 && hasEdge(this.g, cur, prev) ? this.extra : 0;
    const area = d * m + extra;
    for (;;) {
      const u = rng.next() * area;
      if (u >= d * m) return prev;
      const k = Math.min(d - 1, Math.floor(u / m));
      const y = u - k * m;
      const x = indices[start + k];
      if (y < this.floor) return x;
      const f = x === prev ? this.invP : hasEdge(this.g, prev, x) ? 1 : this.invQ;
      if (y < f) return x;
    }
  }
}

/** Whether row `from` lists `to` (rows sorted ascending: binary search). */
export function hasEdge(g: Csr, from: number, to: number): boolean {
  let lo = g.indptr[from];
  let hi = g.indptr[from + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = g.indices[mid];
    if (c === to) return true;
    if (c < to) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Throws a RangeError on options or a graph that walkRows cannot walk. */
export function checkWalkOptions(g: Csr, o: WalkOptions, starts: Int32Array): void {
  if (!(Number.isInteger(o.length) && o.length >= 1))
    throw new RangeError(`walk length must be an integer >= 1, got ${o.length}`);
  if (!(Number.isInteger(o.walksPerNode) && o.walksPerNode >= 0))
    throw new RangeError(`walksPerNode must be an integer >= 0, got ${o.walksPerNode}`);
  if (g.nCols !== g.nRows)
    throw new RangeError(`walks need a square graph, got ${g.nRows} x ${g.nCols}`);
  for (const s of starts)
    if (!(s >= 0 && s < g.nRows))
      throw new RangeError(`start node ${s} is not a node of the graph [0, ${g.nRows})`);
  // node2vec's neighbour test is a binary search
  for (let v = 0; v < g.nRows; v++)
    for (let p = g.indptr[v] + 1; p < g.indptr[v + 1]; p++)
      if (g.indices[p] <= g.indices[p - 1])
        throw new RangeError(`row ${v} of the graph is not sorted ascending without repeats`);
}
