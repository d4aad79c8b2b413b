/** Float64 dense references for the graph tests: the matrices written out and solved directly. */
import type { Csr } from '../../../src/data/types.js';
import { buildCsr } from '../../../src/data/csr.js';

/** An undirected unweighted graph on n nodes from its edge list, rows sorted. */
export function undirected(n: number, edges: readonly (readonly [number, number])[]): Csr {
  const rows: number[] = [];
  const cols: number[] = [];
  for (const [a, b] of edges) {
    rows.push(a, b);
    cols.push(b, a);
  }
  const g = buildCsr(n, n, Int32Array.from(rows), Int32Array.from(cols));
  for (let v = 0; v < n; v++) g.indices.subarray(g.indptr[v], g.indptr[v + 1]).sort();
  return g;
}

/** A directed graph: row a lists b for each edge [a, b]. */
export function directed(n: number, edges: readonly (readonly [number, number])[]): Csr {
  const g = buildCsr(
    n,
    n,
    Int32Array.from(edges.map((e) => e[0])),
    Int32Array.from(edges.map((e) => e[1])),
  );
  for (let v = 0; v < n; v++) g.indices.subarray(g.indptr[v], g.indptr[v + 1]).sort();
  return g;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is n x n, row-major). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/**
 * The random walk with restart written out: x = alpha s + (1 - alpha) P'^T x with P' = D^-1 A and
 * the rows of dangling nodes replaced by s, solved as (I - (1 - alpha) P'^T) x = alpha s.
 */
export function denseRwr(g: Csr, s: readonly number[], alpha: number): number[] {
  const n = g.nRows;
  const a = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let v = 0; v < n; v++) {
    const d = g.indptr[v + 1] - g.indptr[v];
    // column v of P'^T is row v of P'
    if (d === 0) for (let t = 0; t < n; t++) a[t][v] -= (1 - alpha) * s[t];
    for (let p = g.indptr[v]; p < g.indptr[v + 1]; p++) a[g.indices[p]][v] -= (1 - alpha) / d;
  }
  return solve(
    a,
    s.map((x) => alpha * x),
  );
}
