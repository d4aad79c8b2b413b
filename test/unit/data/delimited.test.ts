import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDelimitedFiles } from '../../../src/data/loaders/delimited.js';
import { loadMovieLens, sniffMovieLens } from '../../../src/data/loaders/movielens.js';
import { sniffLayout, WHITESPACE } from '../../../src/data/loaders/sniff.js';
import { fixture, ints, rejectsInput, tempFile } from './helpers.js';

test('sniffing: delimiter and header from the first lines', async () => {
  const cases: [string, string, boolean][] = [
    [fixture('movielens', 'u.data'), '\t', false],
    [fixture('movielens', 'ratings.dat'), '::', false],
    [fixture('movielens', 'ratings.csv'), ',', true],
    [fixture('delimited', 'quoted.csv'), ',', true],
    [fixture('delimited', 'spaces.txt'), WHITESPACE, false],
    [fixture('delimited', 'semicolon.csv'), ';', true],
  ];
  for (const [file, delimiter, header] of cases) {
    const l = await sniffLayout(file);
    assert.equal(l.delimiter, delimiter, file);
    assert.equal(l.header, header, file);
  }
});

test('movielens presets: u.data, ratings.dat, ratings.csv', async () => {
  assert.equal(await sniffMovieLens(fixture('movielens', 'ratings.dat')), 'ratings.dat');
  const u = await loadMovieLens({ train: fixture('movielens', 'u.data') });
  assert.deepEqual(u.userIds.ids, ['196', '186', '22', '244']);
  assert.deepEqual(u.itemIds.ids, ['242', '302', '377', '51']);
  assert.deepEqual(ints(u.interactions.users), [0, 1, 2, 0, 3]);
  assert.deepEqual(ints(u.interactions.items), [0, 1, 2, 1, 3]);
  assert.deepEqual(ints(u.interactions.ratings ?? []), [3, 3, 1, 5, 2]);
  assert.equal(u.interactions.timestamps?.[0], 881250949);
  const dat = await loadMovieLens({ train: fixture('movielens', 'ratings.dat') });
  assert.equal(dat.interactions.nUsers, 3);
  assert.equal(dat.interactions.nItems, 3);
  assert.deepEqual(ints(dat.interactions.ratings ?? []), [5, 3, 4, 3]);
  const csv = await loadMovieLens({ train: fixture('movielens', 'ratings.csv') });
  assert.deepEqual(csv.itemIds.ids, ['1', '3', '6']);
  assert.equal(csv.interactions.ratings?.[2], 2.5);
  assert.equal(csv.interactions.timestamps?.[2], 1445714835);
  assert.equal(csv.name, 'movielens-ratings');
});

test('delimited: quoted CSV fields, ISO dates, header names in any order', async () => {
  const ds = await loadDelimitedFiles({ train: fixture('delimited', 'quoted.csv') });
  assert.deepEqual(ds.userIds.ids, ['alice', 'bob', 'carol "c"']);
  assert.deepEqual(ds.itemIds.ids, ['The Matrix, Reloaded', 'Heat']);
  assert.deepEqual(ints(ds.interactions.items), [0, 1, 1, 1]);
  assert.deepEqual(Array.from(ds.interactions.ratings ?? []), [4.5, 3, 5, 2]);
  assert.deepEqual(Array.from(ds.interactions.timestamps ?? []), [
    Date.UTC(2020, 0, 2, 10) / 1000,
    Date.UTC(2020, 0, 3, 8, 30) / 1000,
    1578000000,
    1578100000,
  ]);
  const semi = await loadDelimitedFiles({ train: fixture('delimited', 'semicolon.csv') });
  assert.deepEqual(semi.userIds.ids, ['x', 'y']);
  assert.deepEqual(semi.itemIds.ids, ['a', 'b']);
  assert.deepEqual(Array.from(semi.interactions.ratings ?? []), [5, 3, 4]);
});

test('delimited: runs of spaces and tabs, two columns, no header', async () => {
  const ds = await loadDelimitedFiles({ train: fixture('delimited', 'spaces.txt') });
  assert.deepEqual(ds.userIds.ids, ['u1', 'u2', 'u3']);
  assert.deepEqual(ints(ds.interactions.items), [0, 1, 0, 2]);
  assert.equal(ds.interactions.ratings, undefined);
  assert.equal(ds.interactions.timestamps, undefined);
});

test('delimited: column mapping by name and by index, optional columns off', async () => {
  const byName = await loadDelimitedFiles(
    { train: fixture('delimited', 'semicolon.csv') },
    { columns: { user: 'item', item: 'user', rating: null } },
  );
  assert.deepEqual(byName.userIds.ids, ['a', 'b']);
  assert.equal(byName.interactions.ratings, undefined);
  const byIndex = await loadDelimitedFiles(
    { train: fixture('movielens', 'u.data') },
    { columns: { user: 1, item: 0, timestamp: null } },
  );
  assert.deepEqual(byIndex.userIds.ids, ['242', '302', '377', '51']);
  assert.ok(byIndex.interactions.ratings);
  assert.equal(byIndex.interactions.timestamps, undefined);
  const forced = await loadDelimitedFiles(
    { train: fixture('movielens', 'u.data') },
    { delimiter: '\t', header: true, columns: { user: 0, item: 1 } },
  );
  assert.equal(forced.interactions.users.length, 4);
});

