/**
 * Repeated (user, item) pairs: which rows repeat a pair, keeping the earliest occurrence of
 * each (smallest timestamp, ties and files without timestamps by file order), so that a
 * temporal split puts a pair where it first happened. Linear time: rows are grouped by user
 * with a counting sort and items are marked per user, no hashing of pairs.
 */
import type { Interactions } from './types.js';

export interface PairOccurrences {
  /** 1 for the kept (earliest) row of each pair, 0 for the rows that repeat it */
  readonly first: Uint8Array;
  /** rows that repeat a pair seen earlier */
  readonly repeats: number;
}

/** Marks the earliest row of each (user, item) pair. */
export function firstOccurrences(x: Interactions): PairOccurrences {
  const n = x.users.length;
  const first = new Uint8Array(n);
  const indptr = new Int32Array(x.nUsers + 1);
  for (let k = 0; k < n; k++) indptr[x.users[k] + 1]++;
  for (let u = 0; u < x.nUsers; u++) indptr[u + 1] += indptr[u];
  const fill = indptr.slice(0, x.nUsers);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[fill[x.users[k]]++] = k;
  // owner[i] = user whose row currently holds item i's best row best[i]; stale entries of
  // other users are simply overwritten, so the arrays are filled once.
  const owner = new Int32Array(x.nItems).fill(-1);
  const best = new Int32Array(x.nItems);
  const ts = x.timestamps;
  let repeats = 0;
  for (let u = 0; u < x.nUsers; u++) {
    const end = indptr[u + 1];
    for (let p = indptr[u]; p < end; p++) {
      const k = order[p];
      const i = x.items[k];
      if (owner[i] !== u) {
        owner[i] = u;
        best[i] = k;
      } else {
        repeats++;
        if (ts && ts[k] < ts[best[i]]) best[i] = k;
      }
    }
    for (let p = indptr[u]; p < end; p++) {
      const k = order[p];
      if (best[x.items[k]] === k) first[k] = 1;
    }
  }
  return { first, repeats };
}

/** Rows that repeat a (user, item) pair seen earlier. */
export function countRepeats(x: Interactions): number {
  return firstOccurrences(x).repeats;
}
