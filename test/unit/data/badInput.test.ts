// Mistakes users make with their data files, one per row, across every loader: each is refused
// with the exact message (file, line, what was expected, at most the offending field), and
// nothing is written next to the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDataset } from '../../../src/data/dataset.js';
import { loadSessions } from '../../../src/data/loaders/sessions.js';
import { SPEC_HELP } from '../../../src/data/spec.js';
import type { DatasetSpecOptions } from '../../../src/data/spec.js';
import { InputError } from '../../../src/util/errors.js';

interface Case {
  /** the mistake, as a user would make it */
  readonly name: string;
  /** fixture files, by path relative to the case's temp folder */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  /** what the user runs, given the temp folder */
  readonly load: (d: string) => Promise<unknown>;
  /** the exact message, given the temp folder */
  readonly message: (d: string) => string;
}

const spec =
  (s: (d: string) => string, options?: DatasetSpecOptions) =>
  (d: string): Promise<unknown> =>
    loadDataset(s(d), options);

const LIGHTGCN_LINE =
  'a line "user item item ..." of non-negative integer ids separated by spaces or tabs';
const DELIMITED_ROWS = 'rows of delimited fields (user, item[, rating, timestamp])';
const RECBOLE_HEADER =
  'a RecBole header of tab-separated "name:type" fields (type token, token_seq, float or float_seq)';
const DEMO_KEYS =
  'users, items, seed, communities, affinity, zipf, minPerUser, medianExtra, days, start';
const PREFIXES =
  'demo:, synthetic:, gowalla:, lightgcn:, ngcf:, movielens:, ml:, recbole:, lastfm-kg:, kg:, lastfm-social:, sessions:, csv:, tsv:, delimited:, auto:';

/** 38 good rows after a header, a quote opened on line 40 and never closed, then more rows. */
const openQuote = [
  'user,item,rating',
  ...Array.from({ length: 38 }, (_, k) => `${k % 7},${k % 11},4`),
  '7,"The Matrix,5',
  '8,12,3',
  '9,13,4',
].join('\n');

