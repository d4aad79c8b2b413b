/**
 * PinSAGE's hard negatives (Ying et al., KDD 2018, section 3.3): items that are related to the
 * query but not a positive, "ranked 2000-5000 by personalized PageRank" on Pinterest's catalogue
 * of billions. Here the query is a user: its items are ranked by the user's personalized
 * PageRank on the user-item graph (the local push of ../graph/ppr.ts, as the ppr recommender),
 * its own training items left out, and hard negatives are drawn uniformly from a rank window.
 *
 * The window is given as fractions of the catalogue, [from, to) x nItems: the paper's absolute
 * ranks are a few millionths of its catalogue, which on ml-100k's 1682 items would be the very
 * top item, likely a true positive the split held out. 0.05-0.2 (ranks 84-336 on ml-100k,
 * 2049-8196 on Gowalla's 40981 items, about the paper's 2000-5000) keeps the negatives related
 * but past the ranks a recommender would show.
 *
 * Items the push never reached (estimate 0) rank after every reached one, most popular first
 * (PageRank tends to degree order far from the source). Each user keeps at most `keep` items
 * of its window, evenly spaced over it, so memory is nUsers x keep whatever the catalogue.
 */
import type { Csr } from '../data/types.js';
import { bipartiteGraph } from '../graph/bipartite.js';
import { PushPpr } from '../graph/ppr.js';
import type { Rng } from '../util/rng.js';

export interface HardWindowOptions {
  /** the window's first rank, as a fraction of the catalogue */
  readonly from: number;
  /** the window's end (exclusive), as a fraction of the catalogue */
  readonly to: number;
  /** items kept per user (default 256) */
  readonly keep?: number;
  /** the walk's restart probability (default 0.5, the ppr recommender's) */
  readonly restart?: number;
  /** push tolerance relative to the graph's volume (default 0.1, the ppr recommender's) */
  readonly eps?: number;
}

/** Ranks [lo, hi) of a catalogue of nItems for the window [from, to): at least one rank. */
export function hardRankWindow(nItems: number, from: number, to: number): [number, number] {
  if (!(from >= 0 && from < to && to <= 1))
    throw new RangeError(`hard-negative window [${from}, ${to}) is not inside [0, 1]`);
  const lo = Math.min(Math.floor(from * nItems), Math.max(0, nItems - 1));
  return [lo, Math.max(lo + 1, Math.min(nItems, Math.ceil(to * nItems)))];
}

/** Each user's window of PPR-ranked non-positive items: user u's are items[offsets[u] ..]. */
export class HardNegatives {
  readonly offsets: Int32Array;
  readonly items: Int32Array;

  /** userItems: the training user -> items CSR with sorted rows. */
  constructor(userItems: Csr, o: HardWindowOptions) {
    const nUsers = userItems.nRows;
    const nItems = userItems.nCols;
    const keep = o.keep ?? 256;
    const [lo, hi] = hardRankWindow(nItems, o.from, o.to);
    const graph = bipartiteGraph(userItems);
    const push = new PushPpr(graph);
    const eps = (o.eps ?? 0.1) / Math.max(1, graph.indptr[graph.nRows]);
    const byPopularity = popularityOrder(graph, nUsers, nItems);
    const offsets = new Int32Array(nUsers + 1);
    const items = new Int32Array(nUsers * Math.min(keep, hi - lo));
    const mark = new Uint8Array(nItems);
    let at = 0;
    for (let u = 0; u < nUsers; u++) {
      const ranked = rankedItems(u, userItems, push, o.restart ?? 0.5, eps, byPopularity, hi, mark);
      at = keepSpaced(ranked, lo, keep, items, at);
      offsets[u + 1] = at;
    }
    this.offsets = offsets;
    this.items = items.subarray(0, at);
  }

  /** The user's window (empty when the user has no items outside its positives past lo). */
  window(u: number): Int32Array {
    return this.items.subarray(this.offsets[u], this.offsets[u + 1]);
  }

  /** A hard negative for user u, uniform over its window; -1 when the window is empty. */
  draw(u: number, rng: Rng): number {
    const lo = this.offsets[u];
    const n = this.offsets[u + 1] - lo;
    return n === 0 ? -1 : this.items[lo + rng.int(n)];
  }
}

/** Items by degree, descending (ties: lower id first). */
function popularityOrder(graph: Csr, nUsers: number, nItems: number): Int32Array {
  const deg = (i: number): number => graph.indptr[nUsers + i + 1] - graph.indptr[nUsers + i];
  return Int32Array.from({ length: nItems }, (_, i) => i).sort((a, b) => deg(b) - deg(a) || a - b);
}

/**
 * The first `hi` of user u's non-positive items by PPR (reached items by estimate, descending,
 * ties by id), then unreached ones by popularity. `mark` is all 0 between calls.
 */
function rankedItems(
  u: number,
  userItems: Csr,
  push: PushPpr,
  restart: number,
  eps: number,
  byPopularity: Int32Array,
  hi: number,
  mark: Uint8Array,
): number[] {
  const nUsers = userItems.nRows;
  const own = userItems.indices.subarray(userItems.indptr[u], userItems.indptr[u + 1]);
  for (const i of own) mark[i] = 1;
  const p = push.estimate;
  const reached: number[] = [];
  for (const v of push.run(u, restart, eps))
    if (v >= nUsers && p[v] > 0 && !mark[v - nUsers]) reached.push(v - nUsers);
  reached.sort((a, b) => p[b + nUsers] - p[a + nUsers] || a - b);
  const ranked = reached.slice(0, hi);
  for (const i of ranked) mark[i] = 2;
  for (let k = 0; k < byPopularity.length && ranked.length < hi; k++)
    if (!mark[byPopularity[k]]) ranked.push(byPopularity[k]);
  for (const i of own) mark[i] = 0;
  for (const i of ranked) mark[i] = 0;
  return ranked;
}

/** Writes at most `keep` of ranked[lo ..], evenly spaced, into out[at ..]; returns the new end. */
function keepSpaced(
  ranked: number[],
  lo: number,
  keep: number,
  out: Int32Array,
  at: number,
): number {
  const n = Math.max(0, ranked.length - lo);
  const m = Math.min(n, keep);
  for (let j = 0; j < m; j++) out[at++] = ranked[lo + Math.floor((j * n) / m)];
  return at;
}
