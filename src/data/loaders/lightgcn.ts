/**
 * The LightGCN/NGCF text format: one line per user, `user item item ...`, 0-based dense
 * integer ids separated by spaces or tabs; a user line may list no items. Ids are kept as they
 * are (internal id = file id), so results line up with the papers' code and saved embeddings.
 */
import { basename } from 'node:path';
import { InputError } from '../../util/errors.js';
import { assembleDataset, type RawInteractions } from '../assemble.js';
import { GrowableInt32 } from '../buffers.js';
import { denseIdMap } from '../idmap.js';
import type { Dataset } from '../types.js';
import { forEachLine } from './textFile.js';

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
