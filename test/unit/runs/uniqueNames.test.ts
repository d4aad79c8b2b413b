import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { RUNS_DIR } from '../../../src/runs/format.js';
import { findRun, listRuns, uniqueRunName } from '../../../src/runs/store.js';
import { smallExperiment, tmpFolder } from './helpers.js';

test('a taken name gets the first free -2, -3 suffix', () => {
  assert.equal(uniqueRunName('mf-ml1m', new Set()), 'mf-ml1m');
  assert.equal(uniqueRunName('mf-ml1m', new Set(['mf-ml1m'])), 'mf-ml1m-2');
  assert.equal(uniqueRunName('mf-ml1m', new Set(['mf-ml1m', 'mf-ml1m-2'])), 'mf-ml1m-3');
  assert.equal(uniqueRunName('mf-ml1m', new Set(['mf-ml1m', 'mf-ml1m-3'])), 'mf-ml1m-2');
});

test('three runs of one experiment get three names, each finding its own run', async () => {
  const ws = tmpFolder();
  const logs: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await runExperiment(
      { ...smallExperiment, epochs: 1 },
      { workspace: ws, log: (m) => logs.push(m) },
    );
    ids.push(r.id);
  }
  const root = join(ws, RUNS_DIR);
  const names = listRuns(root).map((r) => r.meta?.name);
  assert.deepEqual(names.sort(), ['mf-demo', 'mf-demo-2', 'mf-demo-3']);
  assert.equal(findRun(root, 'mf-demo-2').id, ids[1]);
  assert.equal(findRun(root, 'mf-demo').id, ids[0]);
  assert.ok(logs.some((l) => l.includes('a run named mf-demo exists: this one is mf-demo-3')));
});
