/**
 * Preprocessing: pure functions from interactions with their id maps to new ones, ids made
 * dense again (users and items left without interactions are dropped and renumbered in order).
 */
import { InputError } from '../util/errors.js';
import { buildCsr } from './csr.js';
import { subIdMap } from './idmap.js';
import { pick, pickMask } from './select.js';
import type { Csr, Dataset, FeatureTable, IdMap, Interactions, KnowledgeGraph } from './types.js';

/** Interactions together with the id maps that name their users and items. */
export interface InteractionTable {
  readonly interactions: Interactions;
  readonly userIds: IdMap;
  readonly itemIds: IdMap;
}

export type PreprocessStep =
  /** keep interactions rated at least `min` and drop the ratings (implicit feedback) */
  | { readonly type: 'threshold'; readonly min: number }
  /** one interaction per (user, item): the latest (the last listed without timestamps) */
  | { readonly type: 'dedupe' }
  /** repeatedly drop users with fewer than `user` and items with fewer than `item` interactions */
  | { readonly type: 'kcore'; readonly user?: number; readonly item?: number }
  /** drop users/items with fewer interactions, once (not repeated like k-core) */
  | { readonly type: 'min'; readonly user?: number; readonly item?: number };

/** Old -> new ids after a filter: users/items without interactions go, the rest keep order. */
export interface Remap {
  /** kept old ids, in new-id order */
  readonly keptUsers: Int32Array;
  readonly keptItems: Int32Array;
}

/** Drops users and items with no interactions and renumbers the rest densely. */
export function densify(t: InteractionTable): InteractionTable & Remap {
  const x = t.interactions;
  const userNew = new Int32Array(x.nUsers).fill(-1);
  const itemNew = new Int32Array(x.nItems).fill(-1);
  for (let k = 0; k < x.users.length; k++) {
    userNew[x.users[k]] = 0;
    itemNew[x.items[k]] = 0;
  }
  const keep = (m: Int32Array): Int32Array => {
    const kept: number[] = [];
    for (let i = 0; i < m.length; i++) if (m[i] === 0) m[i] = kept.push(i) - 1;
    return Int32Array.from(kept);
  };
  const keptUsers = keep(userNew);
  const keptItems = keep(itemNew);
  const users = x.users.map((u) => userNew[u]);
  const items = x.items.map((i) => itemNew[i]);
  return {
    interactions: { ...x, nUsers: keptUsers.length, nItems: keptItems.length, users, items },
    userIds: subIdMap(t.userIds, keptUsers),
    itemIds: subIdMap(t.itemIds, keptItems),
    keptUsers,
    keptItems,
  };
}

function withInteractions(
  t: InteractionTable,
  interactions: Interactions,
): InteractionTable & Remap {
  return densify({ interactions, userIds: t.userIds, itemIds: t.itemIds });
}

/** Keeps interactions rated >= min, without the ratings: explicit feedback made implicit. */
export function thresholdRatings(t: InteractionTable, min: number): InteractionTable & Remap {
  const r = t.interactions.ratings;
  if (!r)
    throw new InputError(
      { file: 'preprocessing', text: `threshold ${min}` },
      'ratings to threshold (this dataset has none)',
    );
  const mask = new Uint8Array(r.length);
  for (let k = 0; k < r.length; k++) mask[k] = r[k] >= min ? 1 : 0;
  const kept = pickMask(t.interactions, mask);
  const implicit: Interactions = {
    nUsers: kept.nUsers,
    nItems: kept.nItems,
    users: kept.users,
    items: kept.items,
    ...(kept.timestamps ? { timestamps: kept.timestamps } : {}),
  };
  return withInteractions(t, implicit);
}

/** One interaction per (user, item): the one with the latest timestamp, else the last listed. */
export function dedupe(t: InteractionTable): InteractionTable & Remap {
  const x = t.interactions;
  const best = new Map<number, number>();
  const ts = x.timestamps;
  for (let k = 0; k < x.users.length; k++) {
    // user * nItems + item is exact below 2^53, far above any real dataset's size.
    const key = x.users[k] * x.nItems + x.items[k];
    const prev = best.get(key);
    if (prev === undefined || !ts || ts[k] >= ts[prev]) best.set(key, k);
  }
  const idx = Int32Array.from(best.values()).sort();
  return withInteractions(t, pick(x, idx));
}

function degreesOf(n: number, ids: Int32Array, mask: Uint8Array): Int32Array {
  const d = new Int32Array(n);
  for (let k = 0; k < ids.length; k++) if (mask[k]) d[ids[k]]++;
  return d;
}

/**
 * k-core: repeatedly drops interactions of users with fewer than `userK` and items with fewer
 * than `itemK` interactions until none is left to drop (dropping items can push users under
 * the bar, and the other way round).
 */
