import type { Csr } from '../data/types.js';
import type { WeightedCsr } from './types.js';

/**
 * The transpose of a CSR matrix (values follow). A counting sort over rows in order, so each
 * output row lists its columns (the input's rows) ascending, whatever the input order.
 */
export function transposeCsr(m: WeightedCsr): WeightedCsr;
export function transposeCsr(m: Csr): Csr;
export function transposeCsr(m: Csr): Csr {
  const nnz = m.indptr[m.nRows];
  const indptr = new Int32Array(m.nCols + 1);
  for (let p = 0; p < nnz; p++) indptr[m.indices[p] + 1]++;
  for (let c = 0; c < m.nCols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, m.nCols);
  const indices = new Int32Array(nnz);
  const values = m.values ? new Float32Array(nnz) : undefined;
  for (let r = 0; r < m.nRows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const at = fill[m.indices[p]]++;
      indices[at] = r;
      if (values && m.values) values[at] = m.values[p];
    }
  }
  const base = { nRows: m.nCols, nCols: m.nRows, indptr, indices };
  return values ? { ...base, values } : base;
}
