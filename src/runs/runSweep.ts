/**
 * Runs a sweep's points one after another, each a normal run tagged in run.json with the sweep's
 * id and the point. Resumable: a point already finished in the workspace (any run with the same
 * point key) is skipped, one that was stopped is resumed from its last epoch, so a sweep run
 * again after a Ctrl-C, a crash or an added seed trains only what is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../data/index.js';
import type { Dataset } from '../data/types.js';
import type { ExperimentConfig } from './experiment.js';
import { FILES, RUNS_DIR, type RunRecord } from './format.js';
import { runExperiment, type ExperimentResult, type RunOptions } from './runExperiment.js';
import { listRuns } from './store.js';
import type { Sweep, SweepPoint } from './sweep.js';

export type PointStatus = 'finished before' | 'trained' | 'resumed' | 'running elsewhere';

export interface PointOutcome {
  readonly point: SweepPoint;
  readonly status: PointStatus;
  readonly runId: string;
}

export interface SweepOptions {
  readonly workspace?: string;
  /** where the sweep came from, for messages */
  readonly source?: string;
  /** how one point is run (the CLI adds progress and Ctrl-C); runExperiment by default */
  readonly run?: (config: ExperimentConfig, o: RunOptions) => Promise<ExperimentResult>;
  /** before each point: what is about to happen to it */
  readonly onPoint?: (point: SweepPoint, status: PointStatus, run?: RunRecord) => void;
}

/** What to do with a point, given the runs of the workspace that are that point. */
export function pointPlan(runs: readonly RunRecord[]): { status: PointStatus; run?: RunRecord } {
  const done = runs.find((r) => r.summary && r.state.status === 'done');
  if (done) return { status: 'finished before', run: done };
  const live = runs.find((r) => r.state.status === 'running');
  if (live) return { status: 'running elsewhere', run: live };
  // a stopped run with a checkpoint continues; one stopped before its first epoch starts over
  const stopped = runs.find((r) => existsSync(join(r.dir, FILES.last)));
  return stopped ? { status: 'resumed', run: stopped } : { status: 'trained' };
}

export async function runSweep(sweep: Sweep, o: SweepOptions = {}): Promise<PointOutcome[]> {
  const run = o.run ?? runExperiment;
  const existing = listRuns(join(o.workspace ?? process.cwd(), RUNS_DIR));
  const byPoint = new Map<string, RunRecord[]>();
  for (const r of existing) {
    const key = r.meta?.sweep?.point;
    if (key) byPoint.set(key, [...(byPoint.get(key) ?? []), r]);
  }
  // consecutive points on one dataset load it once
  let loaded: { key: string; dataset: Dataset } | undefined;
  const outcomes: PointOutcome[] = [];
  for (const point of sweep.points) {
    const plan = pointPlan(byPoint.get(point.key) ?? []);
    o.onPoint?.(point, plan.status, plan.run);
    if (plan.run && plan.status !== 'resumed') {
      outcomes.push({ point, status: plan.status, runId: plan.run.id });
      continue;
    }
    const c = point.config;
    const dataKey = JSON.stringify([c.dataset, c.datasetOptions ?? null]);
    if (!plan.run && loaded?.key !== dataKey) {
      loaded = undefined; // one dataset in memory at a time
      loaded = { key: dataKey, dataset: await loadDataset(c.dataset, c.datasetOptions) };
    }
    const result = await run(c, {
      workspace: o.workspace,
      source: o.source,
      sweep: { id: sweep.id, point: point.key, values: point.values },
      ...(plan.run ? { resume: plan.run } : { dataset: loaded?.dataset }),
    });
    outcomes.push({ point, status: plan.status, runId: result.id });
  }
  return outcomes;
}
