/**
 * The LightGCN/NGCF text format: one line per user, `user item item ...`, 0-based dense
 * integer ids separated by spaces or tabs; a user line may list no items. Ids are kept as they
 * are (internal id = file id), so results line up with the papers' code and saved embeddings.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../../util/errors.js';
import { assembleDataset, type RawInteractions } from '../assemble.js';
import { GrowableInt32 } from '../buffers.js';
import { denseIdMap } from '../idmap.js';
import { sortRows, userItemCsr } from '../csr.js';
import type { Dataset, Interactions, Split } from '../types.js';
import { forEachLine, readHeadLines } from './textFile.js';

const EXPECTED = 'a line "user item item ..." of non-negative integer ids';
const MAX_ID = 0x7fffffff;

export interface LightGcnFile extends RawInteractions {
  /** max user id + 1 and max item id + 1 seen in this file (0 when none) */
  readonly userBound: number;
  readonly itemBound: number;
  /** lines with a user id, including users with no items */
  readonly userLines: number;
}

/** Reads one LightGCN-format file into (user, item) pairs in file order. */
export async function readLightGcnFile(file: string): Promise<LightGcnFile> {
  const users = new GrowableInt32(1 << 16);
  const items = new GrowableInt32(1 << 16);
  let userBound = 0;
  let itemBound = 0;
  let userLines = 0;
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
        throw new InputError({ file, line: lineNo, text: line }, EXPECTED);
      }
      if (user < 0) {
        user = v;
        userLines++;
        if (v >= userBound) userBound = v + 1;
      } else {
        users.push(user);
        items.push(v);
        if (v >= itemBound) itemBound = v + 1;
      }
    }
  });
  if (userLines === 0) throw new InputError({ file }, `${EXPECTED} (the file has no data lines)`);
  return { users: users.toArray(), items: items.toArray(), userBound, itemBound, userLines };
}

/**
 * Loads LightGCN-format train/test(/valid) files as one dataset with a `given` split.
 * nUsers/nItems are max id + 1 over all the files, so a test-only item still has a row.
 */
export async function loadLightGcnFiles(
  trainPath: string,
  testPath?: string,
  validPath?: string,
  name = 'lightgcn',
): Promise<Dataset> {
  // Read one after another: parallel reads would only contend for the same disk and cores.
  const train = await readLightGcnFile(trainPath);
  const test = testPath !== undefined ? await readLightGcnFile(testPath) : undefined;
  const valid = validPath !== undefined ? await readLightGcnFile(validPath) : undefined;
  const files = [train, test, valid].filter((f): f is LightGcnFile => f !== undefined);
  const nUsers = Math.max(...files.map((f) => f.userBound));
  const nItems = Math.max(...files.map((f) => f.itemBound));
  const sources = [trainPath, testPath, validPath].filter((p): p is string => p !== undefined);
  return assembleDataset({
    name,
    sources,
    userIds: denseIdMap(nUsers),
    itemIds: denseIdMap(nItems),
    train: strip(train),
    ...(test ? { test: strip(test) } : {}),
    ...(valid ? { valid: strip(valid) } : {}),
  });
}

function strip(f: LightGcnFile): RawInteractions {
  return { users: f.users, items: f.items };
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
export async function loadLightGcnDir(dir: string, name?: string): Promise<Dataset> {
  const train = join(dir, 'train.txt');
  const test = join(dir, 'test.txt');
  const valid = join(dir, 'valid.txt');
  const dsName = name ?? basename(dir.replace(/[\\/]+$/, ''));
  if (!existsSync(test)) throw new InputError({ file: test }, 'a test.txt next to train.txt');
  if (!existsSync(valid)) return loadLightGcnFiles(train, test, undefined, dsName);
  const ds = await loadLightGcnFiles(train, test, valid, dsName);
  const given = ds.given as Split;
  const overlap = countShared(given.train, given.valid as Interactions);
  if (overlap === 0) return ds;
  const rest = join(dir, 'train_minus_valid.txt');
  const hint = existsSync(rest) ? ` (to tune, load lightgcn:${rest},${valid})` : '';
  return {
    ...assembleDataset({
      name: dsName,
      sources: [train, test],
      userIds: ds.userIds,
      itemIds: ds.itemIds,
      train: given.train,
      test: given.test,
    }),
    notes: [
      `${valid} left out: ${overlap.toLocaleString('en-US')} of its pairs are also in train.txt${hint}`,
    ],
  };
}

/** Number of (user, item) pairs of b that a also has. */
function countShared(a: Interactions, b: Interactions): number {
  const csr = sortRows(userItemCsr(a));
  let n = 0;
  for (let k = 0; k < b.users.length; k++) {
    const u = b.users[k];
    if (u >= csr.nRows) continue;
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
