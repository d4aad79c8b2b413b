import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseRelationAssignment,
  relationAssignmentView,
  relationLabel,
} from '../../../src/runs/relationAssignment.js';

const FILE = 'runs/vr/relation-assignment.json';

/** A document as Vrkg4Rec.report() writes it (pretty JSON), K = 2. */
function doc(relations: unknown[], extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify(
    {
      virtualRelations: 2,
      assignment: 'learned',
      relations,
      fusionWeights: [[0.25, 0.75]],
      ...extra,
    },
    null,
    2,
  )}\n`;
}

const RELATIONS = [
  { relation: '0', edges: 10, virtual: 1, confidence: 0.9 },
  { relation: 'music.genre', edges: 40, virtual: 0, confidence: 0.6 },
  { relation: '0^-1', edges: 10, virtual: 0, confidence: 0.55 },
  { relation: 'music.genre^-1', edges: 40, virtual: 1, confidence: 0.8 },
];

test('relation assignment chart data: relations by virtual relation then edges, one cell per pair with the confidence where the relation went', () => {
  const v = relationAssignmentView(parseRelationAssignment(doc(RELATIONS), FILE));
  assert.deepEqual(v.virtuals, ['virtual 0', 'virtual 1']);
  assert.deepEqual(v.relations, [
    'music.genre',
    'relation 0 (inverse)',
    'music.genre (inverse)',
    'relation 0',
  ]);
  assert.equal(v.cells.length, 4 * 2);
  assert.deepEqual(v.cells.slice(0, 2), [
    { relation: 'music.genre', virtual: 'virtual 0', assigned: true, confidence: 0.6, edges: 40 },
    { relation: 'music.genre', virtual: 'virtual 1', assigned: false, confidence: null, edges: 40 },
  ]);
  // exactly one assigned cell per relation, on its virtual relation
  for (const r of v.relations)
    assert.deepEqual(
      v.cells.filter((c) => c.relation === r && c.assigned).map((c) => c.virtual).length,
      1,
    );
  assert.deepEqual(v.totals, [
    { virtual: 'virtual 0', relations: 2, edges: 50 },
    { virtual: 'virtual 1', relations: 2, edges: 50 },
  ]);
  assert.deepEqual(v.fusion, [
    { layer: 1, virtual: 'virtual 0', weight: 0.25 },
    { layer: 1, virtual: 'virtual 1', weight: 0.75 },
  ]);
  assert.equal(v.assignment, 'learned');
});

test('relation labels: names the dataset gives kept, bare ids as "relation <id>", reverse edges as "(inverse)"', () => {
  assert.equal(relationLabel('3'), 'relation 3');
  assert.equal(relationLabel('3^-1'), 'relation 3 (inverse)');
  assert.equal(relationLabel('film.director'), 'film.director');
  assert.equal(relationLabel('film.director^-1'), 'film.director (inverse)');
});

test('a bad relation assignment file is refused with its file, the line of the bad relation and what was expected', () => {
  const bad = [...RELATIONS.slice(0, 2), { relation: 'x', edges: 3, virtual: 2, confidence: 0.5 }];
  const text = doc(bad);
  const line = text.split('\n').findIndex((l) => l.includes('"x"')) + 1;
  assert.throws(
    () => parseRelationAssignment(text, FILE),
    (e: Error) =>
      e.message.startsWith(`${FILE}:${line}: expected relations[2]:`) &&
      e.message.includes('virtual in [0, 2)'),
  );
  assert.throws(
    () => parseRelationAssignment(doc(RELATIONS, { virtualRelations: 0 }), FILE),
    /relation-assignment\.json:2: expected virtualRelations, a positive integer/,
  );
  assert.throws(
    () => parseRelationAssignment(doc(RELATIONS, { fusionWeights: [[1]] }), FILE),
    /expected fusionWeights\[0\]: 2 numbers/,
  );
  assert.throws(
    () => parseRelationAssignment('{\n  "virtualRelations": 2,\n  oops\n}\n', FILE),
    /relation-assignment\.json:3: expected a JSON relation assignment/,
  );
});
