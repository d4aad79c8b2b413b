import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, sniffFormat } from '../../../src/data/dataset.js';
import { describe, formatDescription } from '../../../src/data/describe.js';
import { preprocessDataset } from '../../../src/data/preprocess.js';
import type { Csr } from '../../../src/data/types.js';

/** A HetRec-style folder: CRLF, headers as distributed, friendships mostly both ways. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-lastfm-social-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const crlf = (lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');

const FILES = {
  'user_artists.dat': crlf([
    'userID\tartistID\tweight',
    '2\t51\t13883',
    '2\t52\t11690',
    '4\t51\t7',
    '7\t89\t250',
    '9\t52\t1',
  ]),
  // 2-4 both ways, 2-7 one way, 4-7 both ways, 9-9 a self-loop, 2-1000 a user without listens
  'user_friends.dat': crlf(['2\t4', '4\t2', '2\t7', '4\t7', '7\t4', '9\t9', '2\t1000']),
  'artists.dat':
    'id\tname\turl\tpictureURL\n51\tDuran Duran\thttp://a\thttp://p\n52\tMorcheeba\thttp://b\thttp://q\n',
};

/** Row u of a CSR as original user ids. */
function friendsOf(social: Csr, ids: readonly string[], u: string): string[] {
  const r = ids.indexOf(u);
  return Array.from(social.indices.subarray(social.indptr[r], social.indptr[r + 1]), (v) => ids[v]);
}

test('lastfm-social: listens with their counts, friendships as a symmetric user-user CSR, artist names', async () => {
  const dir = folder(FILES);
  assert.equal(await sniffFormat(dir), 'lastfm-social');
  const ds = await loadDataset(dir);
  assert.deepEqual(ds.userIds.ids, ['2', '4', '7', '9']);
  assert.deepEqual(ds.itemIds.ids, ['51', '52', '89']);
  const x = ds.interactions;
  assert.deepEqual(Array.from(x.users), [0, 0, 1, 2, 3]);
  assert.deepEqual(Array.from(x.items), [0, 1, 0, 2, 1]);
  assert.deepEqual(Array.from(x.ratings ?? []), [13883, 11690, 7, 250, 1]);
  const s = ds.social;
  assert.ok(s);
  assert.deepEqual([s.nRows, s.nCols], [4, 4]);
  assert.deepEqual(friendsOf(s, ds.userIds.ids, '2'), ['4', '7']);
  assert.deepEqual(friendsOf(s, ds.userIds.ids, '4'), ['2', '7']);
  assert.deepEqual(friendsOf(s, ds.userIds.ids, '7'), ['2', '4']);
  assert.deepEqual(friendsOf(s, ds.userIds.ids, '9'), []);
  assert.deepEqual(ds.itemFeatures, {
    columns: ['name'],
    values: { name: ['Duran Duran', 'Morcheeba', ''] },
  });
  const notes = (ds.notes ?? []).join('\n');
  assert.match(notes, /1 friendship rows name a user without listens; left out/);
  assert.match(notes, /1 rows befriend a user with themself; left out/);
  assert.match(notes, /1 friendships listed in one direction only; taken as undirected/);
  assert.match(notes, /1 listened artists have no name there/);
});

test('lastfm-social: inspect shows both relations', async () => {
  const ds = await loadDataset(`lastfm-social:${folder(FILES)}`);
  const d = describe(ds);
  assert.equal(d.interactions, 5);
  assert.deepEqual(d.social, {
    friendships: 3,
    usersWithFriends: 3,
    meanFriends: 1.5,
    maxFriends: 2,
  });
  assert.match(
    formatDescription(d),
    /friendships +3 undirected, 3 users with friends, 1\.5 friends per user \(max 2\)/,
  );
});

test('lastfm-social: without artists.dat, and without headers, the same relations load', async () => {
  const noHeader = folder({
    'user_artists.dat': FILES['user_artists.dat'].split('\r\n').slice(1).join('\n'),
    'user_friends.dat': 'userID\tfriendID\n2\t4\n4\t2\n',
  });
  const ds = await loadDataset(`lastfm-social:${noHeader}`);
  assert.equal(ds.interactions.users.length, 5);
  assert.equal(ds.itemFeatures, undefined);
  assert.deepEqual(Array.from(ds.social?.indptr ?? []), [0, 1, 2, 2, 2]);
});

test('lastfm-social: preprocessing that drops a user carries the friendships to the new ids', async () => {
  const ds = await loadDataset(`lastfm-social:${folder(FILES)}`);
  const kept = preprocessDataset(ds, [{ type: 'min', item: 2 }]);
  // items 51 and 52 have 2 listens each; user 7 (only artist 89) goes
  assert.deepEqual(kept.userIds.ids, ['2', '4', '9']);
  const s = kept.social;
  assert.ok(s);
  assert.deepEqual([s.nRows, s.nCols], [3, 3]);
  assert.deepEqual(friendsOf(s, kept.userIds.ids, '2'), ['4']);
  assert.deepEqual(friendsOf(s, kept.userIds.ids, '4'), ['2']);
  assert.deepEqual(friendsOf(s, kept.userIds.ids, '9'), []);
});
