/**
 * Puts loaded parts together into a Dataset: shared id space, all interactions as the
 * concatenation of the parts, and the parts as the `given` split when there is a test part.
 *
 * What loading changes, the same for every loader. Each change is counted in the Dataset's
 * `notes`, which describe() carries and `reclab inspect` prints:
 *
 * - Repeated (user, item) rows of implicit feedback (a file without ratings) are left out, the
 *   earliest of each pair kept (smallest timestamp, else first in the file): a pair is one
 *   interaction for training, metrics and density, and a temporal split puts it where it first
 *   happened. `keepDuplicates: true` keeps them. Rows with ratings are kept (a re-rating is
 *   information; the preprocessing step `dedupe` keeps the latest) and counted. Repeats are
 *   looked for within each file: a pair in both train and test stays in both.
 * - Test and validation rows of users without training interactions are left out and counted:
 *   no model can rank for a user it never saw, and such rows would only lower every metric.
 * - Test and validation rows of items without training interactions are kept, with their items
 *   in the catalogue, only where the format's reference code keeps them: LightGCN/NGCF (its
 *   n_items is the largest item id + 1 over train and test) and RecBole (its benchmark files
 *   are remapped together). Elsewhere (CSV, MovieLens) they are left out. Either way they are
 *   counted; `unseenItems: 'keep' | 'drop'` overrides the format's choice.
 * - Ids used only by rows left out are removed; the other ids keep their order.
 */
import { concatFloat32, concatFloat64, concatInt32 } from './buffers.js';
import { firstOccurrences } from './duplicates.js';
import { subIdMap } from './idmap.js';
import { pickMask } from './select.js';
import type { Dataset, IdMap, Interactions, KnowledgeGraph, Split } from './types.js';

/** Interactions as loaded, before the id space is known (nUsers/nItems come later). */
export interface RawInteractions {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings?: Float32Array;
  readonly timestamps?: Float64Array;
}

/** Test/valid items without training interactions: kept in the catalogue, or rows left out. */
export type UnseenItemPolicy = 'keep' | 'drop';

/** What a user can change about the load policy above. */
export interface LoadPolicy {
  /** keep repeated (user, item) rows of implicit feedback (default: the earliest is kept) */
  readonly keepDuplicates?: boolean;
  /** overrides the format's choice for test/valid items without training interactions */
  readonly unseenItems?: UnseenItemPolicy;
}

export function withSize(raw: RawInteractions, nUsers: number, nItems: number): Interactions {
  const x: { -readonly [K in keyof Interactions]: Interactions[K] } = {
    nUsers,
    nItems,
    users: raw.users,
    items: raw.items,
  };
  if (raw.ratings) x.ratings = raw.ratings;
  if (raw.timestamps) x.timestamps = raw.timestamps;
  return x;
}

/** Concatenation of interaction sets; ratings/timestamps kept only when every part has them. */
export function concatInteractions(
  parts: readonly RawInteractions[],
  nUsers: number,
  nItems: number,
): Interactions {
  if (parts.length === 1) return withSize(parts[0], nUsers, nItems);
  const ratings = parts.every((p) => p.ratings)
    ? concatFloat32(parts.map((p) => p.ratings as Float32Array))
    : undefined;
  const timestamps = parts.every((p) => p.timestamps)
    ? concatFloat64(parts.map((p) => p.timestamps as Float64Array))
    : undefined;
  return withSize(
    {
      users: concatInt32(parts.map((p) => p.users)),
      items: concatInt32(parts.map((p) => p.items)),
      ...(ratings ? { ratings } : {}),
      ...(timestamps ? { timestamps } : {}),
    },
    nUsers,
    nItems,
  );
}

type PartName = 'train' | 'valid' | 'test';