test('delimited: given train/test files share ids; unseen test users and items are left out and counted', async () => {
  const train = tempFile('tr.csv', 'user,item\na,x\nb,y\n');
  const test1 = tempFile('te.csv', 'user,item\na,y\nb,z\nc,x\nc,w\n');
  const ds = await loadDelimitedFiles({ train, test: test1 });
  assert.deepEqual(ds.userIds.ids, ['a', 'b']);
  assert.deepEqual(ds.itemIds.ids, ['x', 'y']);
  assert.deepEqual(ints(ds.given?.test.users ?? []), [0]);
  assert.deepEqual(ints(ds.given?.test.items ?? []), [1]);
  assert.deepEqual(ds.notes, [
    `${test1}: 2 rows of 1 user without training interactions left out`,
    `${test1}: 1 row of 1 item without training interactions left out (a model cannot rank an item it never saw; unseenItems "keep" keeps them)`,
  ]);
  const kept = await loadDelimitedFiles({ train, test: test1 }, { unseenItems: 'keep' });
  assert.deepEqual(kept.userIds.ids, ['a', 'b']);
  assert.deepEqual(kept.itemIds.ids, ['x', 'y', 'z']);
  assert.equal(kept.given?.train.nItems, 3);
  assert.deepEqual(ints(kept.given?.test.items ?? []), [1, 2]);
  assert.equal(kept.interactions.users.length, 4);
  assert.equal(
    kept.notes?.[1],
    `${test1}: 1 row of 1 item without training interactions kept, the items in the catalogue (unseenItems "keep")`,
  );
});

test('delimited: repeated pairs of implicit feedback: the earliest kept and counted, or all kept on request', async () => {
  // 6 rows, 3 distinct pairs: (u1, a) at t=10, 30, 20 keeps t=10; (u2, b) at t=5 then t=1
  // keeps the later-listed t=1 row (earliest in time, not in the file)
  const f = tempFile(
    'dup.csv',
    'user,item,timestamp\nu1,a,10\nu2,b,5\nu1,a,30\nu2,c,7\nu1,a,20\nu2,b,1\n',
  );
  const ds = await loadDelimitedFiles({ train: f });
  assert.equal(ds.interactions.users.length, 3);
  assert.deepEqual(ints(ds.interactions.items), [0, 2, 1]);
  assert.deepEqual(Array.from(ds.interactions.timestamps ?? []), [10, 7, 1]);
  assert.deepEqual(ds.notes, [
    `${f}: 3 rows repeat a (user, item) pair; left out, the earliest of each pair kept (--keep-duplicates keeps them)`,
  ]);
  const all = await loadDelimitedFiles({ train: f }, { keepDuplicates: true });
  assert.equal(all.interactions.users.length, 6);
  assert.deepEqual(all.notes, [`${f}: 3 rows repeat a (user, item) pair; kept (keepDuplicates)`]);
  // with ratings (explicit feedback) repeats are information: kept, and said
  const rated = tempFile('rated.csv', 'user,item,rating\nu1,a,2\nu1,a,5\n');
  const r = await loadDelimitedFiles({ train: rated });
  assert.equal(r.interactions.users.length, 2);
  assert.deepEqual(r.notes, [
    `${rated}: 1 row repeats a (user, item) pair; kept, as they carry ratings (preprocessing step dedupe keeps the latest)`,
  ]);
});

test('delimited: bad rows name file, line, text and what was expected', async () => {
  const cols = tempFile('cols.csv', 'user,item,rating\n1,2,3\n1,2\n');
  await rejectsInput(
    loadDelimitedFiles({ train: cols }),
    cols,
    3,
    /3 columns separated by ",", found 2/,
  );
  const rating = tempFile('rating.tsv', '1\t2\t4\n1\t3\tfive\n');
  await rejectsInput(
    loadDelimitedFiles({ train: rating }),
    rating,
    2,
    /number in the rating column 2.*found "five"/,
  );
  const emptyRating = tempFile('er.csv', 'user,item,rating\n1,2,\n');
  await rejectsInput(
    loadDelimitedFiles({ train: emptyRating }),
    emptyRating,
    2,
    /rating column "rating"/,
  );
  const time = tempFile('time.csv', 'user,item,timestamp\n1,2,100\n\n1,3,yesterday\n');
  await rejectsInput(
    loadDelimitedFiles({ train: time }),
    time,
    4,
    /timestamp column "timestamp".*"yesterday"/,
  );
  const name = tempFile('name.csv', 'user,item\n1,2\n');
  await rejectsInput(
    loadDelimitedFiles({ train: name }, { columns: { rating: 'stars' } }),
    name,
    1,
    /rating column named "stars" \(columns: user, item\)/,
  );
  await rejectsInput(
    loadDelimitedFiles({ train: fixture('movielens', 'u.data') }, { columns: { user: 'userId' } }),
    fixture('movielens', 'u.data'),
    1,
    /no header/,
  );
  await rejectsInput(
    loadDelimitedFiles({ train: fixture('movielens', 'u.data') }, { columns: { item: 7 } }),
    fixture('movielens', 'u.data'),
    1,
    /index 7, in rows of 4 columns/,
  );
  const headerOnly = tempFile('h.csv', 'user,item,rating\n');
  await rejectsInput(
    loadDelimitedFiles({ train: headerOnly }),
    headerOnly,
    undefined,
    /at least one data row/,
  );
  const quote = tempFile('q.csv', 'user,item\n1,"2\n3,4\n');
  // the quote opens on line 2 and is never closed: line 2 is named, not the file's end
  await rejectsInput(loadDelimitedFiles({ train: quote }), quote, 2, /closed by a "/);
  const oneColumn = tempFile('one.txt', 'abc\ndef\n');
  await rejectsInput(loadDelimitedFiles({ train: oneColumn }), oneColumn, 1, /delimited columns/);
  const emptyId = tempFile('eid.csv', 'user,item\n1,2\n,3\n');
  await rejectsInput(
    loadDelimitedFiles({ train: emptyId }),
    emptyId,
    3,
    /user id in column "user", found it empty/,
  );
});
