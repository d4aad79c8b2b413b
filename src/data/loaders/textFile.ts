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

/**
 * Compressed files, UTF-16, NUL bytes or invalid UTF-8 in the head: say what the file is
 * rather than fail on garbage later. Messages quote no content of the file.
 */
export function checkTextHead(file: string, head: Uint8Array): void {
  const other = binaryKind(head);
  if (other) throw new InputError({ file }, other);
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw new InputError(
      { file, line: lineOfOffset(head, nul), text: 'a NUL byte' },
      'a text file (this looks binary)',
    );
  }
  const bad = firstInvalidUtf8(head);
  if (bad !== undefined) {
    const hex = bad.byte.toString(16).toUpperCase().padStart(2, '0');
    throw new InputError(
      { file, line: bad.line },
      `UTF-8 text (byte 0x${hex} at column ${bad.column} is not UTF-8: Latin-1 or another encoding? save the file as UTF-8)`,
    );
  }
}

/** What a binary head is, for the formats users most often give by mistake. */
function binaryKind(head: Uint8Array): string | undefined {
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b);
  if (starts(0x1f, 0x8b)) return 'a text file, not gzip-compressed data (decompress it first)';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a text file, not a zip archive (extract it first)';
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) {
    return 'a UTF-8 text file, not UTF-16 (save it as UTF-8)';
  }
  return undefined;
}

/**
 * What a file's first line says it is when it is not rows of fields (JSON, HTML, XML), for
 * messages; undefined when it could be rows.
 */
export function whatElse(line: string): string | undefined {
  const t = line.trimStart();
  if (/^[[{]\s*(["{}[\]\d-]|$)/.test(t)) return 'JSON';
  if (/^<(!doctype html|html[\s>])/i.test(t))
    return 'an HTML page (a web page saved in place of the data?)';
  if (/^<\?xml/i.test(t)) return 'XML';
  return undefined;
}

function lineOfOffset(buf: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) line++;
  return line;
}

/** The first byte that is not valid UTF-8, by line and 1-based byte column; the head's last character may be cut short. */
function firstInvalidUtf8(
  head: Uint8Array,
): { line: number; column: number; byte: number } | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return undefined;
  } catch {
    // Find the offending byte: decode growing prefixes of the first bad line.
    let start = 0;
    let line = 1;
    while (start < head.length) {
      let end = head.indexOf(0x0a, start);
      if (end < 0) end = head.length;
      const bytes = head.subarray(start, end);
      const at = invalidUtf8Offset(bytes, end === head.length);
      if (at >= 0) return { line, column: at + 1, byte: bytes[at] };
      start = end + 1;
      line++;
    }
    return { line: 1, column: 1, byte: head[0] };
  }
}

/** Offset of the first invalid UTF-8 sequence in `bytes`, -1 when none. */
function invalidUtf8Offset(bytes: Uint8Array, mayBeCut: boolean): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len =
      b < 0x80
        ? 1
        : b >= 0xc2 && b < 0xe0
          ? 2
          : b >= 0xe0 && b < 0xf0
            ? 3
            : b >= 0xf0 && b < 0xf5
              ? 4
              : 0;
    if (len === 0) return i;
    if (i + len > bytes.length) return mayBeCut ? -1 : i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return -1;
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
