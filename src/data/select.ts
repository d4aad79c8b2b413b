/**
 * Small building blocks over Interactions: picking entries by index, and grouping entry
 * indices by user, shared by the splits and the preprocessing.
 */
import type { Interactions } from './types.js';

/** The entries at `idx` (in that order), on the same id space. */
export function pick(x: Interactions, idx: Int32Array): Interactions {
  const users = new Int32Array(idx.length);
  const items = new Int32Array(idx.length);
  const ratings = x.ratings ? new Float32Array(idx.length) : undefined;
  const timestamps = x.timestamps ? new Float64Array(idx.length) : undefined;
  for (let p = 0; p < idx.length; p++) {
    const k = idx[p];
    users[p] = x.users[k];
    items[p] = x.items[k];
    if (ratings && x.ratings) ratings[p] = x.ratings[k];
    if (timestamps && x.timestamps) timestamps[p] = x.timestamps[k];
  }
  return {
    nUsers: x.nUsers,
    nItems: x.nItems,
    users,
    items,
    ...(ratings ? { ratings } : {}),
    ...(timestamps ? { timestamps } : {}),
  };
}

/** The entries whose mask byte is set, in input order. */
export function pickMask(x: Interactions, mask: Uint8Array): Interactions {
  let n = 0;
  for (let k = 0; k < mask.length; k++) n += mask[k];
  const idx = new Int32Array(n);
  for (let k = 0, p = 0; k < mask.length; k++) if (mask[k]) idx[p++] = k;
  return pick(x, idx);
}

/** Entry indices grouped by user: user u's entries are order[indptr[u] .. indptr[u+1]). */
export interface ByUser {
  readonly indptr: Int32Array;
  readonly order: Int32Array;
}

/** Groups entry indices by user, keeping input order within a user (counting sort). */
export function groupByUser(x: Interactions): ByUser {
  const indptr = new Int32Array(x.nUsers + 1);
  for (let k = 0; k < x.users.length; k++) indptr[x.users[k] + 1]++;
  for (let u = 0; u < x.nUsers; u++) indptr[u + 1] += indptr[u];
  const fill = indptr.slice(0, x.nUsers);
  const order = new Int32Array(x.users.length);
  for (let k = 0; k < x.users.length; k++) order[fill[x.users[k]]++] = k;
  return { indptr, order };
}

/** Sorts entry indices by timestamp, ties by index (stable and deterministic). */
export function sortByTime(idx: Int32Array, timestamps: Float64Array): Int32Array {
  return idx.sort((a, b) => timestamps[a] - timestamps[b] || a - b);
}
