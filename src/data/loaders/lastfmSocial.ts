/**
 * The HetRec 2011 Last.FM folder (hetrec2011-lastfm-2k): user_artists.dat (`userID artistID
 * weight`, the weight a listening count), user_friends.dat (`userID friendID`, each friendship
 * usually listed in both directions) and artists.dat (`id name url pictureURL`). Every file is
 * tab-separated with CRLF or LF endings; a header line is optional (the distribution has one on
 * each file, the shared copy none on user_friends.dat).
 *
 * A listen is an implicit interaction whose count is kept as the rating; the friendships become
 * the Dataset's `social` relation (undirected, symmetric, each row ascending, no self-loops) in
 * the users' id space; artist names become the item feature `name`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../util/errors.js';
import { assembleDataset, type LoadPolicy } from '../assemble.js';
import { GrowableInt32 } from '../buffers.js';
import { buildCsr, sortRows } from '../csr.js';
import { IdMapBuilder } from '../idmap.js';
import type { Csr, Dataset, IdMap } from '../types.js';
import { forEachLine } from './textFile.js';

export const LASTFM_SOCIAL_FILES = {
  listens: 'user_artists.dat',
  friends: 'user_friends.dat',
  artists: 'artists.dat',
} as const;

const ID = /^\d{1,9}$/;
const COUNT = /^\d+(\.\d*)?$/;

/** A header line: its first field names a column rather than holding an id. */
const isHeader = (fields: readonly string[], lineNo: number): boolean =>
  lineNo === 1 && /^[a-z]/i.test(fields[0] ?? '');

/** Tab-separated fields of a non-blank line, checked for at least `n`, or throws. */
function tabFields(file: string, line: string, lineNo: number, n: number, expected: string) {
  const f = line.split('\t').map((x) => x.trim());
  if (f.length < n) {
    throw new InputError(
      { file, line: lineNo, text: line.trim() },
      `${expected} (${n} tab-separated fields, found ${f.length})`,
    );
  }
  return f;
}

interface Listens {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly counts: Float32Array;
  readonly userIds: IdMapBuilder;
  readonly itemIds: IdMapBuilder;
}

const LISTEN_ROW = 'line "userID<TAB>artistID<TAB>weight" (integer ids, a listening count)';
const LISTEN_LINE = `a ${LISTEN_ROW}`;

async function readListens(file: string): Promise<Listens> {
  const users = new GrowableInt32(1 << 14);
  const items = new GrowableInt32(1 << 14);
  const counts: number[] = [];
  const userIds = new IdMapBuilder();
  const itemIds = new IdMapBuilder();
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const f = tabFields(file, line, lineNo, 3, LISTEN_LINE);
    if (isHeader(f, lineNo)) return;
    const bad = [f[0], f[1]].find((x) => !ID.test(x)) ?? (COUNT.test(f[2]) ? undefined : f[2]);
    if (bad !== undefined) throw new InputError({ file, line: lineNo, text: bad }, LISTEN_LINE);
    users.push(userIds.intern(f[0]));
    items.push(itemIds.intern(f[1]));
    counts.push(Number(f[2]));
  });
  if (users.length === 0) throw new InputError({ file }, `at least one ${LISTEN_ROW}`);
  return {
    users: users.toArray(),
    items: items.toArray(),
    counts: Float32Array.from(counts),
    userIds,
    itemIds,
  };
}

const FRIEND_LINE = 'a line "userID<TAB>friendID" of integer user ids';

/** What reading the friendships left out, for the dataset's notes. */
interface FriendNotes {
  readonly unknownUsers: number;
  readonly selfLoops: number;
  readonly oneWay: number;
}

/**
 * The friendships as a symmetric users x users CSR (each undirected edge in both rows, once).
 * Rows naming a user without listens are left out and counted: the relation lives in the
 * interactions' user space.
 */
