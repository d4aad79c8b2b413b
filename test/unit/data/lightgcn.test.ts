import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe } from '../../../src/data/describe.js';
import { loadLightGcnDir, loadLightGcnFiles } from '../../../src/data/loaders/lightgcn.js';
import { fixture, ints, rejectsInput, tempFile } from './helpers.js';

test('lightgcn: train/test files give ids as in the file and a given split', async () => {
  const ds = await loadLightGcnFiles(
    fixture('lightgcn', 'train.txt'),
    fixture('lightgcn', 'test.txt'),
  );
  // User 2 has no training items (an empty train line): its test row is left out and the
  // user with it. Item 6 is only in test.txt: kept, as in the LightGCN code.
  assert.equal(ds.interactions.nUsers, 3);
  assert.equal(ds.interactions.nItems, 7);
  assert.deepEqual(ds.userIds.ids, ['0', '1', '3']);
  assert.equal(ds.itemIds.index.get('6'), 6);
  const g = ds.given;
  assert.ok(g);
  assert.deepEqual(ints(g.train.users), [0, 0, 0, 1, 1, 2, 2, 2]);
  assert.deepEqual(ints(g.train.items), [0, 1, 2, 1, 3, 4, 0, 5]);
  assert.deepEqual(ints(g.test.users), [0, 1, 1, 2]);
  assert.deepEqual(ints(g.test.items), [3, 0, 2, 6]);
  assert.equal(g.train.nItems, 7);
  assert.equal(g.valid, undefined);
  assert.equal(ds.interactions.users.length, 12);
  const test = fixture('lightgcn', 'test.txt');
  assert.deepEqual(ds.notes, [
    `${test}: 1 row of 1 user without training interactions left out`,
    `${test}: 1 row of 1 item without training interactions kept, the items in the catalogue (as the LightGCN reference code does; unseenItems "drop" leaves them out)`,
  ]);
  const dropped = await loadLightGcnFiles(
    fixture('lightgcn', 'train.txt'),
    test,
    undefined,
    'lightgcn',
    { unseenItems: 'drop' },
  );
  assert.equal(dropped.interactions.nItems, 6);
  assert.deepEqual(ints(dropped.given?.test.items ?? []), [3, 0, 2]);
  assert.equal(
    dropped.notes?.[1],
    `${test}: 1 row of 1 item without training interactions left out (unseenItems "drop")`,
  );
});

test('lightgcn: folder load takes a disjoint valid.txt', async () => {
  const ds = await loadLightGcnDir(fixture('lightgcn'));
  assert.equal(ds.name, 'lightgcn');
  assert.deepEqual(ints(ds.given?.valid?.items ?? []), [4, 5]);
  assert.equal(ds.interactions.users.length, 14);
});

test('lightgcn: a valid.txt overlapping train.txt is left out with a note', async () => {
  const train = tempFile('train.txt', '0 1 2\n1 0\n');
  tempFile('test.txt', '0 0\n1 1\n');
  tempFile('valid.txt', '0 2\n');
  const ds = await loadLightGcnDir(train.replace(/train\.txt$/, ''));
  assert.equal(ds.given?.valid, undefined);
  assert.match(ds.notes?.[0] ?? '', /valid\.txt left out: 1 of its pairs/);
  assert.equal(ds.interactions.users.length, 5);
});

test('lightgcn: CRLF endings, tabs, trailing spaces and blank lines are fine', async () => {
  const f = tempFile('crlf.txt', '0\t0 2 \r\n\r\n1 1\r\n');
  const ds = await loadLightGcnFiles(f);
  assert.deepEqual(ints(ds.interactions.items), [0, 2, 1]);
  assert.equal(ds.given, undefined);
  assert.equal(ds.notes, undefined);
});

test(
  "lightgcn: a huge id costs what the file costs: ids numbered densely, the file's kept",
  { timeout: 20000 },
  async () => {
    // 60 users 0..59 with 7-10 items among 0..39; line 11 is user 2147483646 instead of 10.
    const lines = Array.from({ length: 60 }, (_, u) =>
      [
        u === 10 ? 2147483646 : u,
        ...Array.from({ length: 7 + (u % 4) }, (_, j) => (u * 7 + j * 3) % 40),
      ].join(' '),
    );
    lines[10] = '2147483646 5 7';
    const text = `${lines.join('\n')}\n`;
    assert.ok(text.length > 1200 && text.length < 2000, `${text.length} bytes`);
    const f = tempFile('huge-id.txt', text);
    const t0 = performance.now();
    const ds = await loadLightGcnFiles(f);
    const d = describe(ds);
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
    assert.equal(ds.interactions.nUsers, 60);
    assert.equal(ds.interactions.nItems, 40);
    assert.equal(d.users, 60);
    // ids in id order: 0..9, 11..59, then the huge one last
    assert.equal(ds.userIds.ids[59], '2147483646');
    assert.equal(ds.userIds.ids[10], '11');
    const x = ds.interactions;
    const huge = ints(x.items).filter((_, k) => x.users[k] === 59);
    assert.deepEqual(huge, [5, 7]);
    assert.deepEqual(ds.notes, [
      "user ids are not 0..n-1 (60 users, largest id 2,147,483,646): numbered densely in id order inside, the file's ids kept for output",
    ]);
    // A small gap takes the lookup-table path: items 0, 1 and 5 become 0, 1, 2.
    const gap = await loadLightGcnFiles(tempFile('gap.txt', '0 0 5\n1 1 5\n'));
    assert.deepEqual(gap.itemIds.ids, ['0', '1', '5']);
    assert.deepEqual(ints(gap.interactions.items), [0, 2, 1, 2]);
    assert.deepEqual(gap.userIds.ids, ['0', '1']);
  },
);

test('lightgcn: bad input names file and line', async () => {
  const bad = tempFile('bad.txt', '0 1 2\n1 2 x3\n');
  await rejectsInput(loadLightGcnFiles(bad), bad, 2, /non-negative integer ids.*found "x3"/);
  const neg = tempFile('neg.txt', '0 1\n\n2 -1\n');
  await rejectsInput(loadLightGcnFiles(neg), neg, 3);
  const float = tempFile('float.txt', '0 1.5\n');
  await rejectsInput(loadLightGcnFiles(float), float, 1);
  const blank = tempFile('blank.txt', '\n  \n');
  await rejectsInput(loadLightGcnFiles(blank), blank, undefined, /no data lines/);
  const missing = fixture('lightgcn', 'nope.txt');
  await rejectsInput(
    loadLightGcnFiles(fixture('lightgcn', 'train.txt'), missing),
    missing,
    undefined,
    /existing/,
  );
});
