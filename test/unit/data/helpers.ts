import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/util/errors.js';

export const FIXTURES = join('test', 'fixtures', 'data');
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

let dir: string | undefined;
/** Writes `content` to a file in a fresh temp folder, returns its path (removed at exit). */
export function tempFile(name: string, content: string | Uint8Array): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'reclab-data-'));
    const d = dir;
    process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Asserts that `p` rejects with an InputError at `file`:`line` whose message matches. */
export async function rejectsInput(
  p: Promise<unknown>,
  file: string,
  line: number | undefined,
  message?: RegExp,
): Promise<InputError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  assert.equal(caught.file, file);
  assert.equal(caught.line, line);
  if (message) assert.match(caught.message, message);
  assert.ok(
    caught.message.startsWith(
      line !== undefined ? `${file}:${line}: expected` : `${file}: expected`,
    ),
  );
  return caught;
}

export const ints = (a: ArrayLike<number>): number[] => Array.from(a);
