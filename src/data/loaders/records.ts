/**
 * Streams the records (arrays of fields) of a delimited file with their 1-based line numbers.
 *
 * Two readers: csv-parse for the CSV family, where quoting (delimiters and newlines inside
 * quoted fields, doubled quotes) is part of the format and a hand-rolled split would get it
 * wrong; a plain line split for the formats that have no quoting (tab, '::', '|', spaces:
 * u.data, ratings.dat, RecBole) or when quoting is turned off, because it is several times
 * faster than csv-parse (~600k records/s).
 */
import { parse, type CsvError } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { csvError } from './quotes.js';
import { WHITESPACE, type Layout } from './sniff.js';
import { checkTextFile, forEachLine } from './textFile.js';

export type RecordSink = (fields: readonly string[], lineNo: number) => void;

/** Calls `onRecord` for each non-empty record, after the header when the layout has one. */
export async function forEachRecord(
  file: string,
  layout: Layout,
  onRecord: RecordSink,
): Promise<void> {
  if (layout.quote === false || layout.delimiter === WHITESPACE) {
    await forEachSplitLine(file, layout, onRecord);
  } else {
    await forEachCsvRecord(file, layout, layout.quote, onRecord);
  }
}

async function forEachSplitLine(file: string, layout: Layout, onRecord: RecordSink): Promise<void> {
  let skip = layout.header;
  const ws = layout.delimiter === WHITESPACE;
  await forEachLine(file, (line, lineNo) => {
    if (line.length === 0 || line.trim().length === 0) return;
    if (skip) {
      skip = false;
      return;
    }
    onRecord(ws ? line.trim().split(/[ \t]+/) : line.split(layout.delimiter), lineNo);
  });
}

async function forEachCsvRecord(
  file: string,
  layout: Layout,
  quote: string,
  onRecord: RecordSink,
): Promise<void> {
  await checkTextFile(file);
  const parser = parse({
    delimiter: layout.delimiter,
    quote,
    bom: true,
    // Blank lines come through as [''] and are skipped below, so that counting records
    // (plus newlines inside quoted fields) gives each record's line number. csv-parse's own
    // per-record `info` would too, at a third of the speed.
    skip_empty_lines: false,
    // Column counts are checked by the caller, which knows which columns it needs and can
    // name the line; csv-parse's own check would stop with a less specific message.
    relax_column_count: true,
  });
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  await new Promise<void>((resolve, reject) => {
    let skip = layout.header;
    let failed = false;
    let nextLine = 1;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      source.destroy();
      parser.destroy();
      reject(e);
    };
    parser.on('readable', () => {
      try {
        let r: string[] | null;
        while (!failed && (r = parser.read() as string[] | null) !== null) {
          const line = nextLine;
          nextLine++;
          for (const f of r) if (f.includes('\n')) nextLine += f.split('\n').length - 1;
          if (r.length === 1 && r[0].trim().length === 0) continue;
          if (skip) {
            skip = false;
            continue;
          }
          onRecord(r, line);
        }
      } catch (e) {
        fail(e);
      }
    });
    parser.on('error', (e: CsvError) => {
      if (failed) return;
      failed = true;
      source.destroy();
      parser.destroy();
      // The error names the line where the bad field starts, found by a second scan.
      const line = typeof e.lines === 'number' ? e.lines : undefined;
      csvError(file, layout.delimiter, quote, line, e.message).then(reject, reject);
    });
    source.on('error', fail);
    parser.on('end', () => {
      if (!failed) resolve();
    });
    source.pipe(parser);
  });
}
