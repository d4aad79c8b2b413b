import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../../../src/runs/format.js';
import { findRun, readRun, renameRun, RunWriter } from '../../../src/runs/store.js';
import { checkTag, parseTagList, runTags, tagRun } from '../../../src/runs/tags.js';
import { InputError } from '../../../src/util/errors.js';
import { testMeta, tmpFolder } from './helpers.js';

function savedRun(root: string, id = '20260101-000000-mf-aaaa') {
  RunWriter.create(root, { ...testMeta(id), name: 'mf-demo', config: { model: 'mf', seed: 1 } }, 1);
  return findRun(root, id);
}

test('tags are added in order, deduplicated, removed, and kept in run.json with the rest', () => {
  const root = tmpFolder();
  const run = savedRun(root);
  assert.deepEqual(tagRun(run, { add: [' baseline ', 'paper', 'baseline'] }, 'cli'), [
    'baseline',
    'paper',
  ]);
  const meta = JSON.parse(readFileSync(join(run.dir, FILES.meta), 'utf8'));
  assert.deepEqual(meta.tags, ['baseline', 'paper']);
  assert.equal(meta.name, 'mf-demo');
  assert.deepEqual(meta.config, { model: 'mf', seed: 1 });
  assert.deepEqual(tagRun(run, { remove: ['baseline'] }, 'cli'), ['paper']);
  assert.deepEqual(tagRun(run, { remove: ['paper'] }, 'cli'), []);
  // no tags left: no empty list in the file
  assert.equal('tags' in JSON.parse(readFileSync(join(run.dir, FILES.meta), 'utf8')), false);
  // only run.json and the run's own files: no temp file left behind
  assert.ok(readdirSync(run.dir).every((f) => !f.endsWith('.tmp')));
});

test('a tag reads the run as it is now: a rename since the run was listed is kept', () => {
  const root = tmpFolder();
  const listed = savedRun(root);
  renameRun(listed, 'renamed');
  tagRun(listed, { add: ['paper'] }, 'cli');
  const now = readRun(listed.dir).meta;
  assert.equal(now?.name, 'renamed');
  assert.deepEqual(now?.tags, ['paper']);
});

test('an empty, comma-holding or overlong tag is refused before anything is written', () => {
  const root = tmpFolder();
  const run = savedRun(root);
  const before = readFileSync(join(run.dir, FILES.meta), 'utf8');
  for (const bad of ['', '   ', 'a,b', 'x'.repeat(41), 'two\nlines'])
    assert.throws(
      () => tagRun(run, { add: ['ok', bad] }, 'reclab tag'),
      (e: unknown) =>
        e instanceof InputError &&
        /^reclab tag: expected a tag: 1 to 40 characters, no comma, no line break/.test(e.message),
    );
  assert.equal(readFileSync(join(run.dir, FILES.meta), 'utf8'), before);
  assert.throws(
    () => tagRun(run, { remove: ['paper'] }, 'reclab tag --remove'),
    /reclab tag --remove: expected a tag of run mf-demo, which has none \(found "paper"\)/,
  );
  tagRun(run, { add: ['baseline'] }, 'cli');
  assert.throws(
    () => tagRun(run, { remove: ['paper'] }, 'cli'),
    /expected a tag of run mf-demo: baseline/,
  );
});

test('a comma-separated list is split and each part checked; saved junk is ignored', () => {
  assert.deepEqual(parseTagList('baseline, paper ', 'box'), ['baseline', 'paper']);
  assert.throws(() => parseTagList('', 'box'), /box: expected a tag/);
  assert.throws(() => parseTagList('a,,b', 'box'), /box: expected a tag/);
  assert.equal(checkTag(' ok ', 'x'), 'ok');
  const meta = { tags: ['a', 3, '', 'b,c', 'a'] } as unknown as Parameters<typeof runTags>[0];
  assert.deepEqual(runTags(meta), ['a']);
});

test('a tagging process killed mid-write never leaves run.json unreadable', async () => {
  const root = tmpFolder();
  const run = savedRun(root);
  for (let k = 0; k < 4; k++) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'tagLoop.ts'), run.dir],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), 50 + 40 * k));
      child.on('error', reject);
      child.on('exit', () => resolve());
    });
    const meta = JSON.parse(readFileSync(join(run.dir, FILES.meta), 'utf8'));
    assert.equal(meta.name, 'mf-demo');
    assert.ok(Array.isArray(meta.tags));
  }
});
