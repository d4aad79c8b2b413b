import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../../src/runs/experiment.js';
import { FILES, type RunRecord } from '../../../src/runs/format.js';
import { expandSweep } from '../../../src/runs/sweep.js';
import { planSweep, sweepSummary } from '../../../extension/training/sweepQueue.js';
import { fakeRun } from './fixtures.js';

const file = 'seeds.reclab.json';
const config = {
  dataset: 'demo',
  model: 'mf',
  epochs: 2,
  sweep: { model: ['mf', 'lightgcn'], seed: [1, 2, 3] },
} as unknown as ExperimentConfig;

/** A run that is `point` of the sweep, in a folder of its own (with a checkpoint if asked). */
function pointRun(id: string, point: string, status: 'done' | 'cancelled', checkpoint = false) {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-sweepq-'));
  if (checkpoint) writeFileSync(join(dir, FILES.last), '');
  const r = fakeRun(id, { status, ...(status === 'done' && { metrics: { 'recall@20': 0.1 } }) });
  return {
    ...r,
    dir,
    meta: { ...r.meta, sweep: { id: 'seeds', point, values: {} } },
  } as RunRecord;
}

test('a sweep from the extension queues the points that are missing, resumes stopped ones', () => {
  const sweep = expandSweep(config, file);
  assert.equal(sweep.points.length, 6);
  const [p0, p1, p2] = sweep.points;
  const plan = planSweep(sweep, [
    pointRun('done', p0.key, 'done'),
    pointRun('stopped', p1.key, 'cancelled', true),
    // stopped before its first checkpoint: trained again from the start
    pointRun('early', p2.key, 'cancelled'),
    fakeRun('unrelated', { metrics: { 'recall@20': 0.3 } }),
  ]);
  assert.deepEqual(
    plan.map((p) => p.status),
    ['finished before', 'resumed', 'trained', 'trained', 'trained', 'trained'],
  );
  assert.equal(plan[1].run?.id, 'stopped');
  // each run carries its point, as `reclab sweep` tags it, so either can continue the other
  assert.deepEqual(plan[3].tag, {
    id: sweep.id,
    point: sweep.points[3].key,
    values: sweep.points[3].values,
  });
  assert.equal(plan[3].point.config.sweep, undefined);
  assert.match(
    sweepSummary(sweep, plan),
    /^sweep .+ \(grid\): 5 of 6 points queued, 1 of them resumed, 1 finished before$/,
  );
});
