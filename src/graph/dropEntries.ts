/**
 * Node dropout as NGCF's authors apply it (tf.sparse_retain over the non-zeros of the Laplacian,
 * NGCF.py _dropout_sparse): each entry of a sparse matrix kept with probability 1 - rate and
 * scaled by 1 / (1 - rate), else dropped. The result is no longer symmetric.
 */
import type { WeightedCsr } from './types.js';

/** A source of uniform 32-bit integers (the engine's seeded Rng). */
export interface U32Source {
  nextU32(): number;
}

export function dropEntries(m: WeightedCsr, rate: number, rng: U32Source): WeightedCsr {
  const keep = 1 - rate;
  const below = Math.floor(keep * 4294967296);
  const nnz = m.indptr[m.nRows];
  const indptr = new Int32Array(m.nRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let n = 0;
  for (let r = 0; r < m.nRows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      if (rng.nextU32() < below) {
        indices[n] = m.indices[p];
        values[n++] = m.values[p] / keep;
      }
    }
    indptr[r + 1] = n;
  }
  return {
    nRows: m.nRows,
    nCols: m.nCols,
    indptr,
    indices: indices.subarray(0, n),
    values: values.subarray(0, n),
  };
}
