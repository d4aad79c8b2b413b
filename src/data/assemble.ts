/**
 * Puts loaded parts together into a Dataset: shared id space, all interactions as the
 * concatenation of the parts, and the parts as the `given` split when there is a test part.
 */
import { concatFloat32, concatFloat64, concatInt32 } from './buffers.js';
import type { Dataset, IdMap, Interactions, KnowledgeGraph, Split } from './types.js';

/** Interactions as loaded, before the id space is known (nUsers/nItems come later). */
export interface RawInteractions {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings?: Float32Array;
  readonly timestamps?: Float64Array;
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

export interface DatasetParts {
  readonly name: string;
  readonly sources: readonly string[];
  readonly userIds: IdMap;
  readonly itemIds: IdMap;
  readonly train: RawInteractions;
  readonly test?: RawInteractions;
  readonly valid?: RawInteractions;
  readonly kg?: KnowledgeGraph;
  readonly notes?: readonly string[];
}

export function assembleDataset(p: DatasetParts): Dataset {
  const nUsers = p.userIds.ids.length;
  const nItems = p.itemIds.ids.length;
  const parts = [p.train, ...(p.valid ? [p.valid] : []), ...(p.test ? [p.test] : [])];
  let given: Split | undefined;
  if (p.test) {
    given = {
      train: withSize(p.train, nUsers, nItems),
      test: withSize(p.test, nUsers, nItems),
      ...(p.valid ? { valid: withSize(p.valid, nUsers, nItems) } : {}),
    };
  }
  return {
    name: p.name,
    sources: p.sources,
    userIds: p.userIds,
    itemIds: p.itemIds,
    interactions: concatInteractions(parts, nUsers, nItems),
    ...(given ? { given } : {}),
    ...(p.kg ? { kg: p.kg } : {}),
    ...(p.notes && p.notes.length > 0 ? { notes: p.notes } : {}),
  };
}