async function readFriends(
  file: string,
  userIds: IdMapBuilder,
): Promise<{ social: Csr; notes: FriendNotes }> {
  const nUsers = userIds.size;
  const seen = new Set<number>();
  const a = new GrowableInt32(1 << 14);
  const b = new GrowableInt32(1 << 14);
  let unknownUsers = 0;
  let selfLoops = 0;
  let directed = 0;
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const f = tabFields(file, line, lineNo, 2, FRIEND_LINE);
    if (isHeader(f, lineNo)) return;
    const bad = [f[0], f[1]].find((x) => !ID.test(x));
    if (bad !== undefined) throw new InputError({ file, line: lineNo, text: bad }, FRIEND_LINE);
    const u = userIds.lookup(f[0]);
    const v = userIds.lookup(f[1]);
    if (u < 0 || v < 0) {
      unknownUsers++;
      return;
    }
    if (u === v) {
      selfLoops++;
      return;
    }
    directed++;
    const key = Math.min(u, v) * nUsers + Math.max(u, v);
    if (seen.has(key)) return;
    seen.add(key);
    a.push(u);
    b.push(v);
  });
  const from = a.toArray();
  const to = b.toArray();
  const rows = new Int32Array(2 * from.length);
  const cols = new Int32Array(2 * from.length);
  rows.set(from);
  rows.set(to, from.length);
  cols.set(to);
  cols.set(from, from.length);
  const social = sortRows(buildCsr(nUsers, nUsers, rows, cols));
  // rows listed once where the file lists most friendships both ways
  const oneWay = 2 * seen.size - directed;
  return { social, notes: { unknownUsers, selfLoops, oneWay: Math.max(0, oneWay) } };
}

const ARTIST_LINE = 'a line "id<TAB>name[<TAB>url<TAB>pictureURL]" with an integer id';

/** Artist names by internal item id ('' for an artist artists.dat does not name). */
async function readArtistNames(
  file: string,
  itemIds: IdMap,
): Promise<{ names: string[]; unnamed: number }> {
  const names = new Array<string>(itemIds.ids.length).fill('');
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const f = tabFields(file, line, lineNo, 2, ARTIST_LINE);
    if (isHeader(f, lineNo)) return;
    if (!ID.test(f[0])) throw new InputError({ file, line: lineNo, text: f[0] }, ARTIST_LINE);
    const i = itemIds.index.get(f[0]);
    if (i !== undefined) names[i] = f[1];
  });
  return { names, unnamed: names.filter((n) => n === '').length };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Loads the folder; artists.dat is optional (items are then unnamed). */
export async function loadLastFmSocial(
  dir: string,
  name = 'lastfm-social',
  policy: Pick<LoadPolicy, 'keepDuplicates'> = {},
): Promise<Dataset> {
  const listensFile = join(dir, LASTFM_SOCIAL_FILES.listens);
  const friendsFile = join(dir, LASTFM_SOCIAL_FILES.friends);
  const artistsFile = join(dir, LASTFM_SOCIAL_FILES.artists);
  const listens = await readListens(listensFile);
  const { social, notes: fn } = await readFriends(friendsFile, listens.userIds);
  const userIds = listens.userIds.build();
  const itemIds = listens.itemIds.build();
  const notes: string[] = [];
  if (fn.unknownUsers > 0)
    notes.push(
      `${friendsFile}: ${count(fn.unknownUsers)} friendship rows name a user without listens; left out`,
    );
  if (fn.selfLoops > 0)
    notes.push(
      `${friendsFile}: ${count(fn.selfLoops)} rows befriend a user with themself; left out`,
    );
  if (fn.oneWay > 0)
    notes.push(
      `${friendsFile}: ${count(fn.oneWay)} friendships listed in one direction only; taken as undirected`,
    );
  const sources = [listensFile, friendsFile];
  let names: string[] | undefined;
  if (existsSync(artistsFile)) {
    const r = await readArtistNames(artistsFile, itemIds);
    names = r.names;
    sources.push(artistsFile);
    if (r.unnamed > 0)
      notes.push(`${artistsFile}: ${count(r.unnamed)} listened artists have no name there`);
  }
  const ds = assembleDataset({
    name,
    sources,
    userIds,
    itemIds,
    train: { users: listens.users, items: listens.items, ratings: listens.counts },
    ...policy,
    files: { train: listensFile },
    notes,
  });
  return {
    ...ds,
    social,
    ...(names ? { itemFeatures: { columns: ['name'], values: { name: names } } } : {}),
  };
}
