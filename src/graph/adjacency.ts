/**
 * The LightGCN normalised adjacency (He et al., 2020, eq. 7): Ã = D^-1/2 A D^-1/2 over the
 * bipartite user-item graph, as the official code builds it from the training interactions;
 * and LightGCN++'s Ã = D^-alpha A D^-beta (Lee, Kim & Shin, RecSys 2024: the edge from
 * item i into user u weighs 1 / (|N_u|^alpha |N_i|^beta), the same rule for every node), as its
 * authors' code builds it (dataloader.getSparseGraph: d_mat_left . adj . d_mat_right).
 */
import type { Csr, Interactions } from '../data/types.js';
import { buildCsr } from '../data/csr.js';
import type { NormalizedAdjacency, WeightedCsr } from './types.js';

/** Exponents of the receiving (alpha) and the sending (beta) node's degree. */
export interface DegreeExponents {
  readonly alpha: number;
  readonly beta: number;
}

/** LightGCN's D^-1/2 A D^-1/2. */
export const SYMMETRIC_HALF: DegreeExponents = { alpha: 0.5, beta: 0.5 };

export interface AdjacencyOptions {
  /** degree exponents (LightGCN++); default LightGCN's 1/2, 1/2 */
  readonly exponents?: DegreeExponents;
  /**
   * user-user edges added to A before normalisation (a symmetric nUsers x nUsers CSR, e.g.
   * friendships): the joint graph of social recommenders built on LightGCN (DiffNet++, SocialLGN
   * and others propagate over R and S together). Degrees then count friends and items alike.
   */
  readonly social?: Csr;
}

/**
 * Builds Ã from the training interactions (a user -> items CSR, or the interactions
 * themselves); with other exponents than 1/2, entry (r, c) is deg(r)^-alpha deg(c)^-beta, not
 * symmetric unless alpha = beta. Repeated (user, item) pairs count once: the graph is binary, as in the paper.
 * Node ids: users 0 .. nUsers-1, then item i at nUsers + i. Entry (u, i) and (i, u) weigh
 * 1 / sqrt(deg(u) deg(i)), computed in float64 and rounded once to float32. A user or item with
 * no interaction gets an empty row (its propagated embedding is 0), never a division by zero.
 * With `options.social`, user rows also hold their friends (u, v) weighted the same way, before
 * their items; a repeated friendship counts once, a self-loop not at all.
 */
export function normalizedAdjacency(
  train: Csr | Interactions,
  options: AdjacencyOptions = {},
): NormalizedAdjacency {
  const ui =
    'indptr' in train ? train : buildCsr(train.nUsers, train.nItems, train.users, train.items);
  const nUsers = ui.nRows;
  const nItems = ui.nCols;
  const items = uniqueSortedRows(ui);
  const friends = options.social ? socialRows(options.social, nUsers) : undefined;
  const userDeg = new Int32Array(nUsers);
  const itemDeg = new Int32Array(nItems);
  for (let u = 0; u < nUsers; u++) {
    userDeg[u] = items.indptr[u + 1] - items.indptr[u];
    if (friends) userDeg[u] += friends.indptr[u + 1] - friends.indptr[u];
    for (let p = items.indptr[u]; p < items.indptr[u + 1]; p++) itemDeg[items.indices[p]]++;
  }
  const edges = items.indptr[nUsers];
  const socialEntries = friends ? friends.indptr[nUsers] : 0;
  const nNodes = nUsers + nItems;
  const indptr = new Int32Array(nNodes + 1);
  for (let u = 0; u < nUsers; u++) indptr[u + 1] = userDeg[u];
  for (let i = 0; i < nItems; i++) indptr[nUsers + i + 1] = itemDeg[i];
  for (let r = 0; r < nNodes; r++) indptr[r + 1] += indptr[r];
  const indices = new Int32Array(2 * edges + socialEntries);
  const values = new Float32Array(2 * edges + socialEntries);
  const fill = indptr.slice(nUsers, nNodes); // next free slot of each item row
  const { alpha, beta } = options.exponents ?? SYMMETRIC_HALF;
  // 1/sqrt(du di) for LightGCN itself: the bits its reproduction numbers were measured with
  const half = alpha === 0.5 && beta === 0.5;
  for (let u = 0; u < nUsers; u++) {
    let at = indptr[u];
    // friends (columns < nUsers) come first, so the row stays ascending
    if (friends) {
      for (let p = friends.indptr[u]; p < friends.indptr[u + 1]; p++, at++) {
        const v = friends.indices[p];
        indices[at] = v;
        values[at] = half
          ? 1 / Math.sqrt(userDeg[u] * userDeg[v])
          : Math.pow(userDeg[u], -alpha) * Math.pow(userDeg[v], -beta);
      }
    }
    for (let p = items.indptr[u]; p < items.indptr[u + 1]; p++, at++) {
      const i = items.indices[p];
      const du = userDeg[u];
      const di = itemDeg[i];
      const intoUser = half ? 1 / Math.sqrt(du * di) : Math.pow(du, -alpha) * Math.pow(di, -beta);
      indices[at] = nUsers + i;
      values[at] = intoUser;
      // users are visited in increasing id, so item rows come out sorted too
      const back = fill[i]++;
      indices[back] = u;
      values[back] = half ? intoUser : Math.pow(di, -alpha) * Math.pow(du, -beta);
    }
  }
  return {
    nRows: nNodes,
    nCols: nNodes,
    indptr,
    indices,
    values,
    nUsers,
    nItems,
    symmetric: alpha === beta,
  };
}

