/**
 * A heterogeneous graph of typed nodes and typed edges from what a dataset has: users and
 * items always, the entities of its knowledge graph (items aligned to entities), and
 * friendships. The input TwHIN (El-Kishky et al., KDD 2022) embeds: one table of nodes, one
 * vector per relation type, edges grouped by relation type.
 *
 * Node layout: users [0, nUsers), items [nUsers, nUsers + nItems), then the KG entities that
 * are not items. The items and the other entities are contiguous, so "an entity" (a KG
 * relation's head or tail, or its corruption) is the range [nUsers, nNodes).
 */
import type { Csr, Interactions, KnowledgeGraph } from '../data/types.js';
import { shuffleInPlace, type Rng } from '../util/rng.js';

/** A contiguous range of node ids [lo, hi): one node type, or the union of adjacent ones. */
export interface NodeRange {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
}

/** The edges of one relation type, as node ids; head and tail types say where to corrupt. */
export interface Relation {
  readonly name: string;
  readonly headType: NodeRange;
  readonly tailType: NodeRange;
  readonly heads: Int32Array;
  readonly tails: Int32Array;
}

export interface HeteroGraph {
  readonly nNodes: number;
  readonly users: NodeRange;
  readonly items: NodeRange;
  /** items and the other KG entities (equal to items when there is no KG) */
  readonly entities: NodeRange;
  /** relation 0 is the user-item interaction; then the KG relations, then friendship */
  readonly relations: readonly Relation[];
  /** KG relation r's index in relations, -1 when r has no triple */
  readonly kgRelation: Int32Array;
}

export const INTERACTS = 'interacts';
export const FRIEND = 'friend';

export interface HeteroSources {
  readonly train: Interactions;
  readonly kg?: KnowledgeGraph;
  readonly social?: Csr;
}

/**
 * Entity -> node: an item's entity is that item's node (the first item, when items share an
 * entity), every other entity gets a node after the items.
 */
function entityNodes(kg: KnowledgeGraph, nUsers: number, nItems: number): Int32Array {
  const node = new Int32Array(kg.nEntities).fill(-1);
  for (let i = 0; i < kg.itemEntity.length; i++) {
    const e = kg.itemEntity[i];
    if (e >= 0 && node[e] < 0) node[e] = nUsers + i;
  }
  let next = nUsers + nItems;
  for (let e = 0; e < node.length; e++) if (node[e] < 0) node[e] = next++;
  return node;
}

export function buildHeteroGraph(src: HeteroSources): HeteroGraph {
  const { nUsers, nItems } = src.train;
  const users: NodeRange = { name: 'user', lo: 0, hi: nUsers };
  const items: NodeRange = { name: 'item', lo: nUsers, hi: nUsers + nItems };
  const relations: Relation[] = [
    {
      name: INTERACTS,
      headType: users,
      tailType: items,
      heads: src.train.users.slice(),
      tails: Int32Array.from(src.train.items, (i) => nUsers + i),
    },
  ];
  let nNodes = nUsers + nItems;
  let entities = items;
  const kg = src.kg;
  const kgRelation = new Int32Array(kg?.nRelations ?? 0).fill(-1);
  if (kg) {
    const node = entityNodes(kg, nUsers, nItems);
    for (const n of node) nNodes = Math.max(nNodes, n + 1);
    entities = { name: 'entity', lo: nUsers, hi: nNodes };
    const counts = new Int32Array(kg.nRelations);
    for (const r of kg.relations) counts[r]++;
    const byRelation: { heads: Int32Array; tails: Int32Array; fill: number }[] = [];
    for (let r = 0; r < kg.nRelations; r++) {
      if (counts[r] === 0) continue;
      kgRelation[r] = relations.length;
      const edges = {
        heads: new Int32Array(counts[r]),
        tails: new Int32Array(counts[r]),
        fill: 0,
      };
      byRelation[r] = edges;
      relations.push({
        name: `kg:${kg.relationIds?.ids[r] ?? r}`,
        headType: entities,
        tailType: entities,
        heads: edges.heads,
        tails: edges.tails,
      });
    }
    for (let k = 0; k < kg.heads.length; k++) {
      const e = byRelation[kg.relations[k]];
      e.heads[e.fill] = node[kg.heads[k]];
      e.tails[e.fill] = node[kg.tails[k]];
      e.fill++;
    }
  }
  const social = src.social;
  if (social && social.indices.length > 0) {
    const heads = new Int32Array(social.indices.length);
    for (let u = 0; u < social.nRows; u++) heads.fill(u, social.indptr[u], social.indptr[u + 1]);
    // each friendship in both directions, as the dataset stores it
    relations.push({
      name: FRIEND,
      headType: users,
      tailType: users,
      heads,
      tails: social.indices.slice(),
    });
  }
  return { nNodes, users, items, entities, relations, kgRelation };
}

/**
 * A share of every relation's edges held out for link prediction (seeded), the user-item
 * interactions excepted (their held-out edges are the dataset's test split). Both graphs keep
 * every relation, at the same index.
 */
export function holdOutRelationEdges(
  g: HeteroGraph,
  fraction: number,
  rng: Rng,
): { readonly train: HeteroGraph; readonly heldOut: readonly Relation[] } {
  if (!(fraction >= 0 && fraction < 1))
    throw new RangeError(`held-out share ${fraction} outside [0, 1)`);
  const train: Relation[] = [];
  const heldOut: Relation[] = [];
  for (const rel of g.relations) {
    const n = rel.heads.length;
    const out = rel.name === INTERACTS ? 0 : Math.floor(fraction * n);
    const order = Int32Array.from({ length: n }, (_, k) => k);
    if (out > 0) shuffleInPlace(order, rng);
    // the last `out` of the shuffled order are held out
    const part = (from: number, to: number): Relation => ({
      ...rel,
      heads: Int32Array.from(order.subarray(from, to), (k) => rel.heads[k]),
      tails: Int32Array.from(order.subarray(from, to), (k) => rel.tails[k]),
    });
    train.push(out > 0 ? part(0, n - out) : rel);
    heldOut.push(part(n - out, n));
  }
  return { train: { ...g, relations: train }, heldOut };
}
