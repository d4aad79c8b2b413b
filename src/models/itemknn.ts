/**
 * Item-based k-nearest-neighbour CF.
 * Sarwar et al., "Item-Based Collaborative Filtering Recommendation Algorithms", WWW 2001.
 *   similarity (sec. 3.1.1, cosine over binary user vectors, with optional shrinkage):
 *     s(i, j) = |U_i ∩ U_j| / (sqrt(|U_i|) sqrt(|U_j|) + shrink)
 *   prediction (sec. 3.2.1, weighted sum, unnormalised for ranking as in RecBole's ItemKNN):
 *     score(u, i) = sum over j in I_u ∩ N_k(i) of s(i, j)
 */
import { ScoreFnRanker, type TopKRanker } from '../eval/ranking.js';
import type { Csr } from '../data/types.js';
import type { HyperDeclarations } from './hyperparameters.js';
import type { Hyperparameters, ModelContext, Recommender } from './types.js';

export const ITEMKNN_DEFAULTS = {
  /** neighbours kept per item */
  k: 100,
  shrink: 0,
} satisfies Hyperparameters;

export const ITEMKNN_HYPER = {
  k: {
    type: 'integer',
    min: 1,
    description: 'neighbours kept per item',
    source: "RecBole's ItemKNN: k 100",
  },
  shrink: {
    type: 'number',
    min: 0,
    description: "added to the cosine's denominator (0: plain cosine)",
    source: "paper Sec. 3.1.1 cosine; RecBole's ItemKNN: shrink 0",
  },
} as const satisfies HyperDeclarations<typeof ITEMKNN_DEFAULTS>;

export class ItemKnn implements Recommender {
  readonly name = 'itemknn';
  /** reverse neighbour lists: for item j, the items i whose top-k holds j, with s(i, j) */
  readonly reverse: Csr & { values: Float32Array };
  private readonly userItems: Csr;

  constructor(ctx: ModelContext, hyper: Partial<typeof ITEMKNN_DEFAULTS>) {
    const { k, shrink } = { ...ITEMKNN_DEFAULTS, ...hyper };
    this.userItems = ctx.trainCsr;
    const itemUsers = ctx.trainCsrT;
    const nItems = itemUsers.nRows;
    const deg = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) deg[i] = itemUsers.indptr[i + 1] - itemUsers.indptr[i];
    const co = new Float64Array(nItems);
    const touched: number[] = [];
    const nbr: { i: number; j: number; s: number }[] = [];
    for (let i = 0; i < nItems; i++) {
      touched.length = 0;
      for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) {
        const u = itemUsers.indices[p];
        for (let q = this.userItems.indptr[u]; q < this.userItems.indptr[u + 1]; q++) {
          const j = this.userItems.indices[q];
          if (j === i) continue;
          if (co[j] === 0) touched.push(j);
          co[j]++;
        }
      }
      const cands = touched.map((j) => ({
        j,
        s: co[j] / (Math.sqrt(deg[i]) * Math.sqrt(deg[j]) + shrink),
      }));
      for (const j of touched) co[j] = 0;
      cands.sort((a, b) => b.s - a.s || a.j - b.j);
      for (const c of cands.slice(0, k)) nbr.push({ i, j: c.j, s: c.s });
    }
    // Group by j so a user's items j each add s(i, j) to their reverse neighbours i.
    const indptr = new Int32Array(nItems + 1);
    for (const e of nbr) indptr[e.j + 1]++;
    for (let j = 0; j < nItems; j++) indptr[j + 1] += indptr[j];
    const fill = indptr.slice(0, nItems);
    const indices = new Int32Array(nbr.length);
    const values = new Float32Array(nbr.length);
    for (const e of nbr) {
      const p = fill[e.j]++;
      indices[p] = e.i;
      values[p] = e.s;
    }
    this.reverse = { nRows: nItems, nCols: nItems, indptr, indices, values };
  }

  score(users: Int32Array, out: Float32Array): void {
    const n = this.reverse.nRows;
    const { indptr, indices, values } = this.reverse;
    out.fill(0, 0, users.length * n);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      const base = r * n;
      for (let q = this.userItems.indptr[u]; q < this.userItems.indptr[u + 1]; q++) {
        const j = this.userItems.indices[q];
        for (let p = indptr[j]; p < indptr[j + 1]; p++) out[base + indices[p]] += values[p];
      }
    }
  }

  ranker(): TopKRanker {
    return new ScoreFnRanker((users, out) => this.score(users, out), this.reverse.nRows);
  }
}
