/**
 * What a dataset was made of: the size and sha256 of each source file, recorded in a run's
 * run.json when the run is created. It says which data a run saw whatever the dataset was
 * called or where it lay (the papers' numbers are tied to the papers' files by it).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { parseDatasetSpec } from './spec.js';

export interface SourceFile {
  /** the file's name, without its folder */
  readonly name: string;
  readonly bytes: number;
  /** lower-case hex sha256 of the file's bytes */
  readonly sha256: string;
}

const CHUNK = 1 << 20;

/** Size and sha256 of one file, read in 1 MB chunks (constant memory whatever its size). */
export function fingerprintFile(path: string): SourceFile {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { name: basename(path), bytes, sha256: hash.digest('hex') };
}

/**
 * The fingerprints of a dataset's sources, in their order (train, test, valid for datasets
 * with given files). Sources that are not files (the generated demo's description) are left
 * out, so a dataset without files has an empty fingerprint.
 */
export function fingerprintSources(sources: readonly string[]): SourceFile[] {
  return sources
    .filter((p) => existsSync(p) && statSync(p).isFile())
    .map((p) => fingerprintFile(p));
}

/**
 * The files a LightGCN-layout spec reads (`gowalla:<dir>`, `lightgcn:<dir>` or
 * `lightgcn:<train>,<test>[,<valid>]`), relative paths taken from `base`; undefined for any
 * other spec. For runs saved before fingerprints were recorded, which name their data only by
 * the spec: a folder gives its train.txt and test.txt (a valid.txt is not looked at, so such a
 * fingerprint can only match a two-file protocol such as the papers' Gowalla).
 */
export function lightGcnSpecFiles(spec: string, base: string): string[] | undefined {
  let parsed;
  try {
    parsed = parseDatasetSpec(spec);
  } catch {
    return undefined;
  }
  if (parsed.format !== 'lightgcn' || !parsed.path) return undefined;
  const abs = (p: string) => (isAbsolute(p) ? p : join(base, p));
  if (parsed.test) return [parsed.path, parsed.test, parsed.valid].filter(isString).map(abs);
  const path = abs(parsed.path);
  if (existsSync(path) && statSync(path).isFile()) return [path];
  return [join(path, 'train.txt'), join(path, 'test.txt')];
}

function isString(x: string | undefined): x is string {
  return x !== undefined;
}

/** What run.json says about a run's data (structurally, so this layer needs no run types). */
export interface RecordedRunData {
  readonly data?: { readonly files?: readonly SourceFile[] };
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * A run's source files: the fingerprint its run.json recorded; for runs saved before
 * fingerprints were recorded, the files its LightGCN-layout spec names, hashed now (relative
 * paths from `base`, where the run was started), and only when they all still exist. So an
 * older run on the real files keeps what it reproduces, and one whose files moved or changed
 * since, or that named its data another way, counts as data of unknown origin (undefined).
 */
export function runSourceFiles(meta: RecordedRunData, base: string): SourceFile[] | undefined {
  if (meta.data?.files) return [...meta.data.files];
  const spec = meta.config.dataset;
  const paths = typeof spec === 'string' ? lightGcnSpecFiles(spec, base) : undefined;
  if (!paths || !paths.every((p) => existsSync(p) && statSync(p).isFile())) return undefined;
  return fingerprintSources(paths);
}