export interface DatasetParts extends LoadPolicy {
  readonly name: string;
  readonly sources: readonly string[];
  readonly userIds: IdMap;
  readonly itemIds: IdMap;
  readonly train: RawInteractions;
  readonly test?: RawInteractions;
  readonly valid?: RawInteractions;
  /** the file each part came from, for the notes (default: the part's name) */
  readonly files?: Readonly<Partial<Record<PartName, string>>>;
  /** the format whose reference code keeps unseen test items (e.g. 'LightGCN'); unset: dropped */
  readonly unseenItemsKeptBy?: string;
  readonly kg?: KnowledgeGraph;
  readonly notes?: readonly string[];
}

const count = (n: number): string => n.toLocaleString('en-US');
/** `1 row`, `2 rows`, `1,024 rows`. */
const many = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** Applies the load policy (see the top of this file) and builds the Dataset. */
export function assembleDataset(p: DatasetParts): Dataset {
  let nUsers = p.userIds.ids.length;
  let nItems = p.itemIds.ids.length;
  const notes = [...(p.notes ?? [])];
  const label = (part: PartName): string => p.files?.[part] ?? `the ${part} part`;
  const dedupe = (raw: RawInteractions, part: PartName): Interactions => {
    const x = withSize(raw, nUsers, nItems);
    const { first, repeats } = firstOccurrences(x);
    if (repeats === 0) return x;
    const rows = `${label(part)}: ${many(repeats, 'row')} ${repeats === 1 ? 'repeats' : 'repeat'} a (user, item) pair`;
    if (x.ratings) {
      notes.push(
        `${rows}; kept, as they carry ratings (preprocessing step dedupe keeps the latest)`,
      );
      return x;
    }
    if (p.keepDuplicates) {
      notes.push(`${rows}; kept (keepDuplicates)`);
      return x;
    }
    notes.push(`${rows}; left out, the earliest of each pair kept (--keep-duplicates keeps them)`);
    return pickMask(x, first);
  };
  let train = dedupe(p.train, 'train');
  let valid = p.valid ? dedupe(p.valid, 'valid') : undefined;
  let test = p.test ? dedupe(p.test, 'test') : undefined;
  let userIds = p.userIds;
  let itemIds = p.itemIds;
  let kg = p.kg;
  if (valid || test) {
    const heldOut = new HeldOutFilter(train, keepUnseenItems(p));
    if (valid) valid = heldOut.filter(valid, label('valid'), notes);
    if (test) test = heldOut.filter(test, label('test'), notes);
    const kept = [train, ...(valid ? [valid] : []), ...(test ? [test] : [])];
    const c = heldOut.compaction(kept);
    if (c) {
      train = c.apply(train);
      if (valid) valid = c.apply(valid);
      if (test) test = c.apply(test);
      userIds = subIdMap(userIds, c.keptUsers);
      itemIds = subIdMap(itemIds, c.keptItems);
      const g = kg;
      if (g) kg = { ...g, itemEntity: Int32Array.from(c.keptItems, (i) => g.itemEntity[i]) };
      nUsers = c.keptUsers.length;
      nItems = c.keptItems.length;
    }
  }
  const parts = [train, ...(valid ? [valid] : []), ...(test ? [test] : [])];
  const given: Split | undefined = test ? { train, test, ...(valid ? { valid } : {}) } : undefined;
  return {
    name: p.name,
    sources: p.sources,
    userIds,
    itemIds,
    interactions: concatInteractions(parts, nUsers, nItems),
    ...(given ? { given } : {}),
    ...(kg ? { kg } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

interface UnseenItemRule {
  readonly keep: boolean;
  /** why, for the note */
  readonly why: string;
}

function keepUnseenItems(p: DatasetParts): UnseenItemRule {
  if (p.unseenItems)
    return { keep: p.unseenItems === 'keep', why: `unseenItems "${p.unseenItems}"` };
  if (p.unseenItemsKeptBy) {
    return {
      keep: true,
      why: `as the ${p.unseenItemsKeptBy} reference code does; unseenItems "drop" leaves them out`,
    };
  }
  return {
    keep: false,
    why: 'a model cannot rank an item it never saw; unseenItems "keep" keeps them',
  };
}

/** Ids that only left-out rows used, removed; new ids in the old order. */
interface Compaction {
  readonly keptUsers: Int32Array;
  readonly keptItems: Int32Array;
  apply(x: Interactions): Interactions;
}

/**
 * Leaves out test/valid rows whose user has no training interaction, and those whose item has
 * none unless the rule keeps them; remembers the ids of the rows left out for compaction().
 */
class HeldOutFilter {
  private readonly trainUser: Uint8Array;
  private readonly trainItem: Uint8Array;
  private readonly droppedUser: Uint8Array;
  private readonly droppedItem: Uint8Array;
  private anyDropped = false;

  constructor(
    train: Interactions,
    private readonly items: UnseenItemRule,
  ) {
    this.trainUser = presence(train.nUsers, train.users);
    this.trainItem = presence(train.nItems, train.items);
    this.droppedUser = new Uint8Array(train.nUsers);
    this.droppedItem = new Uint8Array(train.nItems);
  }

  filter(x: Interactions, file: string, notes: string[]): Interactions {
    const keep = new Uint8Array(x.users.length);
    const unseenUser = new Uint8Array(x.nUsers);
    const unseenItem = new Uint8Array(x.nItems);
    let userRows = 0;
    let itemRows = 0;
    for (let k = 0; k < keep.length; k++) {
      const u = x.users[k];
      const i = x.items[k];
      if (!this.trainUser[u]) {
        userRows++;
        unseenUser[u] = 1;
      } else if (!this.trainItem[i]) {
        itemRows++;
        unseenItem[i] = 1;
        keep[k] = this.items.keep ? 1 : 0;
      } else keep[k] = 1;
      if (!keep[k]) {
        this.droppedUser[u] = 1;
        this.droppedItem[i] = 1;
      }
    }
    if (userRows > 0) {
      notes.push(
        `${file}: ${many(userRows, 'row')} of ${many(sum(unseenUser), 'user')} without training interactions left out`,
      );
    }
    if (itemRows > 0) {
      const what = `${many(itemRows, 'row')} of ${many(sum(unseenItem), 'item')} without training interactions`;
      notes.push(
        this.items.keep
          ? `${file}: ${what} kept, the items in the catalogue (${this.items.why})`
          : `${file}: ${what} left out (${this.items.why})`,
      );
    }
    if (userRows === 0 && (itemRows === 0 || this.items.keep)) return x;
    this.anyDropped = true;
    return pickMask(x, keep);
  }

  /** The compaction after filtering, or undefined when every id is still used. */
  compaction(kept: readonly Interactions[]): Compaction | undefined {
    if (!this.anyDropped) return undefined;
    const usedUser = new Uint8Array(this.droppedUser.length);
    const usedItem = new Uint8Array(this.droppedItem.length);
    for (const x of kept) {
      for (let k = 0; k < x.users.length; k++) {
        usedUser[x.users[k]] = 1;
        usedItem[x.items[k]] = 1;
      }
    }
    const users = renumber(this.droppedUser, usedUser);
    const items = renumber(this.droppedItem, usedItem);
    if (users.kept.length === usedUser.length && items.kept.length === usedItem.length) {
      return undefined;
    }
    return {
      keptUsers: users.kept,
      keptItems: items.kept,
      apply: (x) => ({
        ...x,
        nUsers: users.kept.length,
        nItems: items.kept.length,
        users: x.users.map((u) => users.newId[u]),
        items: x.items.map((i) => items.newId[i]),
      }),
    };
  }
}

/** New ids for the ids kept (all but those only dropped rows used), in the old order. */
function renumber(dropped: Uint8Array, used: Uint8Array): { kept: Int32Array; newId: Int32Array } {
  const newId = new Int32Array(dropped.length).fill(-1);
  const kept: number[] = [];
  for (let i = 0; i < dropped.length; i++) {
    if (!dropped[i] || used[i]) newId[i] = kept.push(i) - 1;
  }
  return { kept: Int32Array.from(kept), newId };
}

function presence(n: number, ids: Int32Array): Uint8Array {
  const has = new Uint8Array(n);
  for (let k = 0; k < ids.length; k++) has[ids[k]] = 1;
  return has;
}

function sum(a: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
