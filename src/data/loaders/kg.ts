/**
 * Knowledge graphs: integer triples `head relation tail` (kg_final.txt of KGAT/KGNN-LS/
 * RippleNet), RecBole token triples (.kg with .link), and the lastfm-kg folder layout that
 * puts them next to labelled ratings `user item label`.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../../util/errors.js';
import { assembleDataset, type LoadPolicy } from '../assemble.js';
import { GrowableInt32 } from '../buffers.js';
import { denseIdMap, IdMapBuilder } from '../idmap.js';
import type { Dataset, IdMap, KnowledgeGraph } from '../types.js';
import { forEachLine } from './textFile.js';

const INT = /^\d+$/;

/** Splits a line on tabs/spaces into exactly `n` non-negative integers, or throws. */
function intFields(
  file: string,
  line: string,
  lineNo: number,
  n: number,
  expected: string,
): number[] {
  const f = line.trim().split(/[ \t]+/);
  if (f.length !== n) {
    throw new InputError(
      { file, line: lineNo },
      `${expected} (${n} fields separated by tabs or spaces, found ${f.length})`,
    );
  }
  const bad = f.find((x) => !INT.test(x) || x.length >= 10);
  if (bad !== undefined) throw new InputError({ file, line: lineNo, text: bad }, expected);
  return f.map(Number);
}

/**
 * The largest id seen and its line. These layouts use ids as row numbers (item i is entity i),
 * so they are not renumbered: an id far beyond the number of rows is refused instead, before
 * it costs memory and time in proportion to its value.
 */
class IdBound {
  bound = 0;
  private line = 0;

  see(v: number, lineNo: number): void {
    if (v >= this.bound) {
      this.bound = v + 1;
      this.line = lineNo;
    }
  }

  check(file: string, what: string, rows: number): void {
    const limit = 4 * rows + 65536;
    if (this.bound <= limit) return;
    throw new InputError(
      { file, line: this.line, text: String(this.bound - 1) },
      `${what} ids numbered from 0 without large gaps (this layout uses ids as row numbers: at most ${limit.toLocaleString('en-US')} for a file of ${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'})`,
    );
  }
}

export interface Triples {
  readonly heads: Int32Array;
  readonly relations: Int32Array;
  readonly tails: Int32Array;
  readonly entityBound: number;
  readonly relationBound: number;
}

/** Integer triples `head relation tail`, 0-based ids. */
export async function readTriples(file: string): Promise<Triples> {
  const h = new GrowableInt32(1 << 14);
  const r = new GrowableInt32(1 << 14);
  const t = new GrowableInt32(1 << 14);
  const entities = new IdBound();
  const relations = new IdBound();
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const [a, b, c] = intFields(
      file,
      line,
      lineNo,
      3,
      'a triple "head relation tail" of non-negative integer ids',
    );
    h.push(a);
    r.push(b);
    t.push(c);
    entities.see(a, lineNo);
    entities.see(c, lineNo);
    relations.see(b, lineNo);
  });
  if (h.length === 0) throw new InputError({ file }, 'at least one triple "head relation tail"');
  entities.check(file, 'entity', h.length);
  relations.check(file, 'relation', h.length);
  return {
    heads: h.toArray(),
    relations: r.toArray(),
    tails: t.toArray(),
    entityBound: entities.bound,
    relationBound: relations.bound,
  };
}

export interface LabelledRatings {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly userBound: number;
  readonly itemBound: number;
  /** rows with label 0 (sampled negatives), left out */
  readonly negatives: number;
}