export function kCore(t: InteractionTable, userK = 0, itemK = 0): InteractionTable & Remap {
  const x = t.interactions;
  const mask = new Uint8Array(x.users.length).fill(1);
  for (let changed = true; changed;) {
    changed = false;
    const du = degreesOf(x.nUsers, x.users, mask);
    const di = degreesOf(x.nItems, x.items, mask);
    for (let k = 0; k < mask.length; k++) {
      if (mask[k] && (du[x.users[k]] < userK || di[x.items[k]] < itemK)) {
        mask[k] = 0;
        changed = true;
      }
    }
  }
  return withInteractions(t, pickMask(x, mask));
}

/** Drops users with fewer than `userMin` and items with fewer than `itemMin` interactions, once. */
export function minInteractions(
  t: InteractionTable,
  userMin = 0,
  itemMin = 0,
): InteractionTable & Remap {
  const x = t.interactions;
  const all = new Uint8Array(x.users.length).fill(1);
  const du = degreesOf(x.nUsers, x.users, all);
  const di = degreesOf(x.nItems, x.items, all);
  const mask = all.map((_, k) => (du[x.users[k]] >= userMin && di[x.items[k]] >= itemMin ? 1 : 0));
  return withInteractions(t, pickMask(x, mask));
}

export function applyStep(t: InteractionTable, step: PreprocessStep): InteractionTable & Remap {
  switch (step.type) {
    case 'threshold':
      return thresholdRatings(t, step.min);
    case 'dedupe':
      return dedupe(t);
    case 'kcore':
      return kCore(t, step.user ?? 0, step.item ?? 0);
    case 'min':
      return minInteractions(t, step.user ?? 0, step.item ?? 0);
  }
}

function remapFeatures(
  f: FeatureTable | undefined,
  kept: ArrayLike<number>,
): FeatureTable | undefined {
  if (!f) return undefined;
  const values: Record<string, readonly string[]> = {};
  for (const c of f.columns) values[c] = Array.from(kept, (i) => f.values[c][i]);
  return { columns: f.columns, values };
}

function remapKg(
  kg: KnowledgeGraph | undefined,
  keptItems: ArrayLike<number>,
): KnowledgeGraph | undefined {
  if (!kg) return undefined;
  return { ...kg, itemEntity: Int32Array.from(keptItems, (i) => kg.itemEntity[i]) };
}

/** The user-user relation restricted to the kept users, renumbered as they are. */
function remapSocial(social: Csr | undefined, keptUsers: Int32Array): Csr | undefined {
  if (!social) return undefined;
  const newId = new Int32Array(social.nRows).fill(-1);
  keptUsers.forEach((u, k) => (newId[u] = k));
  const rows: number[] = [];
  const cols: number[] = [];
  keptUsers.forEach((u, k) => {
    for (let p = social.indptr[u]; p < social.indptr[u + 1]; p++) {
      const v = newId[social.indices[p]];
      if (v >= 0) {
        rows.push(k);
        cols.push(v);
      }
    }
  });
  const n = keptUsers.length;
  return buildCsr(n, n, Int32Array.from(rows), Int32Array.from(cols));
}

/**
 * Applies steps to a dataset's interactions, carrying feature tables, the user-user relation
 * and the KG's item links
 * over to the new ids. A given train/test split is not carried: filtering its parts
 * separately would change what the files meant, so it is dropped with a note.
 */
export function preprocessDataset(dataset: Dataset, steps: readonly PreprocessStep[]): Dataset {
  if (steps.length === 0) return dataset;
  const n = dataset.interactions.nUsers;
  const m = dataset.interactions.nItems;
  let keptUsers: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
  let keptItems: Int32Array = Int32Array.from({ length: m }, (_, i) => i);
  let t: InteractionTable = dataset;
  for (const step of steps) {
    const r = applyStep(t, step);
    const prevUsers = keptUsers;
    const prevItems = keptItems;
    keptUsers = r.keptUsers.map((u) => prevUsers[u]);
    keptItems = r.keptItems.map((i) => prevItems[i]);
    t = { interactions: r.interactions, userIds: r.userIds, itemIds: r.itemIds };
  }
  const { given, itemFeatures, userFeatures, kg, social, ...rest } = dataset;
  const notes = [...(dataset.notes ?? [])];
  if (given)
    notes.push('the given train/test split was dropped by preprocessing: split the result instead');
  const uf = remapFeatures(userFeatures, keptUsers);
  const itf = remapFeatures(itemFeatures, keptItems);
  const g = remapKg(kg, keptItems);
  const soc = remapSocial(social, keptUsers);
  return {
    ...rest,
    interactions: t.interactions,
    userIds: t.userIds,
    itemIds: t.itemIds,
    ...(uf ? { userFeatures: uf } : {}),
    ...(itf ? { itemFeatures: itf } : {}),
    ...(g ? { kg: g } : {}),
    ...(soc ? { social: soc } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
