import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWorkerEvent, isWorkerRequest } from '../../../extension/shared/messages.js';
import { sessionOfRun, sessionsOfRun } from '../../../extension/worker/runJobs.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { sessionLogFixture } from '../cli/sessionFixture.js';

test("the worker's session jobs: a run's sessions, then one session and its next items", async () => {
  const ws = mkdtempSync(join(tmpdir(), 'reclab-session-job-'));
  const file = join(ws, 'views.csv');
  writeFileSync(file, sessionLogFixture());
  const r = await runExperiment(
    { dataset: `sessions:${file}`, model: 'gru4rec', epochs: 1, ks: [3], metric: 'mrr@3' },
    { workspace: ws },
  );
  const runDir = r.dir as string;
  assert.ok(isWorkerRequest({ type: 'sessions', runDir }));
  assert.ok(isWorkerRequest({ type: 'session', runDir, session: '#3', k: 5 }));
  assert.ok(!isWorkerRequest({ type: 'session', runDir, k: 5 }));
  const sessions = await sessionsOfRun(runDir);
  assert.equal(sessions.length, 30);
  const pick = sessions.find((x) => x.id === '20');
  assert.ok(pick);
  const view = await sessionOfRun(runDir, `#${pick.index}`, 5);
  assert.equal(view.session, '20');
  // session 20: items 2, 3, 4 in timeframe order
  assert.deepEqual(
    view.items.map((x) => x.item),
    ['2', '3', '4'],
  );
  assert.equal(view.next.length, 5);
  assert.ok(isWorkerEvent({ type: 'sessionShown', view }));
  assert.ok(isWorkerEvent({ type: 'sessionsListed', sessions }));
});
