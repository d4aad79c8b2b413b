/**
 * The LightGCN/NGCF text format: one line per user, `user item item ...`, non-negative integer
 * ids separated by spaces or tabs; a user line may list no items. Internal ids are the ids'
 * ranks (idmap.ts rankIntIds): for the papers' files, whose ids are 0..n-1, that is the id
 * itself, so results line up with their code and saved embeddings; other ids are numbered
 * densely (with a note) so that memory and time follow the file, not its largest id.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../../util/errors.js';
import {
  assembleDataset,
  withSize,
  type DatasetParts,
  type LoadPolicy,
  type RawInteractions,
} from '../assemble.js';
import { GrowableInt32 } from '../buffers.js';
import { rankIntIds, type IntIdRanks } from '../idmap.js';
import { sortRows, userItemCsr } from '../csr.js';
import type { Dataset, IdMap, Interactions } from '../types.js';
import { forEachLine, readHeadLines, whatElse } from './textFile.js';

const EXPECTED =
  'a line "user item item ..." of non-negative integer ids separated by spaces or tabs';
const MAX_ID = 0x7fffffff;

export interface LightGcnFile extends RawInteractions {
  /** the user id of every line, including users with no items */
  readonly lineUsers: Int32Array;
}

/** Reads one LightGCN-format file into (user, item) pairs in file order. */
export async function readLightGcnFile(file: string): Promise<LightGcnFile> {
  const users = new GrowableInt32(1 << 16);
  const items = new GrowableInt32(1 << 16);
  const lineUsers = new GrowableInt32(1 << 12);
  await forEachLine(file, (line, lineNo) => {
    // Hand-rolled scan rather than split(/\s+/).map(Number): no per-token strings, and a
    // stray character is caught here instead of turning into NaN.
    let user = -1;
    let i = 0;
    const n = line.length;
    while (i < n) {
      let c = line.charCodeAt(i);
      if (c === 32 || c === 9) {
        i++;
        continue;
      }
      let v = 0;
      const start = i;
      while (i < n && c >= 48 && c <= 57) {
        v = v * 10 + (c - 48);
        c = line.charCodeAt(++i);
      }
      if (i === start || (i < n && c !== 32 && c !== 9) || v > MAX_ID) {
        throw badToken(file, line, lineNo, start);
      }
      if (user < 0) {
        user = v;
        lineUsers.push(v);
      } else {
        users.push(user);
        items.push(v);
      }
    }
  });
  if (lineUsers.length === 0) {
    throw new InputError({ file }, `${EXPECTED} (the file has no data lines)`);
  }
  return { users: users.toArray(), items: items.toArray(), lineUsers: lineUsers.toArray() };
}

/** The error for the token at `start`: quotes that token only, and says what the file is. */
function badToken(file: string, line: string, lineNo: number, start: number): InputError {
  let end = start;
  while (end < line.length && line[end] !== ' ' && line[end] !== '\t') end++;
  const token = line.slice(start, end);
  const other = lineNo === 1 ? whatElse(line) : undefined;
  if (other)
    return new InputError({ file, line: lineNo, text: token }, `${EXPECTED}, not ${other}`);
  if (/^\d+$/.test(token)) {
    return new InputError(
      { file, line: lineNo, text: token },
      `integer ids up to ${MAX_ID.toLocaleString('en-US')}`,
    );
  }
  const hint = /^\d+[,;]\d/.test(token)
    ? '; a comma- or semicolon-separated file loads as csv:<file>'
    : '';
  return new InputError({ file, line: lineNo, text: token }, `${EXPECTED}${hint}`);
}

interface Read {
  readonly path: string;
  readonly file: LightGcnFile;
}

async function read(path: string): Promise<Read> {
  return { path, file: await readLightGcnFile(path) };
}

type RankedParts = Pick<
  DatasetParts,
  'userIds' | 'itemIds' | 'train' | 'test' | 'valid' | 'files' | 'sources'
> & { readonly notes: string[] };

/** The files' ids ranked densely (train's item-less users included), with a note when renumbered. */
function rankedParts(train: Read, test?: Read, valid?: Read): RankedParts {
  const reads = [train, ...(test ? [test] : []), ...(valid ? [valid] : [])];
  const users = rankIntIds([...reads.map((r) => r.file.users), train.file.lineUsers]);
  const items = rankIntIds(reads.map((r) => r.file.items));
  const part = (k: number): RawInteractions => ({
    users: users.ranked[k],
    items: items.ranked[k],
  });
  return {
    userIds: users.idMap,
    itemIds: items.idMap,
    train: part(0),
    ...(test ? { test: part(1) } : {}),
    ...(valid ? { valid: part(test ? 2 : 1) } : {}),
    files: {
      train: train.path,
      ...(test ? { test: test.path } : {}),
      ...(valid ? { valid: valid.path } : {}),
    },
    sources: reads.map((r) => r.path),
    notes: [renumberNote('user', users), renumberNote('item', items)].filter(
      (n): n is string => n !== undefined,
    ),
  };
}