const CASES: readonly Case[] = [
  // LightGCN / NGCF text files
  {
    name: 'lightgcn: a fractional id',
    files: { 'train.txt': '0 1 2\n1 2.5 3\n', 'test.txt': '0 3\n' },
    load: spec((d) => `lightgcn:${d}/train.txt,${d}/test.txt`),
    message: (d) => `${d}/train.txt:2: expected ${LIGHTGCN_LINE} (found "2.5")`,
  },
  {
    name: 'lightgcn: a negative id',
    files: { 'train.txt': '0 1\n1 -4\n' },
    load: spec((d) => `lightgcn:${d}/train.txt`),
    message: (d) => `${d}/train.txt:2: expected ${LIGHTGCN_LINE} (found "-4")`,
  },
  {
    name: 'lightgcn: a comma-separated ratings file given as lightgcn',
    files: { 'ratings.csv': '1,2,5\n1,3,4\n' },
    load: spec((d) => `lightgcn:${d}/ratings.csv`),
    message: (d) =>
      `${d}/ratings.csv:1: expected ${LIGHTGCN_LINE}; a comma- or semicolon-separated file loads as csv:<file> (found "1,2,5")`,
  },
  {
    name: 'lightgcn: an id beyond 32 bits',
    files: { 'train.txt': '0 1\n99999999999 2\n' },
    load: spec((d) => `lightgcn:${d}/train.txt`),
    message: (d) =>
      `${d}/train.txt:2: expected integer ids up to 2,147,483,647 (found "99999999999")`,
  },
  {
    name: 'lightgcn: a JSON export given as lightgcn',
    files: { 'train.json': '{"user": 0, "items": [1, 2]}\n' },
    load: spec((d) => `lightgcn:${d}/train.json`),
    message: (d) => `${d}/train.json:1: expected ${LIGHTGCN_LINE}, not JSON (found "{\\"user\\":")`,
  },
  {
    name: 'lightgcn: a mistyped test file name',
    files: { 'train.txt': '0 1\n', 'test.txt': '0 2\n' },
    load: spec((d) => `lightgcn:${d}/train.txt,${d}/tset.txt`),
    message: (d) => `${d}/tset.txt: expected an existing, readable file`,
  },
  {
    name: 'gowalla: a folder without train.txt',
    files: { 'ratings.csv': 'user,item\n1,2\n' },
    load: spec((d) => `gowalla:${d}`),
    message: (d) =>
      `${d}: expected a LightGCN folder with train.txt and test.txt (no train.txt here)`,
  },
  {
    name: 'gowalla: a folder with train.txt but no test.txt',
    files: { 'train.txt': '0 1 2\n' },
    load: spec((d) => `gowalla:${d}`),
    message: (d) =>
      `${d}: expected a LightGCN folder with train.txt and test.txt (no test.txt here)`,
  },
  {
    name: 'lightgcn: an empty train file (a failed copy)',
    files: { 'train.txt': '' },
    load: spec((d) => `lightgcn:${d}/train.txt`),
    message: (d) => `${d}/train.txt: expected a non-empty file (the file is empty)`,
  },
  {
    name: 'lightgcn: a train file of blank lines',
    files: { 'train.txt': '\n  \n\t\n' },
    load: spec((d) => `lightgcn:${d}/train.txt`),
    message: (d) => `${d}/train.txt: expected ${LIGHTGCN_LINE} (the file has no data lines)`,
  },
  {
    name: 'lightgcn: a gzip-compressed file given as it was downloaded',
    files: { 'train.txt.gz': gzipSync('0 1 2\n1 3\n') },
    load: spec((d) => `lightgcn:${d}/train.txt.gz`),
    message: (d) =>
      `${d}/train.txt.gz: expected a text file, not gzip-compressed data (decompress it first)`,
  },
  // MovieLens
  {
    name: 'movielens u.data: a non-numeric rating',
    files: { 'u.data': '196\t242\t3\t881250949\n186\t302\tx\t891717742\n' },
    load: spec((d) => `movielens:${d}/u.data`),
    message: (d) => `${d}/u.data:2: expected a number in the rating column 2 (0-based) (found "x")`,
  },
  {
    name: 'movielens ratings.dat: tab-separated content under the "::" file name',
    files: { 'ratings.dat': '1\t1193\t5\t978300760\n1\t661\t3\t978302109\n' },
    load: spec((d) => `movielens:${d}/ratings.dat`),
    message: (d) =>
      `${d}/ratings.dat:1: expected columns separated by "::" (found one column; it looks separated by tabs)`,
  },
  {
    name: 'movielens ratings.csv: re-saved by a spreadsheet with semicolons',
    files: { 'ratings.csv': 'userId;movieId;rating;timestamp\n1;1;4.0;964982703\n' },
    load: spec((d) => `movielens:${d}/ratings.csv`),
    message: (d) =>
      `${d}/ratings.csv:1: expected columns separated by "," (found one column; it looks separated by ";")`,
  },
  {
    name: 'movielens u.data: a row cut short',
    files: { 'u.data': '196\t242\t3\t881250949\n186\t302\n' },
    load: spec((d) => `movielens:${d}/u.data`),
    message: (d) => `${d}/u.data:2: expected 4 columns separated by tabs, found 2`,
  },
  {
    name: 'movielens: the ml-1m folder without its ratings file',
    files: { 'movies.dat': '1::Toy Story (1995)::Animation\n' },
    load: spec((d) => `movielens:${d}`),
    message: (d) =>
      `${d}: expected a movielens file, or a folder with u.data, ratings.dat, ratings.csv (none here)`,
  },
  {
    name: 'a prose file opened as a dataset: said to be text, not a failed rating column',
    files: {
      'notes.txt': 'This is a prose file.\nIt reads as plain text.\nNothing here is any data.\n',
    },
    load: spec((d) => `${d}/notes.txt`),
    message: (d) =>
      `${d}/notes.txt:1: expected an interactions file: rows of a user id, an item id and numbers (this line reads as text) (found "This is a prose file.")`,
  },
  // RecBole atomic files
  {
    name: 'recbole: a header without :type suffixes',
    files: { 'x.inter': 'user_id\titem_id\n1\t2\n' },
    load: spec((d) => `recbole:${d}/x.inter`),
    message: (d) => `${d}/x.inter:1: expected ${RECBOLE_HEADER} (found "user_id")`,
  },
  {
    name: 'recbole: a type RecBole does not have',
    files: { 'x.inter': 'user_id:int\titem_id:token\n1\t2\n' },
    load: spec((d) => `recbole:${d}/x.inter`),
    message: (d) => `${d}/x.inter:1: expected ${RECBOLE_HEADER} (found "user_id:int")`,
  },
  {
    name: 'recbole: spaces where tabs belong',
    files: { 'x.inter': 'user_id:token item_id:token\n1 2\n' },
    load: spec((d) => `recbole:${d}/x.inter`),
    message: (d) =>
      `${d}/x.inter:1: expected ${RECBOLE_HEADER} (found "user_id:token item_id:token")`,
  },
  {
    name: 'recbole: a float field that is not a number',
    files: { 'x.inter': 'user_id:token\titem_id:token\trating:float\n1\t2\tgood\n' },
    load: spec((d) => `recbole:${d}/x.inter`),
    message: (d) =>
      `${d}/x.inter:2: expected a number in the rating column "rating:float" (found "good")`,
  },
  {
    name: 'recbole: a folder without a .inter file',
    files: { 'x.item': 'item_id:token\ttitle:token_seq\n1\tHeat\n' },
    load: spec((d) => `recbole:${d}`),
    message: (d) => `${d}: expected a recbole file, or a folder with a .inter file (none here)`,
  },
  {
    name: 'recbole: a session log without a user column',
    files: { 'x.inter': 'session_id:token\titem_id:token\n1\t2\n' },
    load: spec((d) => `recbole:${d}/x.inter`),
    message: (d) =>
      `${d}/x.inter:1: expected a header naming the user column (such as user_id; this header has session_id, item_id): name it with --user-col session_id (in an experiment file: "datasetOptions": {"columns": {"user": "session_id"}})`,
  },
  // lastfm-kg folders
  {
    name: 'lastfm-kg: a ratings file given as the knowledge graph',
    files: {
      'ratings_final.txt': '0\t1\t1\n',
      'kg_final.txt': '1\t1193\t5\t978300760\n',
    },
    load: spec((d) => `lastfm-kg:${d}`),
    message: (d) =>
      `${d}/kg_final.txt:1: expected a triple "head relation tail" of non-negative integer ids (3 fields separated by tabs or spaces, found 4)`,
  },
  {
    name: 'lastfm-kg: star ratings where labels 0/1 belong',
    files: { 'ratings_final.txt': '0\t1\t1\n0\t2\t5\n', 'kg_final.txt': '1 0 3\n' },
    load: spec((d) => `lastfm-kg:${d}`),
    message: (d) =>
      `${d}/ratings_final.txt:2: expected a label of 0 or 1 in the third column (found "5")`,
  },
  {
    name: 'lastfm-kg: the knowledge graph file missing',
    files: { 'ratings_final.txt': '0\t1\t1\n' },
    load: spec((d) => `lastfm-kg:${d}`),
    message: (d) => `${d}/kg_final.txt: expected an existing, readable file`,
  },
  {
    name: 'lastfm-kg: the ratings file given instead of its folder',
    files: { 'ratings_final.txt': '0\t1\t1\n', 'kg_final.txt': '1 0 3\n' },
    load: spec((d) => `lastfm-kg:${d}/ratings_final.txt`),
    message: (d) =>
      `${d}/ratings_final.txt: expected a lastfm-kg folder (ratings_final.txt, kg_final.txt), not a file`,
  },
  {
    name: 'lastfm-kg: only sampled negatives (label 0)',
    files: { 'ratings_final.txt': '0\t1\t0\n1\t2\t0\n', 'kg_final.txt': '1 0 3\n' },
    load: spec((d) => `lastfm-kg:${d}`),
    message: (d) => `${d}/ratings_final.txt: expected at least one line "user item 1" (a positive)`,
  },
  {
    name: 'lastfm-kg: an item id far beyond the rows (would allocate by the id)',
    files: {
      'ratings_final.txt': '0\t1\t1\n1\t999999999\t1\n',
      'kg_final.txt': '1 0 3\n',
    },
    load: spec((d) => `lastfm-kg:${d}`),
    message: (d) =>
      `${d}/ratings_final.txt:2: expected item ids numbered from 0 without large gaps (this layout uses ids as row numbers: at most 65,544 for a file of 2 rows) (found "999999999")`,
  },
  // lastfm-social folders (HetRec 2011 Last.FM)
  {
    name: 'lastfm-social: an artist name where the artist id belongs',
    files: {
      'user_artists.dat': 'userID\tartistID\tweight\r\n2\t51\t13883\r\n2\tDuran Duran\t90\r\n',
      'user_friends.dat': '2\t3\r\n',
    },
    load: spec((d) => `lastfm-social:${d}`),
    message: (d) =>
      `${d}/user_artists.dat:3: expected a line "userID<TAB>artistID<TAB>weight" (integer ids, a listening count) (found "Duran Duran")`,
  },
  {
    name: 'lastfm-social: a negative listening count',
    files: {
      'user_artists.dat': '2\t51\t13883\n3\t51\t-4\n',
      'user_friends.dat': '2\t3\n',
    },
    load: spec((d) => `lastfm-social:${d}`),
    message: (d) =>
      `${d}/user_artists.dat:2: expected a line "userID<TAB>artistID<TAB>weight" (integer ids, a listening count) (found "-4")`,
  },
  {
    name: 'lastfm-social: the friendships separated by commas',
    files: { 'user_artists.dat': '2\t51\t13883\n3\t51\t4\n', 'user_friends.dat': '2,3\n3,2\n' },
    load: spec((d) => `lastfm-social:${d}`),
    message: (d) =>
      `${d}/user_friends.dat:1: expected a line "userID<TAB>friendID" of integer user ids (2 tab-separated fields, found 1) (found "2,3")`,
  },
  {
    name: 'lastfm-social: the friendships file missing',
    files: { 'user_artists.dat': '2\t51\t13883\n' },
    load: spec((d) => `lastfm-social:${d}`),
    message: (d) => `${d}/user_friends.dat: expected an existing, readable file`,
  },
  {
    name: 'lastfm-social: the listens file given instead of its folder',
    files: { 'user_artists.dat': '2\t51\t13883\n', 'user_friends.dat': '2\t3\n' },
    load: spec((d) => `lastfm-social:${d}/user_artists.dat`),
    message: (d) =>
      `${d}/user_artists.dat: expected a lastfm-social folder (user_artists.dat, user_friends.dat[, artists.dat]), not a file`,
  },
  {
    name: 'lastfm-social: artists.dat with a name where the id belongs',
    files: {
      'user_artists.dat': '2\t51\t13883\n',
      'user_friends.dat': '2\t2\n',
      'artists.dat': 'id\tname\turl\tpictureURL\n51\tDuran Duran\tu\tp\nAir\t52\tu\tp\n',
    },
    load: spec((d) => `lastfm-social:${d}`),
    message: (d) =>
      `${d}/artists.dat:3: expected a line "id<TAB>name[<TAB>url<TAB>pictureURL]" with an integer id (found "Air")`,
  },
  {
    name: 'lastfm-social: only a header in the listens file',
    files: { 'user_artists.dat': 'userID\tartistID\tweight\n', 'user_friends.dat': '2\t3\n' },
    load: spec((d) => `lastfm-social:${d}`),
    message: (d) =>
      `${d}/user_artists.dat: expected at least one line "userID<TAB>artistID<TAB>weight" (integer ids, a listening count)`,
  },
  // CSV / TSV / delimited, sniffed
  {
    name: 'csv: a header whose columns are not user/item names',
    files: { 'abc.csv': 'a,b,c\n1,2,3\n4,5,6\n' },
    load: spec((d) => `csv:${d}/abc.csv`),
    message: (d) =>
      `${d}/abc.csv:1: expected a header naming the user and item columns (such as user_id, item_id; this header has a, b, c): name them with --user-col a --item-col b (in an experiment file: "datasetOptions": {"columns": {"user": "a", "item": "b"}})`,
  },
  {
    name: 'csv: a JSON export given as CSV',
    files: { 'data.csv': '[{"user": 1, "item": 2},\n {"user": 1, "item": 3}]\n' },
    load: spec((d) => `csv:${d}/data.csv`),
    message: (d) => `${d}/data.csv:1: expected ${DELIMITED_ROWS}, not JSON (found "[")`,
  },
  {
    name: 'csv: JSON lines found by sniffing a plain path',
    files: { 'events.csv': '{"user": 1, "item": 2}\n{"user": 1, "item": 3}\n' },
    load: spec((d) => `${d}/events.csv`),
    message: (d) => `${d}/events.csv:1: expected ${DELIMITED_ROWS}, not JSON (found "{")`,
  },
  {
    name: 'csv: a quote opened on line 40 and never closed',
    files: { 'movies.csv': openQuote },
    load: spec((d) => `csv:${d}/movies.csv`),
    message: (d) =>
      `${d}/movies.csv:40: expected the quoted field that starts here to be closed by a " (it runs to the end of the file; a " inside a field is written "") (found "\\"The Matrix,5")`,
  },
  {
    name: 'csv: a closing quote followed by more text',
    files: { 'q.csv': 'user,item\n1,"Heat" (1995)\n' },
    load: spec((d) => `csv:${d}/q.csv`),
    message: (d) =>
      `${d}/q.csv:2: expected the quoted field that starts here to end with " followed by a comma or the end of the line (a " inside a quoted field is written "") (found "\\"Heat\\" ")`,
  },
  {
    name: 'csv: a quote inside an unquoted field',
    files: { 'q.csv': 'user,item\n1,24" monitor\n' },
    load: spec((d) => `csv:${d}/q.csv`),
    message: (d) =>
      `${d}/q.csv:2: expected " only around a whole field (a field with a " in it is quoted and the " doubled: 24" screen is written "24"" screen") (found "24\\" monitor")`,
  },
  {
    name: 'csv: a web page saved in place of the data',
    files: { 'ratings.csv': '<!DOCTYPE html>\n<html><body>Not Found</body></html>\n' },
    load: spec((d) => `csv:${d}/ratings.csv`),
    message: (d) =>
      `${d}/ratings.csv:1: expected ${DELIMITED_ROWS}, not an HTML page (a web page saved in place of the data?) (found "<")`,
  },
  {
    name: 'csv: a header and no rows',
    files: { 'h.csv': 'user,item,rating\n' },
    load: spec((d) => `csv:${d}/h.csv`),
    message: (d) =>
      `${d}/h.csv: expected at least one data row (the file has only a header or blank lines)`,
  },
  {
    name: 'csv: an empty file',
    files: { 'e.csv': '' },
    load: spec((d) => `csv:${d}/e.csv`),
    message: (d) => `${d}/e.csv: expected a non-empty file (the file is empty)`,
  },
  {
    name: 'csv: saved as UTF-16 ("Unicode text") by a spreadsheet',
    files: {
      'u16.csv': Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('user,item\r\n1,2\r\n', 'utf16le'),
      ]),
    },
    load: spec((d) => `csv:${d}/u16.csv`),
    message: (d) => `${d}/u16.csv: expected a UTF-8 text file, not UTF-16 (save it as UTF-8)`,
  },
  {
    name: 'csv: Latin-1 text',
    files: {
      'l.csv': Buffer.concat([
        Buffer.from('user,item\nb,caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]),
    },
    load: spec((d) => `csv:${d}/l.csv`),
    message: (d) =>
      `${d}/l.csv:2: expected UTF-8 text (byte 0xE9 at column 6 is not UTF-8: Latin-1 or another encoding? save the file as UTF-8)`,
  },
  {
    name: 'tsv: a comma-separated file under the tsv: prefix',
    files: { 'r.csv': 'user,item\n1,2\n' },
    load: spec((d) => `tsv:${d}/r.csv`),
    message: (d) =>
      `${d}/r.csv:1: expected columns separated by tabs (found one column; it looks separated by ",")`,
  },
  {
    name: 'csv: a rating written in words',
    files: { 'r.csv': 'user,item,rating\n1,2,4\n1,3,five stars\n' },
    load: spec((d) => `csv:${d}/r.csv`),
    message: (d) =>
      `${d}/r.csv:3: expected a number in the rating column "rating" (found "five stars")`,
  },
  {
    name: 'csv: one row with semicolons among commas',
    files: { 'r.csv': 'user,item,rating\n1,2,4\n1;3;5\n' },
    load: spec((d) => `csv:${d}/r.csv`),
    message: (d) => `${d}/r.csv:3: expected 3 columns separated by ",", found 1`,
  },
  {
    name: 'csv: a column option naming a column the file lacks',
    files: { 'r.csv': 'user_id,item_id\n1,2\n' },
    load: spec((d) => `csv:${d}/r.csv`, { columns: { user: 'customer' } }),
    message: (d) =>
      `${d}/r.csv:1: expected a user column named "customer" (columns: user_id, item_id)`,
  },
  {
    name: 'csv: a list of ids, one column',
    files: { 'ids.csv': '42\n43\n44\n' },
    load: spec((d) => `csv:${d}/ids.csv`),
    message: (d) =>
      `${d}/ids.csv:1: expected delimited columns (user, item[, rating, timestamp]) separated by tabs, commas, semicolons, "::", "|" or spaces (found one column)`,
  },
  // session logs
  {
    name: 'sessions: a header that names no session column',
    files: { 's.csv': 'a,b,c\n1,x,5\n' },
    load: (d) => loadSessions(`${d}/s.csv`),
    message: (d) =>
      `${d}/s.csv:1: expected a header naming the session column (such as session_id; this header has a, b, c): name it with the dataset's "columns" option, e.g. {"session": "a"}`,
  },
  {
    name: 'sessions: a timestamp in words',
    files: { 's.csv': 'session_id,item_id,timestamp\n1,a,5\n1,b,soon\n' },
    load: (d) => loadSessions(`${d}/s.csv`),
    message: (d) =>
      `${d}/s.csv:3: expected a number or ISO date in the timestamp column (found "soon")`,
  },
  {
    name: 'sessions: a row without its session id',
    files: { 's.csv': 'session_id,item_id,timestamp\n1,a,5\n,b,6\n' },
    load: (d) => loadSessions(`${d}/s.csv`),
    message: (d) => `${d}/s.csv:3: expected a session id, found it empty`,
  },
  // demo settings and spec strings
  {
    name: 'demo: a setting that is not a number',
    files: {},
    load: spec(() => 'demo:users=many'),
    message: () =>
      `dataset spec: expected demo settings as key=number, keys: ${DEMO_KEYS} (found "demo:users=many")`,
  },
  {
    name: 'demo: a setting that does not exist',
    files: {},
    load: spec(() => 'demo:size=10'),
    message: () =>
      `dataset spec: expected demo settings as key=number, keys: ${DEMO_KEYS} (found "demo:size=10")`,
  },
  {
    name: 'spec: empty',
    files: {},
    load: spec(() => '  '),
    message: () => `dataset spec: expected ${SPEC_HELP} (found "  ")`,
  },
  {
    name: 'spec: four files where at most three (train, test, valid) go',
    files: {},
    load: spec(() => 'csv:a.csv,b.csv,c.csv,d.csv'),
    message: () => `dataset spec: expected ${SPEC_HELP} (found "csv:a.csv,b.csv,c.csv,d.csv")`,
  },
  {
    name: 'spec: a mistyped format prefix',
    files: { 'ratings.csv': 'userId,movieId\n1,2\n' },
    load: spec((d) => `movielen:${d}/ratings.csv`),
    message: () => `dataset spec: expected a format prefix: ${PREFIXES} (found "movielen:")`,
  },
  {
    name: 'spec: a folder given as csv:',
    files: { 'r.csv': 'user,item\n1,2\n' },
    load: spec((d) => `csv:${d}`),
    message: (d) => `${d}: expected a delimited file, not a folder`,
  },
  {
    name: 'spec: a folder with nothing RecLab reads',
    files: { 'notes.md': '# my data\n' },
    load: spec((d) => d),
    message: (d) =>
      `${d}: expected a dataset folder with train.txt (LightGCN), ratings_final.txt (lastfm-kg), user_artists.dat (lastfm-social), a .inter file (RecBole) or u.data/ratings.dat/ratings.csv (MovieLens)`,
  },
];

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

test(`bad input: ${CASES.length} mistakes, each refused with its exact message and nothing written`, async () => {
  assert.ok(CASES.length >= 40, `${CASES.length} cases`);
  const failures: string[] = [];
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'reclab-bad-'));
    try {
      for (const [name, content] of Object.entries(c.files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      let caught: unknown;
      try {
        await c.load(dir);
      } catch (e) {
        caught = e;
      }
      const expected = c.message(dir);
      if (!(caught instanceof InputError)) {
        failures.push(`${c.name}: expected an InputError, got ${String(caught)}`);
      } else if (caught.message !== expected) {
        failures.push(`${c.name}:\n  got      ${caught.message}\n  expected ${expected}`);
      }
      const files = listFiles(dir);
      const fixtures = Object.keys(c.files).sort();
      if (JSON.stringify(files) !== JSON.stringify(fixtures)) {
        failures.push(`${c.name}: files written: ${files.filter((f) => !fixtures.includes(f))}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(failures, []);
});

test('odd but fine: BOM, CRLF, blank lines and a quoted header load as written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-ok-'));
  try {
    const write = (name: string, content: string): string => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    const bom = write('bom.csv', '\uFEFFuserId,movieId,rating\r\n1,10,4\r\n2,10,5\r\n');
    const a = await loadDataset(`csv:${bom}`);
    assert.deepEqual(a.userIds.ids, ['1', '2']);
    assert.deepEqual(Array.from(a.interactions.ratings ?? []), [4, 5]);
    const lg = write('train.txt', '\uFEFF0 1 2\r\n\r\n1 0\r\n');
    const b = await loadDataset(`lightgcn:${lg}`);
    assert.deepEqual(Array.from(b.interactions.items), [1, 2, 0]);
    const quoted = write('q.csv', '"user","item"\r\n"a","x, y"\r\n"b","z"\r\n');
    const c = await loadDataset(`csv:${quoted}`);
    assert.deepEqual(c.itemIds.ids, ['x, y', 'z']);
    assert.deepEqual(listFiles(dir), ['bom.csv', 'q.csv', 'train.txt']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
