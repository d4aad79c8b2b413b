/**
 * Delimited interaction files (CSV, TSV, space- or '::'-separated), with or without a header,
 * columns chosen by name or 0-based index: one row per (user, item[, rating][, timestamp]).
 */
import { basename, extname } from 'node:path';
import { InputError } from '../../util/errors.js';
import { assembleDataset, type RawInteractions } from '../assemble.js';
import { GrowableFloat32, GrowableFloat64, GrowableInt32 } from '../buffers.js';
import { IdMapBuilder } from '../idmap.js';
import type { Dataset } from '../types.js';
import { resolveColumns, type ColumnMapping, type ResolvedColumns } from './columns.js';
import { forEachRecord } from './records.js';
import { sniffLayout, WHITESPACE, type Layout, type LayoutHint } from './sniff.js';
import { numberOrThrow, timestampOrThrow } from './values.js';

/** What to do with an id in a test/valid file that the train file does not have. */
export type UnknownIdPolicy = 'error' | 'drop' | 'add';

export interface DelimitedOptions extends LayoutHint {
  readonly columns?: ColumnMapping;
  /** for test/valid files; default 'error' (a model cannot rank an item it never saw) */
  readonly unknownIds?: UnknownIdPolicy;
}

/** Where a file's ids go: into shared builders, with a policy for ids not seen before. */
export interface IdTarget {
  readonly users: IdMapBuilder;
  readonly items: IdMapBuilder;
  readonly unknown: UnknownIdPolicy;
}

export interface DelimitedFile extends RawInteractions {
  readonly layout: Layout;
  readonly columns: ResolvedColumns;
  /** rows left out under the 'drop' policy */
  readonly dropped: number;
}

function columnLabel(layout: Layout, k: number): string {
  return layout.header ? `column "${layout.firstFields[k]}"` : `column ${k} (0-based)`;
}

/** Reads one delimited file into the id target; streaming, typed-array buffers. */
export async function readDelimitedFile(
  file: string,
  options: DelimitedOptions,
  ids: IdTarget,
): Promise<DelimitedFile> {
  const layout = await sniffLayout(file, options);
  const cols = resolveColumns(
    {
      file,
      header: layout.header ? layout.firstFields : undefined,
      firstLine: layout.firstLine,
      columnCount: layout.columnCount,
    },
    options.columns,
  );
  const users = new GrowableInt32(1 << 14);
  const items = new GrowableInt32(1 << 14);
  const ratings = cols.rating !== undefined ? new GrowableFloat32(1 << 14) : undefined;
  const timestamps = cols.timestamp !== undefined ? new GrowableFloat64(1 << 14) : undefined;
  const ratingWhat =
    cols.rating !== undefined ? `a number in the rating ${columnLabel(layout, cols.rating)}` : '';
  const timeWhat =
    cols.timestamp !== undefined
      ? `a number or ISO date in the timestamp ${columnLabel(layout, cols.timestamp)}`
      : '';
  const delimiterName =
    layout.delimiter === WHITESPACE ? 'spaces' : JSON.stringify(layout.delimiter);
  let dropped = 0;
  let rows = 0;
  const idOf = (
    b: IdMapBuilder,
    raw: string,
    role: string,
    line: number,
    fields: readonly string[],
  ): number => {
    const id = raw.trim();
    if (id.length === 0) {
      throw new InputError({ file, line, text: fields.join(' ') }, `a non-empty ${role} id`);
    }
    if (ids.unknown === 'add') return b.intern(id);
    const k = b.lookup(id);
    if (k < 0 && ids.unknown === 'error') {
      throw new InputError(
        { file, line, text: id },
        `a ${role} id that the training file has (set unknownIds to "drop" or "add" to accept new ids)`,
      );
    }
    return k;
  };
  await forEachRecord(file, layout, (f, line) => {
    rows++;
    if (f.length !== layout.columnCount) {
      throw new InputError(
        { file, line, text: f.join(layout.delimiter === WHITESPACE ? ' ' : layout.delimiter) },
        `${layout.columnCount} columns separated by ${delimiterName}, found ${f.length}`,
      );
    }
    const u = idOf(ids.users, f[cols.user], 'user', line, f);
    const i = idOf(ids.items, f[cols.item], 'item', line, f);
    if (u < 0 || i < 0) {
      dropped++;
      return;
    }
    users.push(u);
    items.push(i);
    if (ratings && cols.rating !== undefined)
      ratings.push(numberOrThrow(f[cols.rating], { file, line }, ratingWhat));
    if (timestamps && cols.timestamp !== undefined) {
      timestamps.push(timestampOrThrow(f[cols.timestamp], { file, line }, timeWhat));
    }
  });
  if (rows === 0) {
    throw new InputError(
      { file },
      'at least one data row (the file has only a header or blank lines)',
    );
  }
  return {
    users: users.toArray(),
    items: items.toArray(),
    ...(ratings ? { ratings: ratings.toArray() } : {}),
    ...(timestamps ? { timestamps: timestamps.toArray() } : {}),
    layout,
    columns: cols,
    dropped,
  };
}

/** The name of a dataset file: its name without extension (ratings.csv -> ratings). */
export function stemOf(file: string): string {
  const b = basename(file);
  return b.slice(0, b.length - extname(b).length) || b;
}

export interface GivenFiles {
  readonly train: string;
  readonly test?: string;
  readonly valid?: string;
}

/**
 * Loads a delimited file, or train/test(/valid) files sharing one id space (ids first seen in
 * the train file come first). Test/valid ids not in train follow options.unknownIds.
 */
export async function loadDelimitedFiles(
  files: GivenFiles,
  options: DelimitedOptions = {},
  name = stemOf(files.train),
): Promise<Dataset> {
  const users = new IdMapBuilder();
  const items = new IdMapBuilder();
  const train = await readDelimitedFile(files.train, options, { users, items, unknown: 'add' });
  const later = { users, items, unknown: options.unknownIds ?? 'error' } as const;
  const valid = files.valid ? await readDelimitedFile(files.valid, options, later) : undefined;
  const test = files.test ? await readDelimitedFile(files.test, options, later) : undefined;
  const notes: string[] = [];
  if (valid && valid.dropped > 0)
    notes.push(`${valid.dropped} rows of ${files.valid} left out: ids not in the training file`);
  if (test && test.dropped > 0)
    notes.push(`${test.dropped} rows of ${files.test} left out: ids not in the training file`);
  return assembleDataset({
    name,
    sources: [files.train, files.test, files.valid].filter((p): p is string => p !== undefined),
    userIds: users.build(),
    itemIds: items.build(),
    train,
    ...(test ? { test } : {}),
    ...(valid ? { valid } : {}),
    notes,
  });
}