/** `user item label` rows (0-based ids); keeps label 1 (positives), counts label 0. */
export async function readLabelledRatings(file: string): Promise<LabelledRatings> {
  const users = new GrowableInt32(1 << 14);
  const items = new GrowableInt32(1 << 14);
  const userBound = new IdBound();
  const itemBound = new IdBound();
  let negatives = 0;
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const [u, i, label] = intFields(
      file,
      line,
      lineNo,
      3,
      'a line "user item label" with integer ids and label 0 or 1',
    );
    if (label > 1) {
      throw new InputError(
        { file, line: lineNo, text: String(label) },
        'a label of 0 or 1 in the third column',
      );
    }
    // Both labels define the id space: an item seen only as a negative is still an item.
    userBound.see(u, lineNo);
    itemBound.see(i, lineNo);
    if (label === 0) {
      negatives++;
      return;
    }
    users.push(u);
    items.push(i);
  });
  if (users.length === 0)
    throw new InputError({ file }, 'at least one line "user item 1" (a positive)');
  userBound.check(file, 'user', users.length + negatives);
  itemBound.check(file, 'item', users.length + negatives);
  return {
    users: users.toArray(),
    items: items.toArray(),
    userBound: userBound.bound,
    itemBound: itemBound.bound,
    negatives,
  };
}

/**
 * A KG over integer entities where item i is entity i (the KGNN-LS/RippleNet convention for
 * their *_final.txt files). Entity count covers the items even when some have no triple.
 */
export function kgWithItemsAsEntities(t: Triples, nItems: number): KnowledgeGraph {
  const itemEntity = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) itemEntity[i] = i;
  return {
    nEntities: Math.max(t.entityBound, nItems),
    nRelations: t.relationBound,
    heads: t.heads,
    relations: t.relations,
    tails: t.tails,
    itemEntity,
  };
}

export const LASTFM_KG_FILES = {
  ratings: 'ratings_final.txt',
  kg: 'kg_final.txt',
  link: 'item_index2entity_id.txt',
  train: 'train.txt',
  test: 'test.txt',
} as const;

/**
 * `user item` pairs (the VRKG4Rec authors' train.txt / test.txt), ids in the id space that
 * ratings_final.txt defines: an id outside it is refused with its line.
 */
export async function readPairs(
  file: string,
  userBound: number,
  itemBound: number,
): Promise<{ users: Int32Array; items: Int32Array }> {
  const users = new GrowableInt32(1 << 14);
  const items = new GrowableInt32(1 << 14);
  const expected = 'a line "user item" of integer ids';
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const [u, i] = intFields(file, line, lineNo, 2, expected);
    if (u >= userBound || i >= itemBound) {
      throw new InputError(
        { file, line: lineNo, text: line.trim() },
        `a user id below ${userBound} and an item id below ${itemBound} (the ids of ${LASTFM_KG_FILES.ratings})`,
      );
    }
    users.push(u);
    items.push(i);
  });
  if (users.length === 0) throw new InputError({ file }, 'at least one line "user item"');
  return { users: users.toArray(), items: items.toArray() };
}

/**
 * The lastfm-kg folder: ratings_final.txt (label-1 rows kept), kg_final.txt, and
 * item_index2entity_id.txt (original item index -> entity), kept as the item feature
 * "original_index" since ratings and KG already use the dense ids. With train.txt and
 * test.txt beside them (the VRKG4Rec authors' split of the positives) those are the given
 * split, in ratings_final.txt's id space (so item i is still entity i).
 */
export async function loadLastFmKg(
  dir: string,
  name = 'lastfm-kg',
  policy: Pick<LoadPolicy, 'keepDuplicates'> = {},
): Promise<Dataset> {
  const ratingsFile = join(dir, LASTFM_KG_FILES.ratings);
  const kgFile = join(dir, LASTFM_KG_FILES.kg);
  const linkFile = join(dir, LASTFM_KG_FILES.link);
  const ratings = await readLabelledRatings(ratingsFile);
  const triples = await readTriples(kgFile);
  const nItems = ratings.itemBound;
  const userIds = denseIdMap(ratings.userBound);
  const itemIds = denseIdMap(nItems);
  const sources = [ratingsFile, kgFile];
  const trainFile = join(dir, LASTFM_KG_FILES.train);
  const testFile = join(dir, LASTFM_KG_FILES.test);
  const split = existsSync(trainFile) && existsSync(testFile);
  const parts = split
    ? {
        train: await readPairs(trainFile, ratings.userBound, nItems),
        test: await readPairs(testFile, ratings.userBound, nItems),
        files: { train: trainFile, test: testFile },
        // KGIN's loader (which VRKG4Rec's builds on) counts items over train and test
        unseenItemsKeptBy: 'VRKG4Rec (KGIN)',
      }
    : { train: { users: ratings.users, items: ratings.items }, files: { train: ratingsFile } };
  if (split) sources.push(trainFile, testFile);
  let originalIndex: string[] | undefined;
  if (existsSync(linkFile)) {
    originalIndex = await readOriginalIndex(linkFile, nItems);
    sources.push(linkFile);
  }
  const ds = assembleDataset({
    name,
    sources,
    userIds,
    itemIds,
    ...parts,
    kg: kgWithItemsAsEntities(triples, nItems),
    ...policy,
    notes: [
      `${ratings.negatives.toLocaleString('en-US')} label-0 rows (sampled negatives) of ${ratingsFile} left out`,
      ...(split ? [`the split is ${trainFile} / ${testFile}; ${ratingsFile} gives the ids`] : []),
    ],
  });
  return originalIndex
    ? {
        ...ds,
        itemFeatures: { columns: ['original_index'], values: { original_index: originalIndex } },
      }
    : ds;
}

