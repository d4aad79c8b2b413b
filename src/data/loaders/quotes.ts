/**
 * Where a CSV file's quoting goes wrong. csv-parse reports the line where it gave up, which for
 * a quote left open is the end of the file; this scan, run only after csv-parse has failed,
 * finds the line where the bad field starts, following the same rules: a quote opens a field
 * only at its start, "" is a quote inside a quoted field, and a closing quote is followed by a
 * delimiter or the end of the line.
 */
import { InputError } from '../../util/errors.js';
import { forEachLine } from './textFile.js';

const DELIMITER_NAMES: Readonly<Record<string, string>> = {
  ',': 'a comma',
  ';': 'a semicolon',
  '\t': 'a tab',
};

export interface QuoteProblem {
  readonly line: number;
  /** the field as it starts on that line, for the message */
  readonly field: string;
  readonly expected: string;
}

/** The first quoting problem of a CSV file, or undefined when its quoting is well-formed. */
export async function findQuoteProblem(
  file: string,
  delimiter: string,
  quote: string,
): Promise<QuoteProblem | undefined> {
  let problem: QuoteProblem | undefined;
  let open: { line: number; field: string; at: number } | undefined;
  const stop = new Error('stop');
  const q = quote;
  const d = DELIMITER_NAMES[delimiter] ?? `"${delimiter}"`;
  try {
    await forEachLine(file, (text, lineNo) => {
      let i = 0;
      // A field continued from a line before, inside its quotes.
      let inQuotes = open !== undefined;
      let fieldStart = true;
      while (i < text.length) {
        if (inQuotes) {
          const close = text.indexOf(quote, i);
          if (close < 0) break;
          if (text.startsWith(quote, close + quote.length)) {
            i = close + 2 * quote.length;
            continue;
          }
          inQuotes = false;
          i = close + quote.length;
          if (i < text.length && !text.startsWith(delimiter, i)) {
            const at = open ?? { line: lineNo, field: '', at: -1 };
            problem = {
              line: at.line,
              // the field up to the character after its closing quote, when on one line
              field: at.line === lineNo ? text.slice(at.at, i + 1) : at.field,
              expected: `the quoted field that starts here to end with ${q} followed by ${d} or the end of the line (a ${q} inside a quoted field is written ${q}${q})`,
            };
            throw stop;
          }
          open = undefined;
          continue;
        }
        if (fieldStart && text.startsWith(quote, i)) {
          open = { line: lineNo, field: text.slice(i), at: i };
          inQuotes = true;
          fieldStart = false;
          i += quote.length;
          continue;
        }
        if (text.startsWith(delimiter, i)) {
          fieldStart = true;
          i += delimiter.length;
          continue;
        }
        if (text.startsWith(quote, i)) {
          const from = text.lastIndexOf(delimiter, i);
          const to = text.indexOf(delimiter, i);
          problem = {
            line: lineNo,
            field: text.slice(from < 0 ? 0 : from + delimiter.length, to < 0 ? text.length : to),
            expected: `${q} only around a whole field (a field with a ${q} in it is quoted and the ${q} doubled: 24${q} screen is written ${q}24${q}${q} screen${q})`,
          };
          throw stop;
        }
        fieldStart = false;
        i++;
      }
      if (!inQuotes) open = undefined;
    });
  } catch (e) {
    if (e !== stop) throw e;
  }
  if (problem) return problem;
  if (open) {
    return {
      line: open.line,
      field: open.field,
      expected: `the quoted field that starts here to be closed by a ${q} (it runs to the end of the file; a ${q} inside a field is written ${q}${q})`,
    };
  }
  return undefined;
}

/** The InputError for a file csv-parse could not read, at the line where the problem starts. */
export async function csvError(
  file: string,
  delimiter: string,
  quote: string,
  parserLine: number | undefined,
  parserMessage: string,
): Promise<InputError> {
  const p = await findQuoteProblem(file, delimiter, quote).catch(() => undefined);
  if (p) return new InputError({ file, line: p.line, text: p.field }, p.expected);
  return new InputError(
    { file, ...(parserLine ? { line: parserLine } : {}) },
    `well-formed CSV (${parserMessage.replace(/ at line \d+.*$/, '')})`,
  );
}
