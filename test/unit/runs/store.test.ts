import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeArrays, encodeArrays, readArraysFile } from '../../../src/runs/arraysFile.js';
import { writeFileAtomic } from '../../../src/util/atomic.js';
import { FILES, type RunState } from '../../../src/runs/format.js';
import { findRun, listRuns, readRun, renameRun, RunWriter } from '../../../src/runs/store.js';
import { InputError } from '../../../src/util/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'reclab-runs-'));
const env = {
  reclab: '0',
  node: 'v20',
  platform: 'linux',
  cpus: 2,
  host: 'h',
  backend: 'js',
  threads: 1,
};
const meta = (id: string) => ({
  id,
  name: `n-${id}`,
  model: 'mf',
  dataset: 'demo',
  config: { model: 'mf' },
  env,
});

test('a run folder is written, appended and read back', () => {
  const root = tmp();
  const w = RunWriter.create(root, meta('r1'), 2);
  w.appendEpoch({ epoch: 1, loss: 0.5, seconds: 1 });
  w.appendEpoch({ epoch: 2, loss: 0.4, seconds: 1, metrics: { 'recall@20': 0.2 } });
  w.saveEmbeddings({ dim: 2, users: Float32Array.of(1, 2, 3, 4), items: Float32Array.of(5, 6) });
  w.finish({
    metrics: { 'recall@20': 0.3 },
    epochsRun: 2,
    stoppedEarly: false,
    seconds: 2,
    trainSeconds: 2,
    evalSeconds: 0,
  });
  const r = readRun(w.dir);
  assert.equal(r.state.status, 'done');
  assert.equal(r.history.length, 2);
  assert.equal(r.summary?.metrics['recall@20'], 0.3);
  assert.deepEqual(r.problems, []);
  const emb = readArraysFile(join(w.dir, FILES.embeddings));
  assert.deepEqual([...emb.arrays.users.data], [1, 2, 3, 4]);
  assert.deepEqual(emb.arrays.items.shape, [1, 2]);
  assert.equal(emb.meta.dim, 2);
  // no temp files are left behind
  assert.deepEqual(
    readdirSync(w.dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a torn last metrics line is skipped and reported, not fatal', () => {
  const root = tmp();
  const w = RunWriter.create(root, meta('r2'), 3);
  w.appendEpoch({ epoch: 1, loss: 0.5, seconds: 1 });
  appendFileSync(join(w.dir, FILES.metrics), '{"epoch":2,"lo');
  const r = readRun(w.dir);
  assert.equal(r.history.length, 1);
  assert.match(r.problems.join('\n'), /metrics\.jsonl:2: unreadable/);
});

test('a running run whose process is gone is shown as interrupted', () => {
  const root = tmp();
  const w = RunWriter.create(root, meta('r3'), 3);
  const dead = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.pid))',
  ]).stdout.toString();
  const st = JSON.parse(readFileSync(join(w.dir, FILES.status), 'utf8')) as RunState;
  writeFileSync(join(w.dir, FILES.status), JSON.stringify({ ...st, pid: Number(dead) }));
  assert.equal(readRun(w.dir).state.status, 'interrupted');
  // while this process lives, its own run is running
  writeFileSync(join(w.dir, FILES.status), JSON.stringify(st));
  assert.equal(readRun(w.dir).state.status, 'running');
});

test('broken folders never break the listing', () => {
  const root = tmp();
  RunWriter.create(root, meta('good'), 1);
  const bad = join(root, 'bad');
  writeFileSync(join(tmp(), 'x'), '');
  spawnSync('mkdir', [bad]);
  writeFileSync(join(bad, FILES.meta), '{ not json');
  const runs = listRuns(root);
  assert.equal(runs.length, 2);
  const b = runs.find((r) => r.id === 'bad');
  assert.ok(b && b.problems.length > 0 && b.state.status === 'interrupted');
});

test('runs are found by id, prefix or name, and renamed atomically', () => {
  const root = tmp();
  RunWriter.create(root, meta('20260101-000000-mf-aaaa'), 1);
  RunWriter.create(root, meta('20260101-000000-mf-bbbb'), 1);
  assert.equal(findRun(root, '20260101-000000-mf-a').id, '20260101-000000-mf-aaaa');
  assert.throws(() => findRun(root, '20260101'), /2 match/);
  assert.throws(() => findRun(root, 'nope'), InputError);
  renameRun(findRun(root, 'n-20260101-000000-mf-bbbb'), 'best');
  assert.equal(findRun(root, 'best').id, '20260101-000000-mf-bbbb');
});

test('arrays files reject truncation and wrong magic with the file named', () => {
  const bytes = encodeArrays(
    { a: { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) } },
    { note: 'x' },
  );
  const back = decodeArrays(bytes, 'f.bin');
  assert.deepEqual([...back.arrays.a.data], [1, 2, 3, 4, 5, 6]);
  assert.equal(back.meta.note, 'x');
  assert.throws(
    () => decodeArrays(bytes.subarray(0, bytes.length - 4), 'f.bin'),
    /f\.bin: expected .*bytes/,
  );
  assert.throws(
    () => decodeArrays(new Uint8Array(20), 'g.bin'),
    /g\.bin: expected a RecLab arrays file/,
  );
});

test('writeFileAtomic replaces the whole file', () => {
  const f = join(tmp(), 'x.json');
  writeFileAtomic(f, 'first version, long');
  writeFileAtomic(f, 'second');
  assert.equal(readFileSync(f, 'utf8'), 'second');
});
