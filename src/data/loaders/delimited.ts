/**
 * Delimited interaction files (CSV, TSV, space- or '::'-separated), with or without a header,
 * columns chosen by name or 0-based index: one row per (user, item[, rating][, timestamp]).
 */
import { basename, extname } from 'node:path';
import { InputError } from '../../util/errors.js';
import { assembleDataset, type LoadPolicy, type RawInteractions } from '../assemble.js';
import { GrowableFloat32, GrowableFloat64, GrowableInt32 } from '../buffers.js';
import { IdMapBuilder } from '../idmap.js';
import type { Dataset } from '../types.js';
import { resolveColumns, type ColumnMapping, type ResolvedColumns } from './columns.js';
import { forEachRecord } from './records.js';
import { delimiterName, sniffLayout, type Layout, type LayoutHint } from './sniff.js';
import { numberOrThrow, parseNumber, timestampOrThrow } from './values.js';

export interface DelimitedOptions extends LayoutHint, LoadPolicy {
  readonly columns?: ColumnMapping;
}

/** Where a file's ids go: shared builders, so train/test/valid files share one id space. */
export interface IdTarget {
  readonly users: IdMapBuilder;
  readonly items: IdMapBuilder;
}

export interface DelimitedFile extends RawInteractions {
  readonly layout: Layout;
  readonly columns: ResolvedColumns;
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
      line: layout.firstLineNo,
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
  const columnsWhat = `${layout.columnCount} columns separated by ${delimiterName(layout.delimiter)}`;
  let rows = 0;
  const idOf = (b: IdMapBuilder, raw: string, role: string, col: number, line: number): number => {
    const id = raw.trim();
    if (id.length === 0) {
      throw new InputError(
        { file, line },
        `a ${role} id in ${columnLabel(layout, col)}, found it empty`,
      );
    }
    return b.intern(id);
  };
  await forEachRecord(file, layout, (f, line) => {
    rows++;
    // a first row of words where numbers belong is text (a README, notes), not a ratings
    // file: say so rather than name the column whose parse failed
    if (
      rows === 1 &&
      !layout.header &&
      (ratings || timestamps) &&
      f.every((x) => parseNumber(x) === undefined)
    )
      throw new InputError(
        { file, line, text: f.join(' ') },
        'an interactions file: rows of a user id, an item id and numbers (this line reads as text)',
      );
    if (f.length !== layout.columnCount) {
      throw new InputError({ file, line }, `${columnsWhat}, found ${f.length}`);
    }
    users.push(idOf(ids.users, f[cols.user], 'user', cols.user, line));
    items.push(idOf(ids.items, f[cols.item], 'item', cols.item, line));
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
 * the train file come first), under the load policy of assemble.ts. `unseenItemsKeptBy`
 * names the format whose reference code keeps test-only items (RecBole); unset, they are
 * left out.
 */
export async function loadDelimitedFiles(
  files: GivenFiles,
  options: DelimitedOptions = {},
  name = stemOf(files.train),
  unseenItemsKeptBy?: string,
): Promise<Dataset> {
  const ids = { users: new IdMapBuilder(), items: new IdMapBuilder() };
  const train = await readDelimitedFile(files.train, options, ids);
  const valid = files.valid ? await readDelimitedFile(files.valid, options, ids) : undefined;
  const test = files.test ? await readDelimitedFile(files.test, options, ids) : undefined;
  return assembleDataset({
    name,
    sources: [files.train, files.test, files.valid].filter((p): p is string => p !== undefined),
    userIds: ids.users.build(),
    itemIds: ids.items.build(),
    train,
    ...(test ? { test } : {}),
    ...(valid ? { valid } : {}),
    files,
    ...(unseenItemsKeptBy ? { unseenItemsKeptBy } : {}),
    ...(options.keepDuplicates !== undefined ? { keepDuplicates: options.keepDuplicates } : {}),
    ...(options.unseenItems ? { unseenItems: options.unseenItems } : {}),
  });
}
