/**
 * Errors a user can act on. Each names where the problem is (file, line), what was found
 * (truncated) and what was expected, so the CLI prints it as one line and the extension shows it.
 */
export class RecLabError extends Error {
  override readonly name: string = 'RecLabError';
}

export interface InputLocation {
  readonly file: string;
  /** 1-based line number, when the problem is on one line */
  readonly line?: number;
  /** the offending text, truncated for display */
  readonly text?: string;
}

export class InputError extends RecLabError {
  override readonly name: string = 'InputError';
  readonly file: string;
  readonly line: number | undefined;
  readonly text: string | undefined;
  readonly expected: string;

  constructor(where: InputLocation, expected: string) {
    const at = where.line !== undefined ? `${where.file}:${where.line}` : where.file;
    const found =
      where.text !== undefined ? ` (found ${JSON.stringify(truncate(where.text, 80))})` : '';
    super(`${at}: expected ${expected}${found}`);
    this.file = where.file;
    this.line = where.line;
    this.text = where.text;
    this.expected = expected;
  }
}

/** A run that cannot go on: NaN loss, cancelled, out of memory. */
export class TrainingError extends RecLabError {
  override readonly name: string = 'TrainingError';
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
