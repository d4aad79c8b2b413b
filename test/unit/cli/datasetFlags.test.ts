import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reclab } from './runCli.js';

/** Two users, four items, one repeated row; a header that names no column. */
function fixture(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-dsflags-'));
  const file = join(dir, 'clicks.csv');
  const rows = ['1,2,3', '4,5,6', '1,5,6', '4,2,1', '1,1,1', '4,4,1', '1,2,9', '1,7,1', '4,8,1'];
  writeFileSync(file, `a,b,c\n${rows.join('\n')}\n`);
  return { dir, file };
}

test('inspect: columns the header does not name are given by flags the error names', async () => {
  const { file } = fixture();
  const bad = await reclab(['inspect', file]);
  assert.equal(bad.code, 1);
  assert.deepEqual(bad.err, [
    `reclab: ${file}:1: expected a header naming the user and item columns (such as user_id, item_id; this header has a, b, c): name them with --user-col a --item-col b (in an experiment file: "datasetOptions": {"columns": {"user": "a", "item": "b"}})`,
  ]);
  const ok = await reclab(['inspect', file, '--user-col', 'a', '--item-col', '1', '--json']);
  assert.equal(ok.code, 0, ok.err.join('\n'));
  assert.equal(ok.json?.users, 2);
  // the repeated (1, 2) is merged, and said
  assert.equal(ok.json?.interactions, 8);
  assert.deepEqual(ok.json?.notes, [
    `${file}: 1 row repeats a (user, item) pair; left out, the earliest of each pair kept (--keep-duplicates keeps them)`,
  ]);
  const kept = await reclab([
    'inspect',
    file,
    '--user-col',
    'a',
    '--item-col',
    'b',
    '--json',
    '--keep-duplicates',
  ]);
  assert.equal(kept.json?.interactions, 9);
});

test('train: the dataset flags are recorded in run.json and what the loader changed is logged', async () => {
  const { dir, file } = fixture();
  const r = await reclab([
    'train',
    '--dataset',
    `csv:${file}`,
    '--user-col',
    'a',
    '--item-col',
    'b',
    '--model',
    'popularity',
    '-w',
    dir,
  ]);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.ok(
    r.err.some((l) => l.startsWith('[popularity] note: ') && l.includes('1 row repeats')),
    r.err.join('\n'),
  );
  const [id] = readdirSync(join(dir, '.reclab', 'runs'));
  const meta = JSON.parse(readFileSync(join(dir, '.reclab', 'runs', id, 'run.json'), 'utf8'));
  assert.deepEqual(meta.config.datasetOptions, { columns: { user: 'a', item: 'b' } });
});
