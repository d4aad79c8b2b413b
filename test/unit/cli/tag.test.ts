import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SMALL_DEMO, tmpFolder } from '../runs/helpers.js';
import { reclab } from './runCli.js';

const ws = tmpFolder();

/** two runs of other dims: two rows of the table, not one folded row */
async function train(dim: number, name: string): Promise<string> {
  const r = await reclab(
    [
      'train',
      '-w',
      ws,
      '--dataset',
      SMALL_DEMO,
      '--model',
      'mf',
      '--name',
      name,
      '--dim',
      `${dim}`,
    ].concat('--epochs 1 --eval-every 1 --threads 1 --json'.split(' ')),
  );
  assert.equal(r.code, 0, r.err.join('\n'));
  return r.json?.run as string;
}

const ready = (async () => ({ a: await train(8, 'mf-a'), b: await train(16, 'mf-b') }))();

test('reclab tag adds and removes tags; compare shows them in the table, CSV and Markdown', async () => {
  const { a } = await ready;
  const added = await reclab(['tag', 'mf-a', 'baseline', 'paper', '-w', ws, '--json']);
  assert.equal(added.code, 0, added.err.join('\n'));
  assert.equal(added.out[0], 'mf-a: tags baseline, paper');
  assert.deepEqual(added.json, { run: a, name: 'mf-a', tags: ['baseline', 'paper'] });
  const shown = await reclab(['tag', a, '-w', ws]);
  assert.equal(shown.out[0], 'mf-a: tags baseline, paper');

  const table = await reclab(['compare', '-w', ws]);
  const header = table.out.find((l) => l.startsWith('run '));
  assert.match(header ?? '', /\btags\b/);
  assert.match(table.out.find((l) => l.startsWith('mf-a')) ?? '', /baseline, paper/);

  const csv = await reclab(['compare', '--format', 'csv', '-w', ws]);
  const cols = csv.out[0].split(',');
  const row = csv.out.find((l) => l.includes(',mf-a,')) ?? '';
  assert.ok(cols.includes('tags'));
  assert.match(row, /,"baseline, paper",/);

  const md = await reclab(['compare', '--format', 'md', '-w', ws]);
  assert.match(md.out.find((l) => l.startsWith('| run')) ?? '', /\| tags \|/);
  assert.match(md.out.find((l) => l.startsWith('| mf-a')) ?? '', /\| baseline, paper \|/);

  const only = await reclab(['compare', '--tag', 'paper', '--json', '-w', ws]);
  assert.equal(only.code, 0, only.err.join('\n'));
  const groups = only.json?.groups as Array<{ rows: Array<{ name: string; tags: string[] }> }>;
  assert.deepEqual(
    groups.flatMap((g) => g.rows.map((r) => [r.name, r.tags])),
    [['mf-a', ['baseline', 'paper']]],
  );

  const removed = await reclab(['tag', 'mf-a', 'paper', '--remove', '-w', ws]);
  assert.equal(removed.out[0], 'mf-a: tags baseline');
});

test('reclab tag refuses an empty tag, a comma and a tag the run lacks, saying what it expected', async () => {
  await ready;
  const empty = await reclab(['tag', 'mf-b', '', '-w', ws]);
  assert.notEqual(empty.code, 0);
  assert.match(
    empty.err.join('\n'),
    /reclab tag: expected a tag: 1 to 40 characters, no comma, no line break \(found ""\)/,
  );
  const comma = await reclab(['tag', 'mf-b', 'a,b', '-w', ws]);
  assert.match(comma.err.join('\n'), /reclab tag: expected a tag.*\(found "a,b"\)/);
  const missing = await reclab(['tag', 'mf-b', 'paper', '--remove', '-w', ws]);
  assert.match(missing.err.join('\n'), /expected a tag of run mf-b, which has none/);
  const nothing = await reclab(['compare', '--tag', 'nope', '-w', ws]);
  assert.notEqual(nothing.code, 0);
  assert.match(
    nothing.err.join('\n'),
    /expected saved runs with this tag .*\(found "--tag nope"\)/,
  );
  assert.equal((await reclab(['tag', 'mf-b', '-w', ws])).out[0], 'mf-b: no tags');
});
