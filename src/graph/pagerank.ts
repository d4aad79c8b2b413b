/**
 * PageRank (Page, Brin, Motwani & Winograd, "The PageRank Citation Ranking", 1999) and
 * personalized PageRank, i.e. the random walk with restart, by power iteration on a CSR graph.
 *
 * Row v of the graph lists v's out-neighbours; edges are unweighted (values, if any, are not
 * read) and the walker leaves v along each out-edge with probability 1 / outdeg(v). With restart
 * probability alpha (PageRank's damping factor is 1 - alpha) and restart distribution s:
 *
 *   x = alpha s + (1 - alpha) (P^T x + (sum of x over dangling nodes) s),  P = D^-1 A
 *
 * Dangling nodes (no out-edge) follow the standard definition (Langville & Meyer, "Google's
 * PageRank and Beyond", 2006; networkx's default): a walker there jumps by the restart
 * distribution, uniform for PageRank, the sources for personalized PageRank. So x stays a
 * probability distribution and equals alpha s (I - (1 - alpha) P')^-1 with P' = P whose
 * dangling rows are replaced by s.
 */
import type { Csr } from '../data/types.js';

export interface PowerIterationOptions {
  /** stop when the L1 change of an iteration is below this (default 1e-12) */
  readonly tol?: number;
  /** at most this many iterations (default 10000) */
  readonly maxIter?: number;
}

export interface PageRankResult {
  /** one probability per node, summing to 1 */
  readonly scores: Float64Array;
  readonly iterations: number;
  /** L1 change of the last iteration */
  readonly delta: number;
  readonly converged: boolean;
}

/** Plain PageRank: restart (teleport) uniformly, with probability 1 - damping (default 0.85). */
export function pageRank(
  g: Csr,
  o: PowerIterationOptions & { readonly damping?: number } = {},
): PageRankResult {
  const damping = o.damping ?? 0.85;
  const restart = new Float64Array(g.nRows).fill(1 / g.nRows);
  return powerIteration(g, restart, 1 - damping, o);
}

/**
 * Personalized PageRank from one node or a set of nodes: the walker restarts, with probability
 * alpha (default 0.15) at each step, at a node drawn uniformly from the sources (each node
 * counts once, however often it is listed).
 */
export function personalizedPageRank(
  g: Csr,
  sources: number | ArrayLike<number>,
  o: PowerIterationOptions & { readonly alpha?: number } = {},
): PageRankResult {
  return powerIteration(g, restartVector(g.nRows, sources), o.alpha ?? 0.15, o);
}

/** The uniform distribution over the distinct sources. */
export function restartVector(n: number, sources: number | ArrayLike<number>): Float64Array {
  const list = typeof sources === 'number' ? [sources] : Array.from(sources);
  const s = new Float64Array(n);
  for (const v of list) {
    if (!(Number.isInteger(v) && v >= 0 && v < n))
      throw new RangeError(`source ${v} is not a node of the graph [0, ${n})`);
    s[v] = 1;
  }
  const count = s.reduce((a, b) => a + b, 0);
  if (count === 0) throw new RangeError('personalized PageRank needs at least one source');
  for (let v = 0; v < n; v++) s[v] /= count;
  return s;
}

/**
 * x = alpha s + (1 - alpha) (P^T x + dangling(x) s), from x = s, until the change is below tol.
 * The error after stopping is at most tol (1 - alpha) / alpha in L1 (the map contracts by 1 - alpha).
 */
export function powerIteration(
  g: Csr,
  restart: Float64Array,
  alpha: number,
  o: PowerIterationOptions = {},
): PageRankResult {
  const n = g.nRows;
  const tol = o.tol ?? 1e-12;
  const maxIter = o.maxIter ?? 10000;
  if (g.nCols !== n) throw new RangeError(`PageRank needs a square graph, got ${n} x ${g.nCols}`);
  if (!(alpha > 0 && alpha <= 1))
    throw new RangeError(`the restart probability must be in (0, 1], got ${alpha}`);
  if (restart.length !== n) throw new RangeError(`restart has ${restart.length} entries for ${n}`);
  const mass = restart.reduce((a, b) => a + b, 0);
  if (restart.some((s) => !(s >= 0)) || Math.abs(mass - 1) > 1e-9)
    throw new RangeError(`restart must be a probability distribution (sums to ${mass})`);
  const { indptr, indices } = g;
  let x = Float64Array.from(restart);
  let y = new Float64Array(n);
  let delta = Infinity;
  let it = 0;
  while (it < maxIter && !(delta < tol)) {
    y.fill(0);
    let dangling = 0;
    for (let v = 0; v < n; v++) {
      const xv = x[v];
      const d = indptr[v + 1] - indptr[v];
      if (xv === 0) continue;
      if (d === 0) {
        dangling += xv;
        continue;
      }
      const share = ((1 - alpha) * xv) / d;
      for (let p = indptr[v]; p < indptr[v + 1]; p++) y[indices[p]] += share;
    }
    const jump = alpha + (1 - alpha) * dangling;
    delta = 0;
    for (let v = 0; v < n; v++) {
      y[v] += jump * restart[v];
      delta += Math.abs(y[v] - x[v]);
    }
    [x, y] = [y, x];
    it++;
  }
  return { scores: x, iterations: it, delta, converged: delta < tol };
}
