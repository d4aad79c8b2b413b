/**
 * Streaming access to text files with the checks every loader needs up front: the file
 * exists, is not empty, and is text (no NUL bytes, valid UTF-8 in its first chunk), so a
 * wrong path or a binary file fails with a message naming it rather than as garbage later.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../../util/errors.js';

/** Bytes inspected for the text checks; also the read chunk size. */
const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 1 << 20;

/** Throws InputError unless `file` is an existing, non-empty text file. Returns its size. */
export async function checkTextFile(file: string): Promise<number> {
  let size: number;
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new InputError({ file }, 'a file, found a directory');
    size = s.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({ file }, 'an existing, readable file');
  }
  if (size === 0) throw new InputError({ file }, 'a non-empty file (the file is empty)');
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    checkTextHead(file, head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
  return size;
}

/** NUL bytes or invalid UTF-8 in the head mean a binary (or wrongly encoded) file. */
export function checkTextHead(file: string, head: Uint8Array): void {
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw new InputError(
      { file, line: lineOfOffset(head, nul), text: 'a NUL byte' },
      'a text file (this looks binary)',
    );
  }
  const bad = firstInvalidUtf8Line(head);
  if (bad !== undefined) {
    throw new InputError(
      { file, line: bad.line, text: bad.text },
      'a UTF-8 text file (found invalid UTF-8 bytes: binary or another encoding?)',
    );
  }
}

function lineOfOffset(buf: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) line++;
  return line;
}

/** The first line whose bytes are not valid UTF-8; the head's last line may be cut short. */
function firstInvalidUtf8Line(head: Uint8Array): { line: number; text: string } | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return undefined;
  } catch {
    let start = 0;
    let line = 1;
    const strict = new TextDecoder('utf-8', { fatal: true });
    while (start < head.length) {
      let end = head.indexOf(0x0a, start);
      if (end < 0) end = head.length;
      const bytes = head.subarray(start, end);
      try {
        strict.decode(bytes, { stream: end === head.length });
      } catch {
        return { line, text: new TextDecoder('utf-8').decode(bytes) };
      }
      start = end + 1;
      line++;
    }
    return { line: 1, text: '' };
  }
}

/**
 * Calls `onLine(line, lineNo)` for each line (1-based numbers; '\n' or '\r\n' endings; a
 * leading BOM dropped), reading 1 MB chunks so a large file is never held whole. An error
 * thrown by `onLine` stops the read and propagates. Resolves to the number of lines.
 */
export async function forEachLine(
  file: string,
  onLine: (line: string, lineNo: number) => void,
): Promise<number> {
  await checkTextFile(file);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 0;
  const emit = (line: string): void => {
    lineNo++;
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line, lineNo);
  };
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      emit(text.slice(start, nl));
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry.length > 0) emit(carry);
  return lineNo;
}

/**
 * The complete lines at the start of a (checked) text file, at most `maxLines`, for format
 * sniffing. A line cut by the head's end is left out unless it is the file's last.
 */
export async function readHeadLines(file: string, maxLines = 50): Promise<string[]> {
  const size = await checkTextFile(file);
  const fh = await open(file, 'r');
  let text: string;
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    text = new TextDecoder('utf-8').decode(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (size > HEAD_BYTES && lines.length > 1) lines.pop();
  return lines.slice(0, maxLines).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
