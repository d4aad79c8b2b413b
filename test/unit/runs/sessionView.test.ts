import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateSplitNextItem } from '../../../src/runs/protocol.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import {
  openNextItemRun,
  sessionList,
  showSession,
  topIndices,
} from '../../../src/runs/sessionView.js';
import { readRun } from '../../../src/runs/store.js';
import { InputError } from '../../../src/util/errors.js';
import { sessionLogFixture } from '../cli/sessionFixture.js';

const ws = mkdtempSync(join(tmpdir(), 'reclab-session-view-'));
const file = join(ws, 'views.csv');
writeFileSync(file, sessionLogFixture());

test('topIndices: best first, ties to the lower index', () => {
  assert.deepEqual(topIndices([0.1, 0.5, 0.5, -1, 0.7], 3), [4, 1, 2]);
  assert.deepEqual(topIndices([1, 2], 5), [1, 0]);
});

test('a saved gru4rec run shows a session in order and its next items, with the tested weights', async () => {
  const r = await runExperiment(
    { dataset: `sessions:${file}`, model: 'gru4rec', epochs: 3, ks: [3], metric: 'mrr@3' },
    { workspace: ws },
  );
  const run = await openNextItemRun(readRun(r.dir as string));
  try {
    // the restored model scores the test cases as the run did
    const again = await evaluateSplitNextItem(run.model, run.split, 'test', [3], Infinity);
    assert.deepEqual(again.metrics, r.summary.metrics);
    const list = sessionList(run);
    assert.equal(list.length, 30);
    assert.deepEqual(list[0], { id: '0', index: 0, events: 3, part: 'train' });
    assert.equal(list.filter((s) => s.part === 'test').length, 14);
    // session 17: items 5, 0, 1 by timeframe (the file lists them reversed; "rare17" dropped)
    const v = await showSession(run, '17', 4);
    assert.equal(v.part, 'test');
    assert.deepEqual(
      v.items.map((x) => x.item),
      ['5', '0', '1'],
    );
    assert.equal(v.next.length, 4);
    assert.equal(new Set(v.next.map((x) => x.item)).size, 4);
    for (let j = 1; j < v.next.length; j++) assert.ok(v.next[j - 1].score >= v.next[j].score);
    assert.equal(v.from, 'last.bin');
    await assert.rejects(showSession(run, '#99', 4), InputError);
  } finally {
    await run.model.dispose?.();
  }
});

test('a run of a user-item model is refused', async () => {
  const r = await runExperiment(
    { dataset: 'demo:users=30,items=20', model: 'popularity', ks: [5], metric: 'recall@5' },
    { workspace: ws },
  );
  await assert.rejects(openNextItemRun(readRun(r.dir as string)), /a run of a next-item model/);
});
