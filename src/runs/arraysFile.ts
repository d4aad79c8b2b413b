/**
 * Named float32 arrays in one compact binary file (embeddings, checkpoints):
 *   bytes 0-7   magic "RLARR01\n"
 *   bytes 8-11  header length H (uint32, little endian)
 *   12..12+H    JSON header {"arrays":[{"name","shape":[rows,cols]}], ...meta}, space-padded to 4 bytes
 *   then        each array's float32 values in header order, little endian
 * Readable from any language with a dozen lines; embeddings.bin holds arrays "users" and "items".
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic.js';

const MAGIC = 'RLARR01\n';

export interface NamedArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface ArraysFile {
  readonly arrays: Record<string, NamedArray>;
  readonly meta: Record<string, unknown>;
}

export function encodeArrays(
  arrays: Record<string, NamedArray>,
  meta: Record<string, unknown> = {},
): Uint8Array {
  const list = Object.entries(arrays).map(([name, a]) => {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.data.length)
      throw new Error(
        `array ${name}: shape ${a.shape.join('x')} does not match ${a.data.length} values`,
      );
    return { name, shape: [...a.shape] };
  });
  let header = JSON.stringify({ ...meta, arrays: list });
  while ((12 + Buffer.byteLength(header)) % 4 !== 0) header += ' ';
  const headerBytes = Buffer.from(header, 'utf8');
  let total = 12 + headerBytes.length;
  for (const a of Object.values(arrays)) total += a.data.byteLength;
  const out = new Uint8Array(total);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  let off = 12 + headerBytes.length;
  // Float32Array memory is in platform order; every platform RecLab runs on is little endian.
  for (const a of Object.values(arrays)) {
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), off);
    off += a.data.byteLength;
  }
  return out;
}

type Header = { arrays?: { name: string; shape: number[] }[] } & Record<string, unknown>;

/** The header length from the first 12 bytes, once the magic is checked. */
function headerLength(start: Uint8Array, file: string): number {
  if (start.length < 12 || Buffer.from(start.subarray(0, 8)).toString('latin1') !== MAGIC) {
    throw new InputError({ file }, 'a RecLab arrays file starting with RLARR01');
  }
  return new DataView(start.buffer, start.byteOffset, start.byteLength).getUint32(8, true);
}

function parseHeader(bytes: Uint8Array, file: string): Header {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as Header;
  } catch {
    throw new InputError({ file }, 'a JSON header after the magic bytes');
  }
}

export function decodeArrays(bytes: Uint8Array, file: string): ArraysFile {
  const h = headerLength(bytes, file);
  const header = parseHeader(bytes.subarray(12, 12 + h), file);
  const specs = header.arrays ?? [];
  const body = 12 + h;
  const need = body + 4 * specs.reduce((s, a) => s + a.shape.reduce((x, y) => x * y, 1), 0);
  if (bytes.length !== need) {
    throw new InputError(
      { file, text: `${bytes.length} bytes` },
      `${need} bytes as its header says (truncated or corrupt file)`,
    );
  }
  // a fresh, aligned copy for the Float32Array views (Buffer#slice would only make a view)
  const copy = Uint8Array.prototype.slice.call(bytes, body);
  const arrays: Record<string, NamedArray> = {};
  let off = 0;
  for (const s of specs) {
    const n = s.shape.reduce((x, y) => x * y, 1);
    arrays[s.name] = { shape: s.shape, data: new Float32Array(copy.buffer, off * 4, n) };
    off += n;
  }
  const { arrays: _omit, ...meta } = header;
  return { arrays, meta };
}

export function writeArraysFile(
  path: string,
  arrays: Record<string, NamedArray>,
  meta?: Record<string, unknown>,
): void {
  writeFileAtomic(path, encodeArrays(arrays, meta));
}

export function readArraysFile(path: string): ArraysFile {
  return decodeArrays(readFileSync(path), path);
}

/** The header's meta of an arrays file (e.g. a checkpoint's epoch), without reading the arrays. */
export function readArraysMeta(path: string): Record<string, unknown> {
  const fd = openSync(path, 'r');
  try {
    const start = new Uint8Array(12);
    const h = headerLength(start.subarray(0, readSync(fd, start, 0, 12, 0)), path);
    // a corrupt length is not allocated: a short read fails as a broken header
    const bytes = new Uint8Array(Math.min(h, Math.max(0, fstatSync(fd).size - 12)));
    const { arrays: _omit, ...meta } = parseHeader(
      bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, 12)),
      path,
    );
    return meta;
  } finally {
    closeSync(fd);
  }
}
