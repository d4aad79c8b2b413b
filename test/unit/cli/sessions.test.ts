/**
 * `reclab train --dataset sessions:<file>`: a session log trains and evaluates with the
 * next-item protocol on SR-GNN's split; `--split loo` with gru4rec on user-item data follows
 * RecBole's sequential protocol; bad input is refused naming file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reclab } from './runCli.js';
import { sessionLogFixture } from './sessionFixture.js';

const ws = mkdtempSync(join(tmpdir(), 'reclab-sessions-'));
const write = (name: string, text: string): string => {
  const p = join(ws, name);
  writeFileSync(p, text);
  return p;
};

const ARGS = ['--model', 'gru4rec', '--epochs', '2', '--ks', '3', '--metric', 'recall@3'];

test('sessions:<file> trains gru4rec on the SR-GNN split and reports next-item metrics', async () => {
  const file = write('views.csv', sessionLogFixture());
  const r = await reclab([
    'train',
    '--dataset',
    `sessions:${file}`,
    ...ARGS,
    '--no-save',
    '--json',
  ]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const log = r.err.join('\n');
  assert.match(log, /16 training sessions \(48 events\), 14 test sessions \(42 events\)/);
  assert.match(log, /6 items; 1 sessions and 31 events dropped/);
  assert.match(log, /evaluation: next-item/);
  const j = r.json ?? {};
  for (const key of ['recall@3', 'mrr@3']) {
    const v = j[key] as number;
    assert.ok(v >= 0 && v <= 1, `${key} ${v}`);
  }
  // the next-item evaluator's metrics, not the user-item evaluator's
  assert.equal(j['ndcg@3'], undefined);
  assert.ok((j['mrr@3'] as number) <= (j['recall@3'] as number));
});

test('reclab eval scores a saved session run by the next-item protocol again', async () => {
  const file = write('views3.csv', sessionLogFixture());
  const t = await reclab(['train', '--dataset', `sessions:${file}`, ...ARGS, '-w', ws, '--json']);
  assert.equal(t.code, 0, t.err.join('\n'));
  const e = await reclab(['eval', String(t.json?.run), '-w', ws, '--json']);
  assert.equal(e.code, 0, e.err.join('\n'));
  // 14 test sessions of 3 events: 2 cases each
  assert.equal(e.json?.cases, 28);
  assert.equal(e.json?.['mrr@3'], t.json?.['mrr@3']);
  assert.equal(e.json?.['recall@3'], t.json?.['recall@3']);
});

test('an experiment file names a session dataset the same way', async () => {
  const file = write('views2.csv', sessionLogFixture());
  const exp = write(
    'sessions.reclab.json',
    JSON.stringify({
      dataset: `sessions:${file}`,
      model: 'gru4rec',
      epochs: 1,
      ks: [3],
      metric: 'mrr@3',
    }),
  );
  const r = await reclab(['train', exp, '--no-save', '--json']);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.equal(typeof r.json?.['mrr@3'], 'number');
});

test('bad session input is refused naming the file, the line and what was expected', async () => {
  const noSession = write('nosession.csv', 'visit;item_id;eventdate\n1;2;2016-05-01\n');
  const noTime = write('notime.csv', 'session_id;item_id\n1;2\n1;3\n');
  const badRow = write('badrow.csv', 'session_id;item_id;eventdate\n1;2;2016-05-01\n1;3\n');
  const good = write('good.csv', sessionLogFixture());
  const cases: [string[], RegExp][] = [
    [['--dataset', `sessions:${noSession}`, ...ARGS], /nosession\.csv:1: expected .*session/],
    [['--dataset', `sessions:${noTime}`, ...ARGS], /notime\.csv:1: expected a timestamp column/],
    [['--dataset', `sessions:${badRow}`, ...ARGS], /badrow\.csv:3: expected 3 columns/],
    [
      ['--dataset', `sessions:${good}`, '--model', 'mf', '--epochs', '1'],
      /expected a next-item model for a session dataset .*gru4rec \(found "model mf"\)/,
    ],
    [
      ['--dataset', `sessions:${good}`, ...ARGS, '--split', 'ratio:0.8,0.2'],
      /expected the given split for a session dataset/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = await reclab(['train', ...args, '--no-save']);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err.join('\n'), re);
  }
});

test('--split loo with gru4rec follows the sequential protocol; other models keep full ranking', async () => {
  const demo = 'demo:users=60,items=40,seed=3';
  const gru = await reclab([
    'train',
    '--dataset',
    demo,
    ...ARGS,
    '--split',
    'loo',
    '--no-save',
    '--json',
  ]);
  assert.equal(gru.code, 0, gru.err.join('\n'));
  assert.match(gru.err.join('\n'), /RecBole's sequential protocol/);
  assert.equal(typeof gru.json?.['mrr@3'], 'number');
  const mf = await reclab([
    'train',
    '--dataset',
    demo,
    '--model',
    'mf',
    '--epochs',
    '1',
    '--ks',
    '3',
    '--metric',
    'recall@3',
    '--split',
    'loo',
    '--no-save',
    '--json',
  ]);
  assert.equal(mf.code, 0, mf.err.join('\n'));
  assert.equal(typeof mf.json?.['ndcg@3'], 'number');
});
