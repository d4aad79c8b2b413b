/**
 * downloadDataset: a catalog entry to a folder `<dir>/<id>/` holding its files and SOURCE.md.
 * Everything is fetched and extracted into `<dir>/<id>.part/` first, which is renamed to
 * `<dir>/<id>` only when every file checked out; on error or cancel the staging folder is
 * removed, so a folder `<dir>/<id>` is always a complete download.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import { InputError } from '../../util/errors.js';
import { VERSION } from '../../version.js';
import { catalogEntry, specFor, type CatalogFile, type DatasetEntry } from './catalog.js';
import { AlreadyDownloadedError, DownloadCancelledError } from './errors.js';
import { fetchFile } from './fetchFile.js';
import { mirroredUrl, resolveMirror } from './mirror.js';
import { SOURCE_FILE, sourceMarkdown, type SourceRecord } from './sourceFile.js';
import { extractZipMembers, isPlainFileName } from './zip.js';

export interface DownloadProgress {
  readonly phase: 'download' | 'extract';
  /** the file being fetched (or the archive being extracted) */
  readonly file: string;
  /** 0-based index of that file in the entry, and the number of files */
  readonly index: number;
  readonly count: number;
  /** bytes of this file so far, and its size when known (pinned, else Content-Length) */
  readonly received: number;
  readonly total?: number;
  /** bytes over all files so far, and the sum of all sizes when every one is pinned */
  readonly receivedAll: number;
  readonly totalAll?: number;
}

export interface DownloadOptions {
  /** the parent folder: the dataset goes to `<dir>/<id>/` */
  readonly dir: string;
  /** replace an existing folder */
  readonly force?: boolean;
  /** base URL replacing the hosts (see mirror.ts); default $RECLAB_DOWNLOAD_MIRROR */
  readonly mirror?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DownloadProgress) => void;
  /** the environment to read the mirror from (tests) */
  readonly env?: NodeJS.ProcessEnv;
}

export interface DownloadedFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface DownloadResult {
  readonly dataset: string;
  /** the dataset folder (absolute) */
  readonly dir: string;
  /** the files in it, SOURCE.md aside */
  readonly files: DownloadedFile[];
  /** the spec that loads it: `reclab inspect <spec>` */
  readonly spec: string;
  readonly seconds: number;
}

/** Where `downloadDataset` puts an entry. */
export function datasetFolder(dir: string, id: string): string {
  return join(resolve(dir), id);
}

/** Whether a folder holds a finished download (SOURCE.md is written last). */
export function isCompleteDownload(folder: string): boolean {
  return existsSync(join(folder, SOURCE_FILE));
}

/** Fraction 0..1 of the whole download, by bytes when all sizes are pinned, else by file. */
export function overallFraction(p: DownloadProgress): number {
  if (p.totalAll) return Math.min(1, p.receivedAll / p.totalAll);
  const within = p.phase === 'extract' ? 1 : p.total ? Math.min(1, p.received / p.total) : 0;
  return (p.index + within) / p.count;
}

function isNonEmptyDir(path: string): boolean {
  try {
    return statSync(path).isDirectory() && readdirSync(path).length > 0;
  } catch {
    return false;
  }
}

function checkEntry(e: DatasetEntry): void {
  for (const f of e.files) {
    if (!isPlainFileName(f.name) || f.name === SOURCE_FILE)
      throw new InputError({ file: `catalog entry ${e.id}`, text: f.name }, 'plain file names');
  }
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(e.id))
    throw new InputError({ file: 'catalog', text: e.id }, 'a dataset id of letters, digits, . _ -');
}

/** Downloads one catalog entry (by id, or an entry object) into `<dir>/<id>/`. */
export async function downloadDataset(
  dataset: string | DatasetEntry,
  opts: DownloadOptions,
): Promise<DownloadResult> {
  const started = performance.now();
  const entry = typeof dataset === 'string' ? catalogEntry(dataset) : dataset;
  checkEntry(entry);
  const mirror = resolveMirror(opts.mirror, opts.env ?? process.env);
  const target = datasetFolder(opts.dir, entry.id);
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new InputError({ file: target }, 'a folder (or nothing) to download the dataset into');
  if (isNonEmptyDir(target) && !opts.force)
    throw new AlreadyDownloadedError(target, isCompleteDownload(target));
  const { signal } = opts;
  if (signal?.aborted) throw new DownloadCancelledError(`download of ${entry.id} cancelled`);

  const stage = `${target}.part`;
  await rm(stage, { recursive: true, force: true }); // left by a process that died
  await mkdir(stage, { recursive: true });
  try {
    const count = entry.files.length;
    const sizes = entry.files.map((f) => f.bytes);
    const totalAll = sizes.every((s) => s !== undefined)
      ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0)
      : undefined;
    let doneBytes = 0;
    const files: SourceRecord['files'][number][] = [];
    const fetched: SourceRecord['fetched'][number][] = [];
    for (let index = 0; index < count; index++) {
      const f: CatalogFile = entry.files[index];
      const url = mirroredUrl(f.url, mirror);
      const dest = join(stage, f.name);
      const report = (phase: DownloadProgress['phase'], received: number, total?: number) =>
        opts.onProgress?.({
          phase,
          file: f.name,
          index,
          count,
          received,
          ...(total !== undefined ? { total } : {}),
          receivedAll: doneBytes + received,
          ...(totalAll !== undefined ? { totalAll } : {}),
        });
      const got = await fetchFile(url, dest, {
        ...(f.bytes !== undefined ? { expectedBytes: f.bytes } : {}),
        ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}),
        ...(signal ? { signal } : {}),
        onProgress: (received, total) => report('download', received, total),
      });
      doneBytes += got.bytes;
      fetched.push({ url: f.url, bytes: got.bytes, sha256: got.sha256, pinned: !!f.sha256 });
      if (f.zip) {
        report('extract', got.bytes, got.bytes);
        const members = await extractZipMembers(dest, f.zip.keep, stage, url);
        await rm(dest, { force: true });
        for (const m of members) files.push({ ...m, from: `${f.name} (member ${m.member})` });
      } else {
        files.push({ name: f.name, bytes: got.bytes, sha256: got.sha256, from: f.url });
      }
      if (signal?.aborted) throw new DownloadCancelledError(`download of ${entry.id} cancelled`);
    }
    const spec = specFor(entry, target);
    writeFileAtomic(
      join(stage, SOURCE_FILE),
      sourceMarkdown({
        entry,
        date: new Date(),
        spec,
        files,
        fetched,
        version: VERSION,
        ...(mirror ? { mirror } : {}),
      }),
    );
    if (signal?.aborted) throw new DownloadCancelledError(`download of ${entry.id} cancelled`);
    await moveIntoPlace(stage, target);
    return {
      dataset: entry.id,
      dir: target,
      files: files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
      spec,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (e) {
    await rm(stage, { recursive: true, force: true });
    throw e;
  }
}

/** Renames the staging folder over the target, replacing what is there (checked before). */
async function moveIntoPlace(stage: string, target: string): Promise<void> {
  if (!existsSync(target)) {
    await rename(stage, target);
    return;
  }
  const old = `${target}.old`;
  await rm(old, { recursive: true, force: true });
  await rename(target, old);
  try {
    await rename(stage, target);
  } catch (e) {
    await rename(old, target).catch(() => undefined);
    throw e;
  }
  await rm(old, { recursive: true, force: true });
}
