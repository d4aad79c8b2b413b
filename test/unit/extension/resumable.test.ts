import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resumeBlocker } from '../../../extension/runs/resumable.js';
import { resumeDescription, runContextValue } from '../../../extension/views/runLabels.js';
import type { RunStatus } from '../../../src/runs/format.js';
import { fakeRun } from './fixtures.js';

const withCheckpoint = () => true;
const without = () => false;

test('cancelled, failed and interrupted runs with a last-epoch checkpoint can be resumed', () => {
  const blockers = (['cancelled', 'failed', 'interrupted', 'running', 'done'] as RunStatus[]).map(
    (status) => [status, resumeBlocker(fakeRun('a', { status }), withCheckpoint)],
  );
  assert.deepEqual(blockers, [
    ['cancelled', undefined],
    ['failed', undefined],
    ['interrupted', undefined],
    ['running', 'it is training'],
    ['done', 'it finished'],
  ]);
  assert.equal(
    resumeBlocker(fakeRun('a', { status: 'cancelled' }), without),
    'it has no last-epoch checkpoint (last.bin) to continue from',
  );
  const broken = { ...fakeRun('a', { status: 'interrupted' }), meta: undefined };
  assert.equal(resumeBlocker(broken, withCheckpoint), 'its run.json cannot be read');
});

test("the tree's contextValue shows Resume exactly where package.json's menus look for it", () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    contributes: {
      commands: { command: string; title: string }[];
      menus: Record<string, { command: string; when?: string; group?: string }[]>;
    };
  };
  const resume = pkg.contributes.menus['view/item/context'].filter(
    (m) => m.command === 'reclab.resumeRun',
  );
  assert.deepEqual(
    resume.map((m) => m.group),
    ['inline@0', '0_run@1'],
  );
  const shows = (when: string | undefined, contextValue: string): boolean => {
    const m = /viewItem =~ \/(.+)\/$/.exec(when ?? '');
    if (m) return new RegExp(m[1]).test(contextValue);
    const eq = /viewItem == (\S+)/.exec(when ?? '');
    return eq ? eq[1] === contextValue : true;
  };
  for (const status of ['cancelled', 'failed', 'interrupted'] as RunStatus[]) {
    const value = runContextValue(fakeRun('a', { status }), true);
    assert.equal(value, `reclab.run.${status}.resumable`);
    for (const m of resume) assert.ok(shows(m.when, value), `${value}: ${m.group}`);
    assert.ok(!shows(resume[0].when, runContextValue(fakeRun('a', { status }), false)));
  }
  // the other run actions still apply to resumable runs; the done-only ones still to done runs
  const showMetrics = pkg.contributes.menus['view/item/context'].find(
    (m) => m.command === 'reclab.showMetrics',
  );
  assert.ok(shows(showMetrics?.when, 'reclab.run.cancelled.resumable'));
  const embeddings = pkg.contributes.menus['view/item/context'].find(
    (m) => m.command === 'reclab.showEmbeddings',
  );
  assert.ok(shows(embeddings?.when, runContextValue(fakeRun('a', { status: 'done' }), false)));
  // a finished run with a relation assignment (VRKG4Rec): its chart, and every done-run action
  const relations = runContextValue(fakeRun('a', { status: 'done' }), false, true);
  assert.equal(relations, 'reclab.run.done.relations');
  const chart = pkg.contributes.menus['view/item/context'].find(
    (m) => m.command === 'reclab.showRelationAssignment',
  );
  assert.ok(shows(chart?.when, relations));
  assert.ok(!shows(chart?.when, runContextValue(fakeRun('a', { status: 'done' }), false)));
  for (const m of pkg.contributes.menus['view/item/context'])
    if (m.when?.includes('reclab\\.run\\.done') || m.when?.includes('reclab.run.done'))
      assert.ok(shows(m.when, relations), `${m.command} on a run with relations`);
  // a stopped run keeps its Resume suffix last even with the file
  assert.equal(
    runContextValue(fakeRun('a', { status: 'failed' }), true, true),
    'reclab.run.failed.resumable',
  );
  // and the palette has it (no commandPalette entry hides it)
  assert.equal(
    pkg.contributes.commands.find((c) => c.command === 'reclab.resumeRun')?.title,
    'Resume Run...',
  );
  assert.ok(!pkg.contributes.menus.commandPalette.some((m) => m.command === 'reclab.resumeRun'));
});

test('the Resume Run pick says where each run stopped, and why when it failed', () => {
  const history = [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 1, seconds: 1 }));
  assert.equal(
    resumeDescription(fakeRun('a', { status: 'cancelled', history })),
    'mf · cancelled after epoch 4 of 5',
  );
  assert.equal(
    resumeDescription(fakeRun('a', { status: 'failed', history, error: 'out of memory' })),
    'mf · failed after epoch 4 of 5: out of memory',
  );
});