/** The social CSR's rows sorted, repeats and self-loops dropped; it must be symmetric. */
function socialRows(social: Csr, nUsers: number): Csr {
  if (social.nRows !== nUsers || social.nCols !== nUsers)
    throw new RangeError(
      `social edges must be ${nUsers} x ${nUsers} (the users), got ${social.nRows} x ${social.nCols}`,
    );
  const rows = uniqueSortedRows(social);
  const indptr = new Int32Array(nUsers + 1);
  const indices = new Int32Array(rows.indices.length);
  let n = 0;
  for (let u = 0; u < nUsers; u++) {
    for (let p = rows.indptr[u]; p < rows.indptr[u + 1]; p++) {
      const v = rows.indices[p];
      if (v === u) continue;
      if (!hasEntry(rows, v, u))
        throw new RangeError(`social edges must be symmetric: (${u}, ${v}) without (${v}, ${u})`);
      indices[n++] = v;
    }
    indptr[u + 1] = n;
  }
  return { nRows: nUsers, nCols: nUsers, indptr, indices: indices.subarray(0, n) };
}

/** Whether sorted row r holds column c (binary search). */
function hasEntry(m: Csr, r: number, c: number): boolean {
  let lo = m.indptr[r];
  let hi = m.indptr[r + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.indices[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  return lo < m.indptr[r + 1] && m.indices[lo] === c;
}

/** Each row's column ids sorted ascending with repeats dropped (values are ignored). */
export function uniqueSortedRows(m: Csr): Csr {
  const indptr = new Int32Array(m.nRows + 1);
  const indices = new Int32Array(m.indptr[m.nRows] - m.indptr[0]);
  let n = 0;
  for (let r = 0; r < m.nRows; r++) {
    const row = m.indices.slice(m.indptr[r], m.indptr[r + 1]).sort();
    for (let p = 0; p < row.length; p++) {
      const c = row[p];
      if (c < 0 || c >= m.nCols)
        throw new RangeError(`row ${r} has column ${c} outside [0, ${m.nCols})`);
      if (p === 0 || c !== row[p - 1]) indices[n++] = c;
    }
    indptr[r + 1] = n;
  }
  return { nRows: m.nRows, nCols: m.nCols, indptr, indices: indices.subarray(0, n) };
}

/**
 * D^-1 (A + I) over the same bipartite graph: each node's row averages its neighbours and
 * itself, every entry of row r weighing 1 / (deg(r) + 1) (float64, rounded once to float32).
 * The NGCF authors' code propagates with it ("norm" adjacency, normalized_adj_single(adj + I)):
 * not symmetric, so its backward product needs its transpose.
 */
export function meanAdjacencyWithSelfLoops(train: Csr | Interactions): WeightedCsr {
  const a = normalizedAdjacency(train);
  const n = a.nRows;
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(a.indptr[n] + n);
  const values = new Float32Array(a.indptr[n] + n);
  let at = 0;
  for (let r = 0; r < n; r++) {
    const w = 1 / (a.indptr[r + 1] - a.indptr[r] + 1);
    let self = false;
    for (let p = a.indptr[r]; p <= a.indptr[r + 1]; p++) {
      // the diagonal goes in column order, before the first larger column
      if (!self && (p === a.indptr[r + 1] || a.indices[p] > r)) {
        indices[at] = r;
        values[at++] = w;
        self = true;
      }
      if (p < a.indptr[r + 1]) {
        indices[at] = a.indices[p];
        values[at++] = w;
      }
    }
    indptr[r + 1] = at;
  }
  return { nRows: n, nCols: n, indptr, indices, values };
}

/**
 * GCN's renormalised adjacency D̃^-1/2 (A + I) D̃^-1/2 (Kipf & Welling 2017, eq. 2 and the
 * renormalisation trick of section 2.1), D̃ counting each node's self-loop: entry (r, c) is
 * 1 / sqrt((deg(r) + 1) (deg(c) + 1)), float64 rounded once to float32. Symmetric.
 */
export function gcnAdjacency(
  train: Csr | Interactions,
): WeightedCsr & { readonly symmetric: true } {
  const a = meanAdjacencyWithSelfLoops(train);
  const n = a.nRows;
  const deg = new Float64Array(n);
  for (let r = 0; r < n; r++) deg[r] = a.indptr[r + 1] - a.indptr[r];
  const values = new Float32Array(a.values.length);
  for (let r = 0; r < n; r++)
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++)
      values[p] = 1 / Math.sqrt(deg[r] * deg[a.indices[p]]);
  return { ...a, values, symmetric: true };
}
