import type { IdMap } from './types.js';

/**
 * Assigns dense internal ids to original ids in order of first appearance, so a loader can
 * intern ids as it streams and the result is deterministic for a given file.
 */
export class IdMapBuilder {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  /**
   * Canonical decimal ids ("0", "42", not "042") also keyed by their value: most datasets use
   * integer ids, and a Map lookup by small integer is several times faster than by a fresh
   * string (which must be hashed each time), the loaders' hottest path.
   */
  private readonly byNumber = new Map<number, number>();

  /** Starts from an existing map (e.g. the train file's) so later files share its ids. */
  static from(map: IdMap): IdMapBuilder {
    const b = new IdMapBuilder();
    for (const id of map.ids) b.intern(id);
    return b;
  }

  get size(): number {
    return this.ids.length;
  }

  /** The internal id of `id`, adding it when new. */
  intern(id: string): number {
    const v = decimalValue(id);
    let k = v >= 0 ? this.byNumber.get(v) : this.index.get(id);
    if (k === undefined) {
      k = this.ids.length;
      this.ids.push(id);
      this.index.set(id, k);
      if (v >= 0) this.byNumber.set(v, k);
    }
    return k;
  }

  /** The internal id of `id`, or -1 when it was never interned. */
  lookup(id: string): number {
    const v = decimalValue(id);
    return (v >= 0 ? this.byNumber.get(v) : this.index.get(id)) ?? -1;
  }

  build(): IdMap {
    return { ids: this.ids.slice(), index: new Map(this.index) };
  }
}

/** The value of a canonical decimal id of at most 9 digits, else -1. */
function decimalValue(id: string): number {
  const n = id.length;
  if (n === 0 || n > 9 || (n > 1 && id.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** The identity map 0..n-1 for formats whose ids are already dense integers. */
export function denseIdMap(n: number): IdMap {
  const ids = new Array<string>(n);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    ids[i] = String(i);
    index.set(ids[i], i);
  }
  return { ids, index };
}

/** An IdMap over the given original ids, in that order. */
export function idMapOf(ids: readonly string[]): IdMap {
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  return { ids: ids.slice(), index };
}

/** The sub-map of `map` keeping the internal ids in `keep` (old ids, in new-id order). */
export function subIdMap(map: IdMap, keep: ArrayLike<number>): IdMap {
  const ids = new Array<string>(keep.length);
  for (let i = 0; i < keep.length; i++) ids[i] = map.ids[keep[i]];
  return idMapOf(ids);
}

/** Dense ids for non-negative integer ids, from rankIntIds. */
export interface IntIdRanks {
  readonly idMap: IdMap;
  /** the inputs with each id replaced by its rank (the inputs themselves when `dense`) */
  readonly ranked: Int32Array[];
  /** whether the ids were already 0..n-1, so each id is its own rank */
  readonly dense: boolean;
  /** the largest id, -1 when there is none */
  readonly maxId: number;
}

/**
 * Internal id = rank of the id among the distinct ids of `arrays`, so ids that are already
 * 0..n-1 keep their value (and a reference implementation's row numbers). The cost follows
 * the number of values, not the largest id: a lookup table when the ids are about as many as
 * their range, else a sort.
 */
export function rankIntIds(arrays: readonly Int32Array[]): IntIdRanks {
  let total = 0;
  let maxId = -1;
  for (const a of arrays) {
    total += a.length;
    for (let k = 0; k < a.length; k++) if (a[k] > maxId) maxId = a[k];
  }
  if (maxId < 0) return { idMap: denseIdMap(0), ranked: arrays.slice(), dense: true, maxId };
  if (maxId < 4 * total + 65536) {
    const rank = new Int32Array(maxId + 1).fill(-1);
    for (const a of arrays) for (let k = 0; k < a.length; k++) rank[a[k]] = 0;
    const ids: string[] = [];
    for (let v = 0; v <= maxId; v++) if (rank[v] === 0) rank[v] = ids.push(String(v)) - 1;
    if (ids.length === maxId + 1) {
      return { idMap: denseIdMap(ids.length), ranked: arrays.slice(), dense: true, maxId };
    }
    return {
      idMap: idMapOf(ids),
      ranked: arrays.map((a) => a.map((v) => rank[v])),
      dense: false,
      maxId,
    };
  }
  const all = new Int32Array(total);
  let at = 0;
  for (const a of arrays) {
    all.set(a, at);
    at += a.length;
  }
  all.sort();
  let n = 0;
  for (let k = 0; k < all.length; k++) if (k === 0 || all[k] !== all[n - 1]) all[n++] = all[k];
  const distinct = all.subarray(0, n);
  const rankOf = (v: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    idMap: idMapOf(Array.from(distinct, String)),
    ranked: arrays.map((a) => a.map(rankOf)),
    dense: false,
    maxId,
  };
}
