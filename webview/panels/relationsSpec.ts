/**
 * VRKG4Rec's relation assignment as vega-lite specs, DOM-free (unit-tested in Node): a grid of
 * the original KG relations (rows) by the virtual relations (columns), the cell where each
 * relation went coloured by its assignment confidence and labelled with it; and the fusion
 * weights alpha per layer beside it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RelationAssignmentView } from '../../extension/shared/relationMessages.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** pixels per relation row and per virtual column */
const ROW = 20;
const COLUMN = 90;

export function assignmentSpec(
  view: RelationAssignmentView,
  title: string,
  muted = '#888888',
): TopLevelSpec {
  const x = {
    field: 'virtual',
    type: 'nominal' as const,
    sort: view.virtuals as string[],
    title: 'virtual relation',
    axis: { orient: 'top' as const, labelAngle: 0 },
  };
  const y = {
    field: 'relation',
    type: 'nominal' as const,
    sort: view.relations as string[],
    title: 'original relation',
  };
  const tooltip = [
    { field: 'relation', title: 'relation' },
    { field: 'virtual', title: 'goes to' },
    { field: 'confidence', title: 'confidence', format: '.3f' },
    { field: 'edges', title: 'KG edges', format: ',d' },
  ];
  const totals = view.totals.map((t) => `${t.virtual}: ${t.relations} relations, ${t.edges} edges`);
  return {
    $schema: SCHEMA,
    title: {
      text: title,
      subtitle: `each relation's virtual relation, by confidence (${totals.join('; ')})`,
    },
    width: COLUMN * view.virtualRelations,
    height: ROW * Math.max(1, view.relations.length),
    data: { values: view.cells as unknown as Record<string, unknown>[] },
    layer: [
      // the empty grid: every relation x virtual pair, faint
      {
        mark: { type: 'rect', stroke: muted, strokeOpacity: 0.3, fillOpacity: 0 },
        encoding: { x, y },
      },
      {
        transform: [{ filter: 'datum.assigned' }],
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x,
          y,
          color: {
            field: 'confidence',
            type: 'quantitative',
            title: 'confidence',
            scale: { scheme: 'blues', domain: [0, 1] },
          },
          tooltip,
        },
      },
      {
        transform: [{ filter: 'datum.assigned' }],
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          x,
          y,
          text: { field: 'confidence', type: 'quantitative', format: '.2f' },
          color: {
            condition: { test: 'datum.confidence > 0.55', value: '#ffffff' },
            value: '#1b1b1b',
          },
          tooltip,
        },
      },
    ],
  };
}

/** The fusion's attention alpha^(l) over the virtual relations, one group of bars per layer. */
export function fusionSpec(view: RelationAssignmentView): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: {
      text: 'Fusion weights α by layer',
      subtitle: 'how much each virtual sub-graph counts',
    },
    width: 60 * view.virtualRelations,
    height: 140,
    data: { values: view.fusion as unknown as Record<string, unknown>[] },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'virtual',
        type: 'nominal',
        sort: view.virtuals as string[],
        title: null,
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'layer', type: 'nominal' },
      y: { field: 'weight', type: 'quantitative', title: 'α', scale: { domain: [0, 1] } },
      color: { field: 'layer', type: 'nominal', title: 'layer' },
    },
  };
}
