/**
 * RecLab: Show Relation Assignment: VRKG4Rec's chart of which virtual relation each original
 * KG relation went to, for a run that saved relation-assignment.json. From the Experiments
 * tree (the run's context menu), the Metrics panel's title bar (its run, or a pick of its runs
 * that have one) or the palette (a pick).
 */
import type { RunRecord } from '../../src/runs/format.js';
import {
  hasRelationAssignment as inFolder,
  RELATION_ASSIGNMENT_FILE,
} from '../../src/runs/relationAssignment.js';
import { MetricsPanel } from '../panels/metricsPanel.js';
import { RelationsPanel } from '../panels/relationsPanel.js';
import type { Services } from '../services.js';
import { isRunNode, resolveRun } from './pickRun.js';
import { nothingYet } from './runCommands.js';

const hasRelationAssignment = (r: RunRecord): boolean => inFolder(r.dir);

export async function showRelationAssignment(
  s: Services,
  arg: unknown,
): Promise<RelationsPanel | undefined> {
  // a tree node or a run id; anything else (the Metrics panel's title bar passes its own
  // argument) is no choice
  const given = isRunNode(arg) || typeof arg === 'string' ? arg : undefined;
  // from the Metrics panel: the runs it shows come first
  const shown = new Set(MetricsPanel.registry.get('metrics')?.shownRunIds ?? []);
  const inMetrics = (r: RunRecord) => shown.has(r.id) && hasRelationAssignment(r);
  const withFile = s.store.all.filter(hasRelationAssignment);
  if (given === undefined && withFile.length === 0)
    return nothingYet(
      'no runs with a relation assignment yet. Train vrkg4rec on a knowledge graph (lastfm-kg), then show its assignment.',
    );
  const fromMetrics = s.store.all.filter(inMetrics);
  const run =
    given === undefined && fromMetrics.length === 1
      ? fromMetrics[0]
      : await resolveRun(s.store, given, {
          title: 'Show the relation assignment of…',
          filter: fromMetrics.length > 1 ? inMetrics : hasRelationAssignment,
        });
  if (!run) return undefined;
  if (!hasRelationAssignment(run))
    throw new Error(
      `run ${run.id} has no ${RELATION_ASSIGNMENT_FILE} (a VRKG4Rec run writes it after training)`,
    );
  return RelationsPanel.show(s, { runId: run.id });
}
