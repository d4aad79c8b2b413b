/**
 * Error messages as the extension shows them. A loader's error quotes the text it could not
 * read; when that text is a whole line of a data file (several fields) the message keeps the
 * file, line and what was expected, and leaves the line out: the editor shows at most the
 * offending field of a file, never a line of whatever file a path pointed at.
 */
import { errorMessage, InputError } from '../../src/util/errors.js';

/** One field: no whitespace and none of the separators data files use. */
export function isOneField(text: string): boolean {
  return !/[\s,;|]|::/.test(text);
}

export function displayMessage(e: unknown): string {
  if (!(e instanceof InputError) || e.text === undefined || isOneField(e.text))
    return errorMessage(e);
  const at = e.line !== undefined ? `${e.file}:${e.line}` : e.file;
  return `${at}: expected ${e.expected}`;
}