/** item_index2entity_id.txt: `originalItemIndex entityId`; entity e is item e. */
async function readOriginalIndex(file: string, nItems: number): Promise<string[]> {
  const out = new Array<string>(nItems).fill('');
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const [orig, entity] = intFields(
      file,
      line,
      lineNo,
      2,
      'a line "itemIndex entityId" of integer ids',
    );
    if (entity < nItems) out[entity] = String(orig);
  });
  return out;
}

/** Token triples of a RecBole .kg file (header head_id:token relation_id:token tail_id:token). */
export async function readRecBoleKg(
  kgFile: string,
  linkFile: string | undefined,
  itemIds: IdMap,
): Promise<KnowledgeGraph> {
  const entities = new IdMapBuilder();
  const relations = new IdMapBuilder();
  const itemEntity = new Int32Array(itemIds.ids.length).fill(-1);
  if (linkFile) {
    // Linked entities first, in item order, so entity ids of items are stable and small.
    const links: [number, string][] = [];
    await forEachTokenRows(linkFile, ['item_id', 'entity_id'], ([item, entity]) => {
      const i = itemIds.index.get(item);
      if (i !== undefined) links.push([i, entity]);
    });
    links.sort((a, b) => a[0] - b[0]);
    for (const [i, e] of links) itemEntity[i] = entities.intern(e);
  }
  const h = new GrowableInt32(1 << 14);
  const r = new GrowableInt32(1 << 14);
  const t = new GrowableInt32(1 << 14);
  await forEachTokenRows(kgFile, ['head_id', 'relation_id', 'tail_id'], ([a, b, c]) => {
    h.push(entities.intern(a));
    r.push(relations.intern(b));
    t.push(entities.intern(c));
  });
  return {
    nEntities: entities.size,
    nRelations: relations.size,
    heads: h.toArray(),
    relations: r.toArray(),
    tails: t.toArray(),
    itemEntity,
    entityIds: entities.build(),
    relationIds: relations.build(),
  };
}

/** Rows of a tab-separated RecBole file, picking `fields` (by name before ':type'). */
async function forEachTokenRows(
  file: string,
  fields: readonly string[],
  onRow: (values: string[]) => void,
): Promise<void> {
  let cols: number[] | undefined;
  let width = 0;
  let rows = 0;
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const f = line.split('\t');
    if (!cols) {
      const names = f.map((x) => x.replace(/:[a-z_]+$/i, '').trim());
      cols = fields.map((n) => names.indexOf(n));
      width = f.length;
      if (cols.some((c) => c < 0)) {
        throw new InputError(
          { file, line: lineNo },
          `a header with columns ${fields.map((n) => `${n}:token`).join(', ')} (this header has ${names.join(', ')})`,
        );
      }
      return;
    }
    if (f.length !== width) {
      throw new InputError(
        { file, line: lineNo },
        `${width} tab-separated columns as in the header, found ${f.length}`,
      );
    }
    rows++;
    onRow(cols.map((c) => f[c].trim()));
  });
  if (!cols) throw new InputError({ file }, 'a header row');
  if (rows === 0) throw new InputError({ file }, 'at least one row after the header');
}
