/**
 * The item-item matrix of 3-step walks item -> user -> item on the user-item graph, with the
 * exponents of P3alpha and RP3beta and the top-k pruning and normalisation of the reference
 * implementation (Dacrema et al., RecSys 2019: GraphBased/P3alphaRecommender.py and
 * RP3betaRecommender.py in MaurizioFD/RecSys2019_DeepLearning_Evaluation). Their order:
 *   1. P_ui = 1 / |I_u| (row-normalised user -> item), P_iu = 1 / |U_i| (item -> user);
 *   2. both raised elementwise to alpha;
 *   3. W[i, j] = sum_u P_iu^alpha P_uj^alpha  (the 3-step transition from i to j),
 *      times |U_j|^-beta for RP3beta (items without users keep weight 0);
 *   4. the diagonal set to 0, each row i keeps its k largest non-zero entries;
 *   5. optionally each row divided by its sum (P3alpha's default: no; RP3beta's: yes).
 * The graph is binary (repeated interactions count once), their `implicit` case.
 */
import type { BipartiteGraph } from './bipartite.js';
import type { WeightedCsr } from './types.js';

export interface ThreeStepOptions {
  readonly alpha: number;
  /** popularity penalty exponent; 0 for P3alpha */
  readonly beta: number;
  /** neighbours kept per item */
  readonly k: number;
  /** divide each row by its sum after pruning */
  readonly normalize: boolean;
}

/**
 * W as a CSR over items (row i: the kept j, ascending by id), values rounded once to float32
 * from float64 sums.
 */
export function threeStepItemGraph(g: BipartiteGraph, o: ThreeStepOptions): WeightedCsr {
  const { nUsers, nItems, indptr, indices } = g;
  if (!(Number.isInteger(o.k) && o.k >= 1))
    throw new RangeError(`k must be an integer >= 1, got ${o.k}`);
  const deg = (v: number): number => indptr[v + 1] - indptr[v];
  // step weights: P^alpha of leaving node v is deg(v)^-alpha on each of its edges
  const leave = new Float64Array(nUsers + nItems);
  for (let v = 0; v < leave.length; v++) leave[v] = deg(v) > 0 ? Math.pow(deg(v), -o.alpha) : 0;
  const penalty = new Float64Array(nItems);
  for (let j = 0; j < nItems; j++) {
    const d = deg(nUsers + j);
    penalty[j] = d > 0 ? Math.pow(d, -o.beta) : 0;
  }

  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const heap = new TopK(o.k);
  const rowsPtr = new Int32Array(nItems + 1);
  let cols: Int32Array = new Int32Array(Math.min(nItems * o.k, 1 << 20));
  let vals: Float32Array = new Float32Array(cols.length);
  let nnz = 0;
  for (let i = 0; i < nItems; i++) {
    const node = nUsers + i;
    let nTouched = 0;
    for (let p = indptr[node]; p < indptr[node + 1]; p++) {
      const u = indices[p];
      const w = leave[node] * leave[u];
      for (let q = indptr[u]; q < indptr[u + 1]; q++) {
        const j = indices[q] - nUsers;
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] += w;
      }
    }
    heap.clear();
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const s = acc[j] * penalty[j];
      acc[j] = 0;
      if (j !== i && s !== 0) heap.offer(s, j);
    }
    if (nnz + heap.size > cols.length) {
      const grown = Math.max(cols.length * 2, nnz + heap.size);
      const moreCols = new Int32Array(grown);
      const moreVals = new Float32Array(grown);
      moreCols.set(cols);
      moreVals.set(vals);
      cols = moreCols;
      vals = moreVals;
    }
    nnz = heap.drainSortedById(cols, vals, nnz, o.normalize);
    rowsPtr[i + 1] = nnz;
  }
  return {
    nRows: nItems,
    nCols: nItems,
    indptr: rowsPtr,
    indices: cols.slice(0, nnz),
    values: vals.slice(0, nnz),
  };
}

/**
 * The k largest (score, id) pairs seen, ties to the lower id: a min-heap whose root is the
 * worst kept pair.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  size = 0;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(k);
    this.ids = new Int32Array(k);
  }

  clear(): void {
    this.size = 0;
  }

  /** a worse than b: lower score, or equal score and higher id */
  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  offer(s: number, id: number): void {
    const { scores, ids } = this;
    if (this.size < this.k) {
      let c = this.size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!this.worse(s, id, scores[parent], ids[parent])) break;
        scores[c] = scores[parent];
        ids[c] = ids[parent];
        c = parent;
      }
      scores[c] = s;
      ids[c] = id;
      return;
    }
    if (!this.worse(scores[0], ids[0], s, id)) return;
    // replace the root and sift down
    let c = 0;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= this.k) break;
      if (
        child + 1 < this.k &&
        this.worse(scores[child + 1], ids[child + 1], scores[child], ids[child])
      )
        child++;
      if (!this.worse(scores[child], ids[child], s, id)) break;
      scores[c] = scores[child];
      ids[c] = ids[child];
      c = child;
    }
    scores[c] = s;
    ids[c] = id;
  }

  /**
   * Writes the kept pairs to cols/vals from `at`, ascending by id, divided by their sum when
   * normalize; returns the next free position.
   */
  drainSortedById(cols: Int32Array, vals: Float32Array, at: number, normalize: boolean): number {
    const order = Array.from({ length: this.size }, (_, t) => t).sort(
      (a, b) => this.ids[a] - this.ids[b],
    );
    let sum = 0;
    for (let t = 0; t < this.size; t++) sum += this.scores[t];
    const scale = normalize ? 1 / sum : 1;
    for (const t of order) {
      cols[at] = this.ids[t];
      vals[at++] = this.scores[t] * scale;
    }
    this.size = 0;
    return at;
  }
}
