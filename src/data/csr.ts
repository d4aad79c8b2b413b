import type { Csr, Interactions } from './types.js';

/**
 * Builds CSR from parallel row/column arrays by counting sort; within a row, entries keep
 * their input order. Duplicates are kept (de-duplicate first where that matters).
 */
export function buildCsr(
  nRows: number,
  nCols: number,
  rows: Int32Array,
  cols: Int32Array,
  values?: Float32Array,
): Csr {
  const nnz = rows.length;
  const indptr = new Int32Array(nRows + 1);
  for (let k = 0; k < nnz; k++) indptr[rows[k] + 1]++;
  for (let r = 0; r < nRows; r++) indptr[r + 1] += indptr[r];
  const fill = indptr.slice(0, nRows);
  const indices = new Int32Array(nnz);
  const out = values ? new Float32Array(nnz) : undefined;
  for (let k = 0; k < nnz; k++) {
    const p = fill[rows[k]]++;
    indices[p] = cols[k];
    if (out && values) out[p] = values[k];
  }
  return out ? { nRows, nCols, indptr, indices, values: out } : { nRows, nCols, indptr, indices };
}

/** User -> items CSR of a set of interactions. */
export function userItemCsr(x: Interactions): Csr {
  return buildCsr(x.nUsers, x.nItems, x.users, x.items);
}

/** Item -> users CSR of a set of interactions. */
export function itemUserCsr(x: Interactions): Csr {
  return buildCsr(x.nItems, x.nUsers, x.items, x.users);
}

/** Number of entries in each row. */
/** Occurrences of each id in [0, n) among `ids`: the degrees of users or items of interactions. */
export function idCounts(n: number, ids: Int32Array): Int32Array {
  const d = new Int32Array(n);
  for (let k = 0; k < ids.length; k++) d[ids[k]]++;
  return d;
}

export function rowDegrees(m: Csr): Int32Array {
  const d = new Int32Array(m.nRows);
  for (let r = 0; r < m.nRows; r++) d[r] = m.indptr[r + 1] - m.indptr[r];
  return d;
}

/** Sorts each row's indices ascending in place (values follow). */
export function sortRows(m: Csr): Csr {
  for (let r = 0; r < m.nRows; r++) {
    const s = m.indptr[r];
    const e = m.indptr[r + 1];
    if (!m.values) {
      m.indices.subarray(s, e).sort();
      continue;
    }
    const order = Array.from({ length: e - s }, (_, i) => s + i).sort(
      (a, b) => m.indices[a] - m.indices[b],
    );
    const idx = order.map((p) => m.indices[p]);
    const val = order.map((p) => (m.values as Float32Array)[p]);
    m.indices.set(idx, s);
    m.values.set(val, s);
  }
  return m;
}
