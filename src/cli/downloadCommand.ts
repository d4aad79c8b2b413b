/**
 * `reclab download [dataset]`: without a dataset, the catalog; with one, its source and licence,
 * then the download with a progress bar (stderr, when a terminal) and Ctrl-C to cancel.
 */
import type { Command } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  CATALOG,
  catalogEntry,
  displaySize,
  formatBytes,
  fullyPinned,
  pinnedBytes,
  specFor,
  type DatasetEntry,
} from '../data/download/catalog.js';
import { downloadDataset, type DownloadProgress } from '../data/download/download.js';
import { MIRROR_ENV, resolveMirror } from '../data/download/mirror.js';
import { formatTable, ProgressLine } from './format.js';

export interface DownloadIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface DownloadFlags {
  dir: string;
  force?: boolean;
  mirror?: string;
  json?: boolean;
}

export const DEFAULT_DATASETS_DIR = 'datasets';

/** A path relative to the current folder when it is inside it (for messages people copy). */
function friendly(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function checksumNote(e: DatasetEntry): string {
  if (fullyPinned(e)) return 'size and sha256 pinned';
  if (e.files.some((f) => f.sha256)) return 'partly pinned';
  return 'no checksum pinned, size checked against Content-Length';
}

function listCatalog(json: boolean | undefined, io: DownloadIo): void {
  io.out(
    formatTable(
      ['id', 'title', 'size', 'licence'],
      CATALOG.map((e) => [e.id, e.title, displaySize(e), e.licenceShort]),
      ['l', 'l', 'r', 'l'],
    ),
  );
  io.out('');
  io.out(
    'reclab download <id> [--dir datasets] downloads one; it shows the source and licence first.',
  );
  if (json)
    io.out(
      JSON.stringify({
        datasets: CATALOG.map((e) => ({
          id: e.id,
          title: e.title,
          bytes: pinnedBytes(e) ?? null,
          approxBytes: e.approxBytes ?? null,
          checksums: checksumNote(e),
          licence: e.licence,
          homepage: e.homepage,
        })),
      }),
    );
}

function progressText(p: DownloadProgress): [string, number, number] {
  const label = `[${p.file}${p.count > 1 ? ` ${p.index + 1}/${p.count}` : ''}]`;
  return [p.phase === 'extract' ? `${label} extracting` : label, p.received, p.total ?? 0];
}

async function runDownload(id: string, o: DownloadFlags, io: DownloadIo): Promise<void> {
  const entry = catalogEntry(id);
  const mirror = resolveMirror(o.mirror);
  io.out(`${entry.title} (${entry.id}): ${entry.summary}`);
  io.out(`source:  ${entry.homepage}`);
  if (entry.origin) io.out(`origin:  ${entry.origin}`);
  io.out(`licence: ${entry.licence}`);
  io.out(`size:    ${displaySize(entry)} (${checksumNote(entry)})`);
  if (mirror) io.out(`mirror:  ${mirror}`);
  const progress = new ProgressLine();
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = await downloadDataset(entry, {
      dir: o.dir,
      ...(o.force ? { force: true } : {}),
      ...(mirror ? { mirror } : {}),
      signal: ac.signal,
      onProgress: (p) => {
        const [label, done, total] = progressText(p);
        progress.update(label, done, total, (d, t) =>
          t > 0 ? `${formatBytes(d)} / ${formatBytes(t)}` : formatBytes(d),
        );
      },
    });
    progress.clear();
    const where = friendly(r.dir);
    io.out(
      `saved ${where}: ${r.files.map((f) => `${f.name} (${formatBytes(f.bytes)})`).join(', ')} in ${r.seconds.toFixed(1)}s`,
    );
    io.out(`load it with: reclab inspect ${specFor(entry, where)}`);
    if (o.json)
      io.out(
        JSON.stringify({
          dataset: r.dataset,
          dir: r.dir,
          files: r.files,
          spec: r.spec,
          seconds: Math.round(r.seconds * 100) / 100,
        }),
      );
  } finally {
    progress.clear();
    process.removeListener('SIGINT', onSigint);
  }
}

export function registerDownloadCommand(program: Command, io: DownloadIo): void {
  program
    .command('download')
    .description(
      'Download a benchmark dataset (MovieLens 100K/1M, Gowalla, Yelp2018, Amazon-Book, Last.FM KG) into <dir>/<id>; without a dataset, list them',
    )
    .argument('[dataset]', `dataset id: ${CATALOG.map((e) => e.id).join(', ')}`)
    .option('--dir <folder>', 'parent folder of the dataset folder', DEFAULT_DATASETS_DIR)
    .option('--force', 'replace an existing download')
    .option(
      '--mirror <url>',
      `base URL to fetch from instead of the original hosts (<url>/<host>/<path>); default $${MIRROR_ENV}`,
    )
    .option('--json', 'print one JSON object as the last line')
    .addHelpText(
      'after',
      '\nThe files go to <dir>/<id>.part first and become <dir>/<id> (with SOURCE.md: URLs, licence,\ncitation, sha256 of each file) only when complete; Ctrl-C cancels and leaves nothing behind.\nPinned sizes and sha256 are checked; other files are checked against Content-Length.',
    )
    .action(async (id: string | undefined, o: DownloadFlags) => {
      if (!id) {
        listCatalog(o.json, io);
        return;
      }
      await runDownload(id, { ...o, dir: resolve(o.dir) }, io);
    });
}
