/**
 * Writes that never leave a half-written file behind: write a temp file beside the target,
 * flush it, then rename over the target (atomic on one file system); and appends that never
 * leave a fragment for the next append to be glued onto. A temp name says which process on
 * which host wrote it, so a later process can remove what a killed one left behind.
 */
import {
  closeSync,
  constants,
  fsyncSync,
  ftruncateSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

// Temp files in a folder shared between machines must not be judged by a pid of another host.
const HOST_TAG = `h${createHash('sha256').update(hostname()).digest('hex').slice(0, 8)}`;

/** `<pid>.h<host>.<random>`: the part of a temp name that says who wrote it. */
export function tempTag(): string {
  return `${process.pid}.${HOST_TAG}.${randomBytes(4).toString('hex')}`;
}

// `<base>.<tag><suffix>`; tags written before host tags existed have no `h<host>.` part
const TAGGED = /^.+?\.(\d+)\.(?:(h[0-9a-f]{8})\.)?[0-9a-f]{8}\.(?:tmp|creating)$/;

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `name` is a temp file (`.tmp`) or folder (`.creating`) whose writer is gone: its pid
 * is not alive on this host. Another host's temp names are never judged (its writer may be alive).
 */
export function isDeadWritersTemp(name: string): boolean {
  const m = TAGGED.exec(name);
  if (!m) return false;
  const [, pid, host] = m;
  if (host !== undefined && host !== HOST_TAG) return false;
  return !pidAlive(Number(pid));
}

/** Bytes that may still be written before writes fail as on a full disk (tests only). */
let writeBudget: number | undefined;

/**
 * Test seam: after `bytesLeft` more bytes, every write fails with ENOSPC as on a full disk;
 * `undefined` lifts the limit. Used where a small tmpfs cannot be mounted.
 */
export function simulateDiskFull(bytesLeft: number | undefined): void {
  writeBudget = bytesLeft;
}

function diskFullError(): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error('ENOSPC: no space left on device, write');
  e.code = 'ENOSPC';
  e.errno = -28;
  e.syscall = 'write';
  return e;
}

/** Writes all of `data` at `position` (or the current offset when null). */
function writeAll(fd: number, data: Uint8Array, position: number | null): void {
  let off = 0;
  while (off < data.length) {
    const n = Math.min(data.length - off, writeBudget ?? Infinity);
    if (n === 0) throw diskFullError();
    const written = writeSync(fd, data, off, n, position === null ? null : position + off);
    if (writeBudget !== undefined) writeBudget -= written;
    off += written;
  }
}

const bytesOf = (data: string | Uint8Array): Uint8Array =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : data;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${tempTag()}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, bytesOf(data), null);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, jsonText(value));
}

/**
 * Overwrites a small JSON file in place. Not atomic, so only a fallback: it needs no room for
 * a temp file, and can record a failure on a full disk (the file's blocks are allocated).
 */
export function overwriteJsonInPlace(path: string, value: unknown): void {
  const data = bytesOf(jsonText(value));
  const fd = openSync(path, 'r+');
  try {
    writeAll(fd, data, 0);
    ftruncateSync(fd, data.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends `text` to a file whose first `length` bytes are known to be good, and returns the
 * new length. The text is written at `length`, not at the end, and the file is cut after it:
 * whatever a killed or failed earlier write left past `length` is overwritten, and a write
 * that fails now is cut back, so a later append never glues onto a fragment.
 */
export function appendAt(path: string, length: number, text: string): number {
  const data = bytesOf(text);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT);
  try {
    writeAll(fd, data, length);
    ftruncateSync(fd, length + data.length);
    fsyncSync(fd);
  } catch (e) {
    try {
      ftruncateSync(fd, length);
    } catch {
      // the error that matters is the write's; the next append overwrites from `length` anyway
    }
    throw e;
  } finally {
    closeSync(fd);
  }
  return length + data.length;
}
