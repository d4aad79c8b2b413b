/**
 * Which column holds the user ids (and the item ids) of a data file whose header does not say:
 * the user's answer to the extension's question, kept per file, and merged into the loader
 * options of any dataset spec that reads that file. Pure; the quick picks and the workspace
 * storage are in columnsPrompt.ts.
 */
import type { ColumnMapping } from '../../src/data/loaders/columns.js';
import type { DatasetOptions } from '../../src/runs/experiment.js';
import type { UnnamedColumns } from '../shared/messages.js';
import { isInside } from './access.js';

/** The roles an experiment's `datasetOptions.columns` can name. */
export type ColumnRole = 'user' | 'item' | 'rating' | 'timestamp';

const ROLES: readonly ColumnRole[] = ['user', 'item', 'rating', 'timestamp'];

/** role -> the header column holding it */
export type ColumnChoice = Readonly<Partial<Record<ColumnRole, string>>>;

/** file (a real, absolute path) -> its choice */
export type ColumnChoices = Readonly<Record<string, ColumnChoice>>;

const isRole = (r: string): r is ColumnRole => (ROLES as readonly string[]).includes(r);

/**
 * The roles to ask for, or undefined when one of them is not something the options can set
 * (a session column of a session file): then the error message stays the answer.
 */
export function rolesToAsk(missing: UnnamedColumns): ColumnRole[] | undefined {
  return missing.roles.every(isRole) ? [...missing.roles] : undefined;
}

const HOLDS: Readonly<Record<ColumnRole, string>> = {
  user: 'the user ids',
  item: 'the item ids',
  rating: 'the ratings',
  timestamp: 'the timestamps',
};

export function rolePrompt(role: ColumnRole): string {
  return `Which column holds ${HOLDS[role]}?`;
}

export interface ColumnPickItem {
  readonly label: string;
  readonly description: string;
  readonly column: string;
}

/** The header's columns, but those already given to another role in this question. */
export function columnPickItems(header: readonly string[], chosen: ColumnChoice): ColumnPickItem[] {
  const used = new Set(Object.values(chosen));
  return header
    .map((column, k) => ({
      label: column,
      description: `column ${k + 1} of ${header.length}`,
      column,
    }))
    .filter((i) => !used.has(i.column));
}

/**
 * The options with the chosen columns added; columns the options name already win (an
 * experiment file's own mapping is not overridden by what was picked for the file before).
 */
export function withColumns(
  options: DatasetOptions | undefined,
  choice: ColumnChoice | undefined,
): DatasetOptions | undefined {
  if (!choice || Object.keys(choice).length === 0) return options;
  const columns: ColumnMapping = { ...choice, ...options?.columns };
  return { ...options, columns };
}

/**
 * The choice for the first of a spec's paths (real, absolute) that has one: the file itself,
 * or a file in it when the spec names a folder (recbole:<dir> reads the .inter file there).
 */
export function choiceFor(
  choices: ColumnChoices,
  paths: readonly string[],
): ColumnChoice | undefined {
  for (const p of paths) {
    if (Object.hasOwn(choices, p)) return choices[p];
    const inFolder = Object.keys(choices).find((file) => isInside(file, p));
    if (inFolder) return choices[inFolder];
  }
  return undefined;
}

/** The choices with `choice` recorded for `file` (added to what the file had). */
export function withChoice(
  choices: ColumnChoices,
  file: string,
  choice: ColumnChoice,
): ColumnChoices {
  return { ...choices, [file]: { ...choices[file], ...choice } };
}

/** What the workspace state holds, keeping only well-formed entries (it may be stale). */
export function parseChoices(x: unknown): ColumnChoices {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return {};
  const out: Record<string, ColumnChoice> = {};
  for (const [file, v] of Object.entries(x)) {
    if (typeof v !== 'object' || v === null) continue;
    const choice = Object.fromEntries(
      Object.entries(v).filter(([r, c]) => isRole(r) && typeof c === 'string'),
    ) as ColumnChoice;
    if (Object.keys(choice).length) out[file] = choice;
  }
  return out;
}
