import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseRelationAssignment,
  relationAssignmentView,
} from '../../../src/runs/relationAssignment.js';
import { assignmentSpec, fusionSpec } from '../../../webview/panels/relationsSpec.js';

const view = relationAssignmentView(
  parseRelationAssignment(
    JSON.stringify({
      virtualRelations: 3,
      relations: [
        { relation: '0', edges: 5, virtual: 2, confidence: 0.7 },
        { relation: '0^-1', edges: 5, virtual: 0, confidence: 0.4 },
      ],
      fusionWeights: [
        [0.2, 0.3, 0.5],
        [0.1, 0.1, 0.8],
      ],
    }),
    'relation-assignment.json',
  ),
);

test('relation assignment chart: relations x virtual relations in the view order, coloured cells only where a relation went, compiled by vega-lite', async () => {
  const spec = assignmentSpec(view, 'Relation assignment');
  const vl = await import('vega-lite');
  assert.ok(vl.compile(spec).spec);
  // every layer keeps the view's order: relations by virtual relation, virtual 0..K-1
  const layers = (spec as { layer: { encoding: Record<string, { sort?: unknown }> }[] }).layer;
  for (const l of layers) {
    assert.deepEqual(l.encoding.y.sort, ['relation 0 (inverse)', 'relation 0']);
    assert.deepEqual(l.encoding.x.sort, ['virtual 0', 'virtual 1', 'virtual 2']);
  }
  const size = spec as { width?: number; height?: number };
  assert.equal(size.height, 2 * 20);
  assert.equal(size.width, 3 * 90);
  // the data: 2 relations x 3 virtual relations, 2 of them assigned
  const values = (spec.data as { values: { assigned: boolean }[] }).values;
  assert.equal(values.length, 6);
  assert.equal(values.filter((c) => c.assigned).length, 2);
  const fusion = fusionSpec(view);
  assert.ok(vl.compile(fusion).spec);
  assert.equal((fusion.data as { values: unknown[] }).values.length, 2 * 3);
});
