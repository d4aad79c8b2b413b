/**
 * What killed processes leave in a runs folder (temp files of atomic writes, half-made run
 * folders) is removed when the folder is opened again, never what a live process is writing;
 * a run id that is taken gets a fresh one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tempTag } from '../../../src/util/atomic.js';
import { FILES } from '../../../src/runs/format.js';
import { listRuns, readRun, RunWriter } from '../../../src/runs/store.js';
import { deadPid, testMeta, tmpFolder } from './helpers.js';

const tmp = tmpFolder;
const meta = testMeta;

/** A temp tag as `pid` on this host would write it. */
const tagOf = (pid: number) => tempTag().replace(/^\d+/, String(pid));

test("temp files of dead writers are removed when a run is reopened; a live writer's and another host's stay", () => {
  const w = RunWriter.create(tmp(), meta('r1'), 2);
  w.fail('cancelled', 'stopped');
  const dead = deadPid();
  const stale = [
    `${FILES.status}.${tagOf(dead)}.tmp`,
    `${FILES.last}.${tagOf(dead)}.tmp`,
    // the form written before temp names carried a host
    `${FILES.status}.${dead}.0a1b2c3d.tmp`,
  ];
  const kept = [
    `${FILES.last}.${tempTag()}.tmp`, // this process: alive
    `${FILES.status}.${dead}.h00000000.0a1b2c3d.tmp`, // another host: its pid means nothing here
  ];
  for (const f of [...stale, ...kept]) writeFileSync(join(w.dir, f), 'partial');
  RunWriter.reopen(w.dir, 2, { epoch: 0 });
  const left = readdirSync(w.dir).filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(left.sort(), kept.sort());
});

test('half-made run folders and temp files of dead writers are removed when a run is created', () => {
  const root = tmp();
  const old = RunWriter.create(root, meta('old'), 1);
  const dead = deadPid();
  writeFileSync(join(old.dir, `${FILES.status}.${tagOf(dead)}.tmp`), 'partial');
  const abandoned = join(root, `.gone.${tagOf(dead)}.creating`);
  mkdirSync(abandoned);
  writeFileSync(join(abandoned, FILES.meta), '{}');
  // the form written before: `.<id>.creating`, its writer named by its status.json
  const legacy = join(root, '.legacy.creating');
  mkdirSync(legacy);
  writeFileSync(join(legacy, FILES.status), JSON.stringify({ pid: dead, host: hostname() }));
  const live = `.busy.${tempTag()}.creating`;
  mkdirSync(join(root, live));

  RunWriter.create(root, meta('new'), 1);
  assert.deepEqual(readdirSync(root).sort(), [live, 'new', 'old'].sort());
  assert.deepEqual(
    readdirSync(old.dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a run id that is taken gets a fresh one: no error, no half-made folder, both runs listed', () => {
  const root = tmp();
  const first = RunWriter.create(root, meta('20260101-000000-mf-abcd'), 1);
  const second = RunWriter.create(root, meta('20260101-000000-mf-abcd'), 1);
  assert.notEqual(second.meta.id, first.meta.id);
  assert.match(second.meta.id, /^\d{8}-\d{6}-mf-[0-9a-f]{4}$/);
  assert.equal(readRun(second.dir).meta?.id, second.meta.id);
  assert.deepEqual(
    listRuns(root)
      .map((r) => r.id)
      .sort(),
    [first.meta.id, second.meta.id].sort(),
  );
  assert.deepEqual(
    readdirSync(root).filter((f) => f.startsWith('.')),
    [],
  );
});
