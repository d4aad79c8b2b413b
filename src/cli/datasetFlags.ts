/**
 * The flags that say how to read a dataset's files where sniffing is not enough, shared by
 * `inspect` and `train`; they become an experiment's `datasetOptions`.
 */
import { Option, type Command } from 'commander';
import type { ColumnRef } from '../data/loaders/columns.js';
import type { DatasetOptions } from '../runs/experiment.js';
import { InputError } from '../util/errors.js';

export interface DatasetFlags {
  userCol?: string;
  itemCol?: string;
  ratingCol?: string;
  timeCol?: string;
  delimiter?: string;
  header?: boolean;
  keepDuplicates?: boolean;
  unseenItems?: 'keep' | 'drop';
}

export function addDatasetFlags(cmd: Command): Command {
  return cmd
    .option('--user-col <name|index>', 'the user column, by header name or 0-based index')
    .option('--item-col <name|index>', 'the item column, by header name or 0-based index')
    .option('--rating-col <name|index>', 'the rating column, by header name or 0-based index')
    .option('--time-col <name|index>', 'the timestamp column, by header name or 0-based index')
    .option('--delimiter <d>', 'delimited files: , or \\t or :: or whitespace (default: sniffed)')
    .option('--header', 'delimited files: the first line is a header (default: sniffed)')
    .option('--no-header', 'delimited files: the first line is data')
    .option(
      '--keep-duplicates',
      'keep repeated (user, item) rows of implicit feedback (default: the earliest is kept, and counted)',
    )
    .addOption(
      new Option(
        '--unseen-items <policy>',
        "given test/valid files: rows of items absent from training (default: as the format's reference code)",
      ).choices(['keep', 'drop']),
    );
}

/** A column given as digits is an index, anything else a header name. */
function columnRef(flag: string, v: string | undefined): ColumnRef | undefined {
  if (v === undefined) return undefined;
  if (v.trim() === '') throw new InputError({ file: flag, text: v }, 'a column name or index');
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** The options the flags set, or undefined when none is given. */
export function datasetOptionsFromFlags(f: DatasetFlags): DatasetOptions | undefined {
  const columns = Object.fromEntries(
    (
      [
        ['user', columnRef('--user-col', f.userCol)],
        ['item', columnRef('--item-col', f.itemCol)],
        ['rating', columnRef('--rating-col', f.ratingCol)],
        ['timestamp', columnRef('--time-col', f.timeCol)],
      ] as const
    ).filter(([, v]) => v !== undefined),
  );
  const o: DatasetOptions = {
    ...(Object.keys(columns).length > 0 && { columns }),
    ...(f.delimiter !== undefined && { delimiter: f.delimiter === '\\t' ? '\t' : f.delimiter }),
    ...(f.header !== undefined && { header: f.header }),
    ...(f.keepDuplicates && { keepDuplicates: true }),
    ...(f.unseenItems !== undefined && { unseenItems: f.unseenItems }),
  };
  return Object.keys(o).length > 0 ? o : undefined;
}
