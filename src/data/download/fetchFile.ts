/**
 * One file over HTTP(S) with node's fetch: redirects followed, progress per chunk, cancel by
 * AbortSignal, written to `<dest>.part` and renamed only once its size and sha256 are right.
 * Nothing is left behind on failure or cancel.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { errorMessage, InputError } from '../../util/errors.js';
import { DownloadCancelledError, DownloadError } from './errors.js';

export interface FetchFileOptions {
  /** pinned size in bytes */
  readonly expectedBytes?: number;
  /** pinned lower-case hex sha256 */
  readonly sha256?: string;
  readonly signal?: AbortSignal;
  /** bytes received so far, and the total when known (pinned size, else Content-Length) */
  readonly onProgress?: (received: number, total: number | undefined) => void;
}

export interface FetchedFile {
  readonly bytes: number;
  readonly sha256: string;
}

/** The innermost cause of a fetch failure ("connect ECONNREFUSED 127.0.0.1:1"). */
function causeOf(e: unknown): string {
  let cur: unknown = e;
  let msg = errorMessage(e);
  for (let depth = 0; depth < 5 && cur instanceof Error && cur.cause !== undefined; depth++) {
    cur = cur.cause;
    msg = errorMessage(cur);
  }
  return msg;
}

function cancelled(url: string): DownloadCancelledError {
  return new DownloadCancelledError(`download of ${url} cancelled`);
}

function sizeMismatch(
  url: string,
  expected: number,
  expectedWhat: string,
  found: string,
): InputError {
  return new InputError(
    { file: url, text: found },
    `${expected.toLocaleString('en-US')} bytes (${expectedWhat})`,
  );
}

const n = (x: number): string => x.toLocaleString('en-US');

/** Content-Length when it describes the bytes we will read (no content encoding). */
function declaredLength(res: Response): number | undefined {
  const enc = res.headers.get('content-encoding');
  if (enc && enc !== 'identity') return undefined;
  const raw = res.headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw);
}

/** Downloads `url` to `dest` (through `dest.part`), checking size and sha256 when pinned. */
export async function fetchFile(
  url: string,
  dest: string,
  opts: FetchFileOptions = {},
): Promise<FetchedFile> {
  const { signal, expectedBytes, sha256 } = opts;
  if (signal?.aborted) throw cancelled(url);
  let res: Response;
  try {
    // identity: a compressed body would make Content-Length disagree with the bytes we count
    res = await fetch(url, {
      redirect: 'follow',
      headers: { 'accept-encoding': 'identity', 'user-agent': 'reclab' },
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    if (signal?.aborted) throw cancelled(url);
    throw new DownloadError(url, `network error: ${causeOf(e)}`);
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    const where = res.url && res.url !== url ? ` (redirected to ${res.url})` : '';
    throw new DownloadError(
      url,
      `expected HTTP 200, the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${where}`,
    );
  }
  const declared = declaredLength(res);
  if (expectedBytes !== undefined && declared !== undefined && declared !== expectedBytes) {
    await res.body.cancel().catch(() => undefined);
    throw sizeMismatch(url, expectedBytes, 'pinned', `${n(declared)} bytes (Content-Length)`);
  }
  const total = expectedBytes ?? declared;
  const part = `${dest}.part`;
  const hash = createHash('sha256');
  let received = 0;
  let fh: FileHandle | undefined;
  try {
    fh = await open(part, 'w');
    const reader = res.body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (signal?.aborted) throw cancelled(url);
          throw new DownloadError(url, `network error after ${n(received)} bytes: ${causeOf(e)}`);
        }
        if (chunk.done) break;
        const bytes = chunk.value;
        received += bytes.length;
        if (expectedBytes !== undefined && received > expectedBytes)
          throw sizeMismatch(url, expectedBytes, 'pinned', `${n(received)}+ bytes received`);
        hash.update(bytes);
        let off = 0;
        while (off < bytes.length) off += (await fh.write(bytes, off)).bytesWritten;
        opts.onProgress?.(received, total);
      }
    } finally {
      reader.releaseLock();
    }
    if (signal?.aborted) throw cancelled(url);
    await fh.sync();
    await fh.close();
    fh = undefined;
    const expected = expectedBytes ?? declared;
    if (expected !== undefined && received !== expected)
      throw sizeMismatch(
        url,
        expected,
        expectedBytes !== undefined ? 'pinned' : 'Content-Length',
        `${n(received)} bytes received`,
      );
    const digest = hash.digest('hex');
    if (sha256 !== undefined && digest !== sha256.toLowerCase())
      throw new InputError({ file: url, text: `sha256 ${digest}` }, `sha256 ${sha256} (pinned)`);
    await rename(part, dest);
    return { bytes: received, sha256: digest };
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(part, { force: true });
    await res.body.cancel().catch(() => undefined);
    if (signal?.aborted && !(e instanceof DownloadCancelledError)) throw cancelled(url);
    throw e;
  }
}
