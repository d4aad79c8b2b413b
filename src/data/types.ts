/**
 * The data model every other module speaks: dense 0-based internal ids for users and items,
 * interactions as parallel typed arrays (COO), and compressed sparse rows for fast access.
 */

/** Two-way map between original ids (as text) and dense internal ids. */
export interface IdMap {
  /** internal id -> original id */
  readonly ids: readonly string[];
  /** original id -> internal id */
  readonly index: ReadonlyMap<string, number>;
}

/** Interactions as parallel arrays; entry k is (users[k], items[k]). */
export interface Interactions {
  readonly nUsers: number;
  readonly nItems: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  /** explicit rating per interaction, when the source had one */
  readonly ratings?: Float32Array;
  /** seconds since the epoch (or the source's own time unit), when the source had one */
  readonly timestamps?: Float64Array;
}

/** Compressed sparse rows: row r holds indices[indptr[r] .. indptr[r+1]). */
export interface Csr {
  readonly nRows: number;
  readonly nCols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values?: Float32Array;
}

/** Knowledge-graph triples over entity ids; items map to entities through itemEntity. */
export interface KnowledgeGraph {
  readonly nEntities: number;
  readonly nRelations: number;
  readonly heads: Int32Array;
  readonly relations: Int32Array;
  readonly tails: Int32Array;
  /** internal item id -> entity id, -1 where the item has no entity */
  readonly itemEntity: Int32Array;
  /** original entity/relation ids, when the source named them (RecBole .kg tokens) */
  readonly entityIds?: IdMap;
  readonly relationIds?: IdMap;
}

/** A session-based dataset: interactions ordered by (session, time). */
export interface Sessions {
  readonly nSessions: number;
  readonly nItems: number;
  /** session s holds items[offsets[s] .. offsets[s+1]) in time order */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly timestamps?: Float64Array;
  readonly sessionIds: IdMap;
  readonly itemIds: IdMap;
}

/** Train/validation/test interactions over one id space. */
export interface Split {
  readonly train: Interactions;
  readonly valid?: Interactions;
  readonly test: Interactions;
}

/** A loaded dataset: its id maps, all its interactions, and a split when the files gave one. */
export interface Dataset {
  readonly name: string;
  /**
   * 'sessions' (sessions:<file>): each user is a session and the given split holds whole
   * sessions, the test ones unseen in training: evaluated by the next-item protocol
   * (runs/protocol.ts). Absent: user-item data.
   */
  readonly kind?: 'sessions';
  /** files it was read from, for messages and run metadata */
  readonly sources: readonly string[];
  readonly userIds: IdMap;
  readonly itemIds: IdMap;
  readonly interactions: Interactions;
  /** set when the source came as separate train/test (/valid) files */
  readonly given?: Split;
  readonly kg?: KnowledgeGraph;
  /**
   * a user-user relation (e.g. friendships) in the users' id space: symmetric nUsers x nUsers,
   * each undirected edge in both rows, rows ascending, no self-loops
   */
  readonly social?: Csr;
  /** item/user feature tables (e.g. RecBole .item/.user files), when the source had them */
  readonly itemFeatures?: FeatureTable;
  readonly userFeatures?: FeatureTable;
  /** things the loader decided that a user should know (e.g. a file it left out, and why) */
  readonly notes?: readonly string[];
}

/** Side information as plain string columns; row r describes internal id r ('' when absent). */
export interface FeatureTable {
  readonly columns: readonly string[];
  /** column name -> one value per internal id */
  readonly values: Readonly<Record<string, readonly string[]>>;
}
