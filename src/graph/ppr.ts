/**
 * Personalized PageRank from one source by local push: Andersen, Chung & Lang, "Local Graph
 * Partitioning using PageRank Vectors", FOCS 2006 (ApproximatePageRank, section 3).
 *
 * The method keeps an estimate p and a residual r, starting from p = 0, r = e_s, and keeps the
 * invariant  ppr_s = p + sum_v r(v) ppr_v.  Pushing node u moves alpha r(u) into p(u) and spreads
 * the rest over u's neighbours:
 *
 *   p(u) += alpha r(u);  r(v) += (1 - alpha) r(u) / d(u) for each neighbour v;  r(u) = 0
 *
 * until every r(u) < eps d(u). ACL push a lazy walk (half of r(u) stays at u), whose vector is the
 * PageRank of restart probability 2 alpha / (1 + alpha); we push the plain walk, so the result
 * approximates the same vector as power iteration (./pagerank.ts) with the same alpha. The
 * analysis carries over: each push moves at least alpha eps d(u) of mass into p, so the work is
 * O(1 / (eps alpha)) edge visits whatever the graph's size, and on an undirected graph
 * (ppr_v(t) / d(t) = ppr_t(v) / d(v)) the answer satisfies, for every node t,
 *
 *   0 <= ppr_s(t) - p(t) < eps d(t).
 *
 * A node without neighbours (the source, when it has no edge; a sink of a directed graph) sends
 * its (1 - alpha) share back to the source, as the power iteration's dangling nodes restart, and
 * is pushed while r(u) >= eps.
 */
import type { Csr } from '../data/types.js';

/** Reusable buffers for pushes on one graph: a run costs the nodes it touches, not the graph. */
export class PushPpr {
  /** p: the estimate of the last run, non-zero only on its touched nodes */
  readonly estimate: Float64Array;
  /** r: the mass the last run left unpushed, non-zero only on its touched nodes */
  readonly residual: Float64Array;
  /** FIFO of nodes over their threshold; each node is in it at most once */
  private readonly queue: Int32Array;
  /** per node: TOUCHED and QUEUED bits */
  private readonly state: Uint8Array;
  /** max(degree, 1): a node is pushed while r(v) >= eps x this */
  private readonly weight: Float64Array;
  private readonly touched: Int32Array;
  private nTouched = 0;
  /** pushes done by the last run */
  pushes = 0;

  constructor(readonly graph: Csr) {
    if (graph.nCols !== graph.nRows)
      throw new RangeError(`push needs a square graph, got ${graph.nRows} x ${graph.nCols}`);
    const n = graph.nRows;
    this.estimate = new Float64Array(n);
    this.residual = new Float64Array(n);
    this.queue = new Int32Array(n);
    this.state = new Uint8Array(n);
    this.touched = new Int32Array(n);
    this.weight = new Float64Array(n);
    for (let v = 0; v < n; v++) this.weight[v] = Math.max(1, graph.indptr[v + 1] - graph.indptr[v]);
  }

  /**
   * Runs the push from `source` with restart probability alpha and tolerance eps. Returns the
   * nodes whose estimate or residual became non-zero (a view, valid until the next run); read
   * their values in `estimate`.
   */
  run(source: number, alpha: number, eps: number): Int32Array {
    const { indptr, indices } = this.graph;
    const n = this.graph.nRows;
    if (!(Number.isInteger(source) && source >= 0 && source < n))
      throw new RangeError(`source ${source} is not a node of the graph [0, ${n})`);
    if (!(alpha > 0 && alpha <= 1))
      throw new RangeError(`the restart probability must be in (0, 1], got ${alpha}`);
    if (!(eps > 0)) throw new RangeError(`eps must be > 0, got ${eps}`);
    const { estimate: p, residual: r, queue, state, weight, touched } = this;
    this.clear();
    let nTouched = 0;
    // the queue is a ring of n slots: at most n nodes are queued at once
    let head = 0;
    let size = 0;
    const offer = (v: number, rv: number): void => {
      const s = state[v];
      if ((s & TOUCHED) === 0) touched[nTouched++] = v;
      if ((s & QUEUED) === 0 && rv >= eps * weight[v]) {
        const at = head + size++;
        queue[at >= n ? at - n : at] = v;
        state[v] = TOUCHED | QUEUED;
      } else state[v] = s | TOUCHED;
    };
    r[source] = 1;
    offer(source, 1);
    let pushes = 0;
    while (size > 0) {
      const u = queue[head];
      head = head + 1 === n ? 0 : head + 1;
      size--;
      state[u] = TOUCHED;
      const ru = r[u];
      const start = indptr[u];
      const d = indptr[u + 1] - start;
      pushes++;
      p[u] += alpha * ru;
      r[u] = 0;
      if (d === 0) {
        r[source] += (1 - alpha) * ru;
        offer(source, r[source]);
        continue;
      }
      const share = ((1 - alpha) * ru) / d;
      for (let q = start; q < start + d; q++) {
        const v = indices[q];
        offer(v, (r[v] += share));
      }
    }
    this.nTouched = nTouched;
    this.pushes = pushes;
    return touched.subarray(0, nTouched);
  }

  /** Zeroes what the last run wrote. */
  private clear(): void {
    for (let k = 0; k < this.nTouched; k++) {
      const v = this.touched[k];
      this.estimate[v] = 0;
      this.residual[v] = 0;
      this.state[v] = 0;
    }
    this.nTouched = 0;
  }
}

const TOUCHED = 1;
const QUEUED = 2;

/** The push estimate of ppr_source as a dense vector (one call; keep a PushPpr to run many). */
export function pushPersonalizedPageRank(
  g: Csr,
  source: number,
  o: { readonly alpha?: number; readonly eps?: number } = {},
): Float64Array {
  const push = new PushPpr(g);
  push.run(source, o.alpha ?? 0.15, o.eps ?? 1e-6);
  return Float64Array.from(push.estimate);
}
