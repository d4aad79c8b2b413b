/**
 * VRKG4Rec's relation assignment as a run keeps it (`relation-assignment.json`, the data of
 * Vrkg4Rec.report(): each original KG relation, both directions, with its virtual relation k,
 * its KG edges and the softmax confidence of that k), read back and shaped for a chart:
 * relations on one axis, the K virtual relations on the other, one cell per pair. Pure: the
 * extension reads the file and draws what this returns.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RelationAssignment } from '../models/vrkg4rec.js';
import { InputError } from '../util/errors.js';

export const RELATION_ASSIGNMENT_FILE = 'relation-assignment.json';

/** Whether a run folder holds a relation assignment (menus offer the chart only then). */
export function hasRelationAssignment(runDir: string): boolean {
  return existsSync(join(runDir, RELATION_ASSIGNMENT_FILE));
}

/** One row of the file's `relations`: the model's own row type, so the two cannot drift. */
export type AssignedRelation = RelationAssignment;

export interface RelationAssignmentDoc {
  readonly virtualRelations: number;
  /** how relations were assigned ("argmax", ...), when the file says */
  readonly assignment?: string;
  readonly relations: readonly AssignedRelation[];
  /** the fusion's attention alpha per layer, K weights each */
  readonly fusionWeights: readonly (readonly number[])[];
}

/** A chart cell: relation x virtual relation; confidence only where the relation went. */
export interface RelationCell {
  readonly relation: string;
  readonly virtual: string;
  readonly assigned: boolean;
  readonly confidence: number | null;
  readonly edges: number;
}

export interface RelationAssignmentView {
  readonly virtualRelations: number;
  readonly assignment?: string;
  /** relation labels in chart order: by virtual relation, then most edges first */
  readonly relations: readonly string[];
  /** "virtual 0" .. "virtual K-1" */
  readonly virtuals: readonly string[];
  /** relations x virtuals, row-major in chart order */
  readonly cells: readonly RelationCell[];
  /** per virtual relation: how many relations and KG edges it took */
  readonly totals: readonly { virtual: string; relations: number; edges: number }[];
  readonly fusion: readonly { layer: number; virtual: string; weight: number }[];
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** 1-based line of the n-th (0-based) occurrence of `needle` in text, or undefined. */
function lineOfOccurrence(text: string, needle: string, n: number): number | undefined {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) return undefined;
  }
  return text.slice(0, at).split('\n').length;
}

/**
 * The file's document, checked: K a positive integer, each relation a name, a count of edges,
 * a virtual relation in [0, K) and a confidence in [0, 1]. Errors name the file, the line of
 * the offending relation and what was expected.
 */
export function parseRelationAssignment(text: string, file: string): RelationAssignmentDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(String(e))?.[1];
    const line = pos === undefined ? undefined : text.slice(0, Number(pos)).split('\n').length;
    throw new InputError(
      { file, line, text: line === undefined ? text : text.split('\n')[line - 1] },
      'a JSON relation assignment (a VRKG4Rec run writes it)',
    );
  }
  if (!isObj(doc))
    throw new InputError({ file, line: 1, text: text.split('\n')[0] }, 'a JSON object');
  const K = doc.virtualRelations;
  if (!(Number.isInteger(K) && (K as number) > 0))
    throw new InputError(
      { file, line: lineOfOccurrence(text, '"virtualRelations"', 0), text: String(K) },
      'virtualRelations, a positive integer',
    );
  const k = K as number;
  if (!Array.isArray(doc.relations))
    throw new InputError({ file, text: String(doc.relations) }, 'relations, an array');
  const relations = doc.relations.map((r: unknown, i: number): AssignedRelation => {
    const ok =
      isObj(r) &&
      typeof r.relation === 'string' &&
      Number.isInteger(r.edges) &&
      (r.edges as number) >= 0 &&
      Number.isInteger(r.virtual) &&
      (r.virtual as number) >= 0 &&
      (r.virtual as number) < k &&
      typeof r.confidence === 'number' &&
      r.confidence >= 0 &&
      r.confidence <= 1;
    if (!ok)
      throw new InputError(
        { file, line: lineOfOccurrence(text, '"relation"', i), text: JSON.stringify(r) },
        `relations[${i}]: a relation name, edges >= 0, virtual in [0, ${k}) and confidence in [0, 1]`,
      );
    return r as unknown as AssignedRelation;
  });
  const fusion = Array.isArray(doc.fusionWeights) ? doc.fusionWeights : [];
  const fusionWeights = fusion.map((w: unknown, l: number) => {
    if (!(Array.isArray(w) && w.length === k && w.every((x) => typeof x === 'number')))
      throw new InputError(
        { file, line: lineOfOccurrence(text, '"fusionWeights"', 0), text: JSON.stringify(w) },
        `fusionWeights[${l}]: ${k} numbers`,
      );
    return w as number[];
  });
  return {
    virtualRelations: k,
    ...(typeof doc.assignment === 'string' ? { assignment: doc.assignment } : {}),
    relations,
    fusionWeights,
  };
}

/**
 * A relation's label: the dataset's name (a KG with a relation list) or "relation <id>" for a
 * bare id; the reverse direction (VRKG4Rec adds one per relation, "<name>^-1") as "(inverse)".
 */
export function relationLabel(name: string): string {
  const inverse = name.endsWith('^-1');
  const base = inverse ? name.slice(0, -3) : name;
  const shown = /^\d+$/.test(base) ? `relation ${base}` : base;
  return inverse ? `${shown} (inverse)` : shown;
}

export const virtualLabel = (k: number): string => `virtual ${k}`;

/** The chart's data: relations ordered by virtual relation, then most edges first. */
export function relationAssignmentView(doc: RelationAssignmentDoc): RelationAssignmentView {
  const K = doc.virtualRelations;
  const virtuals = Array.from({ length: K }, (_, k) => virtualLabel(k));
  const rows = doc.relations
    .map((r) => ({ ...r, label: relationLabel(r.relation) }))
    .sort((a, b) => a.virtual - b.virtual || b.edges - a.edges || a.label.localeCompare(b.label));
  const cells = rows.flatMap((r) =>
    virtuals.map((v, k) => ({
      relation: r.label,
      virtual: v,
      assigned: r.virtual === k,
      confidence: r.virtual === k ? r.confidence : null,
      edges: r.edges,
    })),
  );
  const totals = virtuals.map((v, k) => {
    const mine = rows.filter((r) => r.virtual === k);
    return { virtual: v, relations: mine.length, edges: mine.reduce((s, r) => s + r.edges, 0) };
  });
  const fusion = doc.fusionWeights.flatMap((w, l) =>
    w.map((weight, k) => ({ layer: l + 1, virtual: virtuals[k], weight })),
  );
  return {
    virtualRelations: K,
    ...(doc.assignment !== undefined ? { assignment: doc.assignment } : {}),
    relations: rows.map((r) => r.label),
    virtuals,
    cells,
    totals,
    fusion,
  };
}
