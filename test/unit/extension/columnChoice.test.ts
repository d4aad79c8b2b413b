import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cols from '../../../extension/datasets/columnChoice.js';
import { isWorkerEvent } from '../../../extension/shared/messages.js';
import { describeDataset } from '../../../extension/worker/describe.js';
import { failureEvent } from '../../../extension/worker/failure.js';

test('an a,b,c CSV fails as data the host can ask about, and reads with the chosen columns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-cols-'));
  const file = join(dir, 'abc.csv');
  const rows = ['a,b,c', 'u1,i1,9', 'u1,i2,8', 'u2,i1,7', 'u3,i3,6'];
  writeFileSync(file, `${rows.join('\n')}\n`);
  const error = await describeDataset(`csv:${file}`).then(
    () => assert.fail('an a,b,c header must not be read as user and item'),
    (e: unknown) => e,
  );
  const event = failureEvent(error, false);
  assert.ok(isWorkerEvent(event), 'a valid worker message');
  assert.deepEqual(event.columns, { file, header: ['a', 'b', 'c'], roles: ['user', 'item'] });
  assert.match(event.message, /--user-col a --item-col b/);
  assert.equal(event.cancelled, false);

  // the user picks c for the users, a for the items (not the message's example)
  const roles = cols.rolesToAsk(event.columns);
  assert.deepEqual(roles, ['user', 'item']);
  const choice = { user: 'c', item: 'a' };
  const d = await describeDataset(`csv:${file}`, cols.withColumns(undefined, choice));
  const figures = new Map(d.figures.map(([label, value]) => [label, value]));
  assert.equal(figures.get('Users'), '4', [...figures].join('; '));
  assert.equal(figures.get('Items'), '3');
});

test('other failures carry no columns', () => {
  const e = failureEvent(new Error('boom'), true);
  assert.deepEqual(e, { type: 'failed', message: 'boom', cancelled: true });
});

test('the picks: one prompt per role, the header without the columns already chosen', () => {
  assert.equal(cols.rolePrompt('user'), 'Which column holds the user ids?');
  assert.equal(cols.rolePrompt('item'), 'Which column holds the item ids?');
  const header = ['a', 'b', 'c'];
  assert.deepEqual(
    cols.columnPickItems(header, {}).map((i) => [i.label, i.description]),
    [
      ['a', 'column 1 of 3'],
      ['b', 'column 2 of 3'],
      ['c', 'column 3 of 3'],
    ],
  );
  assert.deepEqual(
    cols.columnPickItems(header, { user: 'b' }).map((i) => i.column),
    ['a', 'c'],
  );
  // a session file's session column is not something an experiment's options can set
  assert.equal(cols.rolesToAsk({ file: 'f', header, roles: ['session'] }), undefined);
  assert.deepEqual(cols.rolesToAsk({ file: 'f', header, roles: ['item'] }), ['item']);
});

test('a remembered choice joins the options; columns the options name win', () => {
  assert.equal(cols.withColumns(undefined, undefined), undefined);
  assert.deepEqual(cols.withColumns({ keepDuplicates: true }, undefined), { keepDuplicates: true });
  assert.deepEqual(cols.withColumns(undefined, { user: 'a', item: 'b' }), {
    columns: { user: 'a', item: 'b' },
  });
  assert.deepEqual(
    cols.withColumns(
      { keepDuplicates: true, columns: { user: 'x', rating: null } },
      { user: 'a', item: 'b' },
    ),
    { keepDuplicates: true, columns: { user: 'x', item: 'b', rating: null } },
  );
});

test('choices are kept per file and found for specs reading it, or its folder', () => {
  let all = cols.withChoice({}, '/ws/data/abc.csv', { user: 'a' });
  all = cols.withChoice(all, '/ws/data/abc.csv', { item: 'b' });
  all = cols.withChoice(all, '/ws/rb/x.inter', { user: 's' });
  assert.deepEqual(all['/ws/data/abc.csv'], { user: 'a', item: 'b' });
  assert.deepEqual(cols.choiceFor(all, ['/ws/data/abc.csv']), { user: 'a', item: 'b' });
  assert.deepEqual(cols.choiceFor(all, ['/ws/rb']), { user: 's' }, 'recbole:<dir> reads x.inter');
  assert.equal(cols.choiceFor(all, ['/ws/data/other.csv']), undefined);
  assert.equal(cols.choiceFor(all, ['/ws/data/abc']), undefined, 'a prefix is not a folder');
  // the workspace state may hold anything an older version (or nothing) wrote
  assert.deepEqual(cols.parseChoices(undefined), {});
  assert.deepEqual(cols.parseChoices(['x']), {});
  assert.deepEqual(
    cols.parseChoices({ '/f': { user: 'a', item: 3, bogus: 'x' }, '/g': null, '/h': { item: 2 } }),
    { '/f': { user: 'a' } },
  );
});
