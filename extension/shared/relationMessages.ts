/**
 * The Relation Assignment panel's own contract (VRKG4Rec: which virtual relation each original
 * KG relation went to): the host reads the run's relation-assignment.json and sends the chart's
 * data; the webview only draws it (and says 'ready' / 'rendered' as every panel does). Plain
 * data only: the webview bundle imports this file (types from the library are type-only).
 */
import type { RelationAssignmentView } from '../../src/runs/relationAssignment.js';

export type { RelationAssignmentView };

// ---------------------------------------------------------------- host -> webview

export type RelationHostMessage = {
  readonly type: 'relations';
  /** the run's label, for the chart's title */
  readonly run: string;
  readonly view: RelationAssignmentView;
};

type Shape = Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'>;

export const RELATION_HOST_SHAPES: Record<RelationHostMessage['type'], Shape> = {
  relations: { run: 'string', view: 'object' },
};

/** The panel's saved state: the run it shows (a reload brings the panel back on it). */
export interface RelationsState {
  readonly runId: string;
}
