/**
 * A sweep run from the extension: its points go through the training queue one run each,
 * tagged like `reclab sweep` tags them, so either can pick up where the other stopped. What
 * each point needs, given the workspace's runs: nothing (finished before, or training
 * elsewhere), a resume of its stopped run, or a new run.
 */
import type { RunRecord, SweepTag } from '../../src/runs/format.js';
import { pointPlan, type PointStatus } from '../../src/runs/runSweep.js';
import type { Sweep, SweepPoint } from '../../src/runs/sweep.js';

export interface QueuedPoint {
  readonly point: SweepPoint;
  readonly status: PointStatus;
  /** the run to resume ('resumed'), or the run that holds the point already */
  readonly run?: RunRecord;
  readonly tag: SweepTag;
}

/** Every point of the sweep with what to do about it, in the sweep's order. */
export function planSweep(sweep: Sweep, runs: readonly RunRecord[]): QueuedPoint[] {
  const byPoint = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const key = r.meta?.sweep?.point;
    if (key) byPoint.set(key, [...(byPoint.get(key) ?? []), r]);
  }
  return sweep.points.map((point) => {
    const plan = pointPlan(byPoint.get(point.key) ?? []);
    return {
      point,
      status: plan.status,
      ...(plan.run && { run: plan.run }),
      tag: { id: sweep.id, point: point.key, values: point.values },
    };
  });
}

/** "sweep ui-3x2: 4 points queued, 2 finished before" */
export function sweepSummary(sweep: Sweep, plan: readonly QueuedPoint[]): string {
  const count = (s: PointStatus) => plan.filter((p) => p.status === s).length;
  const queued = count('trained') + count('resumed');
  const parts = [
    `${queued} of ${plan.length} points queued`,
    count('resumed') && `${count('resumed')} of them resumed`,
    count('finished before') && `${count('finished before')} finished before`,
    count('running elsewhere') && `${count('running elsewhere')} training elsewhere`,
  ].filter(Boolean);
  return `sweep ${sweep.id} (${sweep.search}): ${parts.join(', ')}`;
}
