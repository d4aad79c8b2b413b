/**
 * Guesses a delimited file's layout from its first lines: the delimiter (the candidate that
 * splits every line into the same number of columns, at least two), whether the first line is
 * a header, and whether fields may be quoted.
 */
import { InputError } from '../../util/errors.js';
import { COLUMN_ALIASES, normalizeName } from './columns.js';
import { readHeadLines, whatElse } from './textFile.js';

/** `whitespace` splits on runs of spaces and tabs. */
export const WHITESPACE = 'whitespace';

export interface Layout {
  readonly delimiter: string;
  readonly header: boolean;
  /** the quote character, or false where the format has no quoting (tab, '::', spaces) */
  readonly quote: string | false;
  /** fields of the first non-empty line (the header's names when header is true) */
  readonly firstFields: readonly string[];
  /** the 1-based line number of that line */
  readonly firstLineNo: number;
  readonly columnCount: number;
}

export interface LayoutHint {
  readonly delimiter?: string;
  readonly header?: boolean;
  readonly quote?: string | false;
}

/** Candidates in order of preference when several fit. */
const CANDIDATES = ['::', '\t', ',', ';', '|', WHITESPACE] as const;

/** Splits one line for sniffing; honours double quotes for the CSV family only. */
export function splitLine(line: string, delimiter: string, quote: string | false): string[] {
  if (delimiter === WHITESPACE) return line.trim().split(/[ \t]+/);
  if (quote === false || !line.includes(quote)) return line.split(delimiter);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === quote && line[i + 1] === quote) {
        field += c;
        i++;
      } else if (c === quote) quoted = false;
      else field += c;
    } else if (c === quote) quoted = true;
    else if (line.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += c;
  }
  out.push(field);
  return out;
}

/** Quoting is a CSV-family convention; the other delimiters are used by formats without it. */
export function defaultQuote(delimiter: string): string | false {
  return delimiter === ',' || delimiter === ';' ? '"' : false;
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

export function isNumeric(s: string): boolean {
  return NUMERIC.test(s);
}

function sniffDelimiter(lines: readonly string[]): string | undefined {
  let best: { d: string; share: number } | undefined;
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => splitLine(l, d, defaultQuote(d)).length);
    // The first line may be a header with a different shape (e.g. spaces in names): judge
    // the delimiter on the data lines when there are any.
    const data = counts.length > 1 ? counts.slice(1) : counts;
    const mode = modeOf(data);
    if (mode < 2) continue;
    const share = data.filter((c) => c === mode).length / data.length;
    if (share === 1 && (counts.length === 1 || counts[0] === mode)) return d;
    if (!best || share > best.share) best = { d, share };
  }
  // No candidate fits every line: take the one that fits most (a few bad rows are then
  // reported by the loader with their line numbers, which is more useful than a failed sniff).
  return best && best.share >= 0.5 ? best.d : undefined;
}

function modeOf(xs: readonly number[]): number {
  const freq = new Map<number, number>();
  let mode = 0;
  let top = 0;
  for (const x of xs) {
    const f = (freq.get(x) ?? 0) + 1;
    freq.set(x, f);
    if (f > top) {
      top = f;
      mode = x;
    }
  }
  return mode;
}

/**
 * A header when the first line has a non-number where the data lines all have numbers, or
 * when two or more of its fields are well-known column names.
 */
function sniffHeader(rows: readonly (readonly string[])[]): boolean {
  const [first, ...data] = rows;
  if (data.length > 0) {
    for (let j = 0; j < first.length; j++) {
      if (!isNumeric(first[j]) && data.every((r) => r[j] !== undefined && isNumeric(r[j]))) {
        return true;
      }
    }
  }
  const known = new Set(Object.values(COLUMN_ALIASES).flat());
  return first.filter((f) => known.has(normalizeName(f))).length >= 2;
}

/** How a delimiter is named in messages. */
export function delimiterName(d: string): string {
  if (d === WHITESPACE) return 'spaces';
  if (d === '\t') return 'tabs';
  return JSON.stringify(d);
}

/** Sniffs what the hint leaves open; throws InputError when no delimiter fits. */
export async function sniffLayout(file: string, hint: LayoutHint = {}): Promise<Layout> {
  const head = await readHeadLines(file);
  const first = head.findIndex((l) => l.trim().length > 0);
  if (first < 0) {
    throw new InputError({ file }, 'at least one data line (the file has only blank lines)');
  }
  const other = whatElse(head[first]);
  if (other) {
    throw new InputError(
      { file, line: first + 1, text: head[first].trim().slice(0, 1) },
      `rows of delimited fields (user, item[, rating, timestamp]), not ${other}`,
    );
  }
  const lines = head.filter((l) => l.trim().length > 0);
  const delimiter = hint.delimiter ?? sniffDelimiter(lines);
  if (delimiter === undefined) {
    throw new InputError(
      { file, line: first + 1 },
      'delimited columns (user, item[, rating, timestamp]) separated by tabs, commas, semicolons, "::", "|" or spaces (found one column)',
    );
  }
  const quote = hint.quote ?? defaultQuote(delimiter);
  const rows = lines.map((l) => splitLine(l, delimiter, quote).map((f) => f.trim()));
  if (hint.delimiter !== undefined && rows[0].length < 2) {
    const fits = sniffDelimiter(lines);
    const instead = fits !== undefined ? `; it looks separated by ${delimiterName(fits)}` : '';
    throw new InputError(
      { file, line: first + 1 },
      `columns separated by ${delimiterName(delimiter)} (found one column${instead})`,
    );
  }
  const header = hint.header ?? sniffHeader(rows);
  return {
    delimiter,
    header,
    quote,
    firstFields: rows[0],
    firstLineNo: first + 1,
    columnCount: rows[0].length,
  };
}
