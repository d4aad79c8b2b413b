/**
 * The symmetrically normalised rating matrix of the graph filters (GF-CF, BSPM):
 * R~ = D_U^-1/2 R D_I^-1/2, R the binary users x items matrix of the training interactions
 * (repeated interactions counted once), D_U and D_I its row and column sums. Users or items
 * without interactions get a zero row or column.
 */
import type { Csr } from '../data/types.js';
import type { WeightedCsr } from './types.js';

export interface NormalizedRatings {
  /** R~, users x items, each row's columns ascending */
  readonly matrix: WeightedCsr;
  /** the binary R with the same layout (for the users' histories r_u) */
  readonly binary: Csr;
  /** d_i^-1/2 per item (0 for an item no one has) */
  readonly itemInvSqrt: Float64Array;
  /** d_i^1/2 per item */
  readonly itemSqrt: Float64Array;
}

export function normalizedRatings(train: Csr): NormalizedRatings {
  const { nRows, nCols } = train;
  // distinct items per user, ascending
  const seen = new Int32Array(nCols).fill(-1);
  const indptr = new Int32Array(nRows + 1);
  const picked: number[] = [];
  for (let u = 0; u < nRows; u++) {
    const start = picked.length;
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
      const i = train.indices[p];
      if (seen[i] !== u) {
        seen[i] = u;
        picked.push(i);
      }
    }
    const row = picked.slice(start).sort((a, b) => a - b);
    for (let q = 0; q < row.length; q++) picked[start + q] = row[q];
    indptr[u + 1] = picked.length;
  }
  const indices = Int32Array.from(picked);
  const itemDeg = new Float64Array(nCols);
  for (const i of indices) itemDeg[i]++;
  const itemInvSqrt = itemDeg.map((d) => (d > 0 ? 1 / Math.sqrt(d) : 0));
  const itemSqrt = itemDeg.map((d) => Math.sqrt(d));
  const values = new Float32Array(indices.length);
  for (let u = 0; u < nRows; u++) {
    const du = indptr[u + 1] - indptr[u];
    const s = du > 0 ? 1 / Math.sqrt(du) : 0;
    for (let p = indptr[u]; p < indptr[u + 1]; p++) values[p] = s * itemInvSqrt[indices[p]];
  }
  return {
    matrix: { nRows, nCols, indptr, indices, values },
    binary: { nRows, nCols, indptr, indices },
    itemInvSqrt,
    itemSqrt,
  };
}