function renumberNote(what: string, r: IntIdRanks): string | undefined {
  if (r.dense) return undefined;
  const n = r.idMap.ids.length.toLocaleString('en-US');
  return `${what} ids are not 0..n-1 (${n} ${what}s, largest id ${r.maxId.toLocaleString('en-US')}): numbered densely in id order inside, the file's ids kept for output`;
}

/**
 * Loads LightGCN-format train/test(/valid) files as one dataset with a `given` split, under
 * the load policy of assemble.ts: test-only items stay in the catalogue, as in the LightGCN
 * code (n_items = largest item id + 1 over train and test), and are counted in the notes.
 */
export async function loadLightGcnFiles(
  trainPath: string,
  testPath?: string,
  validPath?: string,
  name = 'lightgcn',
  policy: LoadPolicy = {},
): Promise<Dataset> {
  // Read one after another: parallel reads would only contend for the same disk and cores.
  const train = await read(trainPath);
  const test = testPath !== undefined ? await read(testPath) : undefined;
  const valid = validPath !== undefined ? await read(validPath) : undefined;
  return assembleDataset({
    name,
    ...rankedParts(train, test, valid),
    unseenItemsKeptBy: 'LightGCN',
    ...policy,
  });
}

/** A display name from a train file path: its folder's name (gowalla/train.txt -> gowalla). */
export function nameFromPath(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2] : basename(path);
}

const INT_LINE = /^\s*\d+([ \t]+\d+)*\s*$/;

/**
 * Whether a file looks like the LightGCN format: every head line is integers separated by
 * spaces/tabs and the lines' lengths vary (or exceed four), unlike a fixed-column table.
 */
export async function looksLikeLightGcn(file: string): Promise<boolean> {
  const lines = (await readHeadLines(file, 50)).filter((l) => l.trim().length > 0);
  if (lines.length === 0 || !lines.every((l) => INT_LINE.test(l))) return false;
  const counts = lines.map((l) => l.trim().split(/[ \t]+/).length);
  return counts.some((c) => c !== counts[0]) || counts[0] > 4;
}

/**
 * A LightGCN folder: train.txt and test.txt, plus valid.txt when it is disjoint from
 * train.txt. Gowalla's valid.txt is carved out of train.txt (train_minus_valid.txt is the
 * rest): using it as validation next to train.txt would score the model on its own training
 * pairs, so it is left out with a note saying how to tune instead.
 */
export async function loadLightGcnDir(
  dir: string,
  name?: string,
  policy: LoadPolicy = {},
): Promise<Dataset> {
  const trainPath = join(dir, 'train.txt');
  const testPath = join(dir, 'test.txt');
  const validPath = join(dir, 'valid.txt');
  const dsName = name ?? basename(dir.replace(/[\\/]+$/, ''));
  if (!existsSync(trainPath)) {
    throw new InputError(
      { file: dir },
      'a LightGCN folder with train.txt and test.txt (no train.txt here)',
    );
  }
  if (!existsSync(testPath)) {
    throw new InputError(
      { file: dir },
      'a LightGCN folder with train.txt and test.txt (no test.txt here)',
    );
  }
  const train = await read(trainPath);
  const test = await read(testPath);
  const valid = existsSync(validPath) ? await read(validPath) : undefined;
  const parts = rankedParts(train, test, valid);
  const overlap = parts.valid
    ? countShared(parts.train, parts.valid, parts.userIds, parts.itemIds)
    : 0;
  if (overlap === 0) {
    return assembleDataset({ name: dsName, ...parts, unseenItemsKeptBy: 'LightGCN', ...policy });
  }
  const rest = join(dir, 'train_minus_valid.txt');
  const hint = existsSync(rest) ? ` (to tune, load lightgcn:${rest},${validPath})` : '';
  const without = rankedParts(train, test);
  return assembleDataset({
    name: dsName,
    ...without,
    notes: [
      ...without.notes,
      `${validPath} left out: ${overlap.toLocaleString('en-US')} of its pairs are also in train.txt${hint}`,
    ],
    unseenItemsKeptBy: 'LightGCN',
    ...policy,
  });
}

/** Number of (user, item) pairs of b that a also has. */
function countShared(
  rawA: RawInteractions,
  rawB: RawInteractions,
  userIds: IdMap,
  itemIds: IdMap,
): number {
  const a: Interactions = withSize(rawA, userIds.ids.length, itemIds.ids.length);
  const b = rawB;
  const csr = sortRows(userItemCsr(a));
  let n = 0;
  for (let k = 0; k < b.users.length; k++) {
    const u = b.users[k];
    const row = csr.indices.subarray(csr.indptr[u], csr.indptr[u + 1]);
    let lo = 0;
    let hi = row.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (row[mid] < b.items[k]) lo = mid + 1;
      else hi = mid;
    }
    if (lo < row.length && row[lo] === b.items[k]) n++;
  }
  return n;
}
