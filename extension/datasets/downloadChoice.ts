/**
 * What the Download Benchmark Dataset command shows, as pure functions: the quick-pick items,
 * the licence dialog, the target folder, and the progress notification's increments.
 */
import { isAbsolute, join } from 'node:path';
import { displaySize, fullyPinned, type DatasetEntry } from '../../src/data/download/catalog.js';
import { overallFraction, type DownloadProgress } from '../../src/data/download/download.js';

export const DEFAULT_DATASETS_FOLDER = 'datasets';

export interface CatalogPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly id: string;
}

/** One item per dataset: title, id and size, licence in the detail line. */
export function catalogPickItems(
  catalog: readonly DatasetEntry[],
  downloaded: (id: string) => boolean = () => false,
): CatalogPickItem[] {
  return catalog.map((e) => ({
    label: e.title,
    description: `${e.id} · ${displaySize(e)}${downloaded(e.id) ? ' · downloaded' : ''}`,
    detail: `${e.licenceShort} — ${e.summary}`,
    id: e.id,
  }));
}

/** The modal shown before downloading: source URL, licence, citation, checks. */
export function licenceDialog(
  e: DatasetEntry,
  target: string,
): { message: string; detail: string } {
  const checks = fullyPinned(e)
    ? 'Size and sha256 of every file are pinned and checked.'
    : e.files.some((f) => f.sha256)
      ? 'Some files have a pinned sha256; the others are checked against the announced size.'
      : 'No checksum is pinned; sizes are checked against what the server announces.';
  return {
    message: `Download ${e.title} (${displaySize(e)})?`,
    detail: [
      `Source: ${e.homepage}`,
      ...(e.origin ? [`Original data: ${e.origin}`] : []),
      '',
      `Licence: ${e.licence}`,
      '',
      `Cite: ${e.citation}`,
      '',
      checks,
      `Saved to: ${target}`,
    ].join('\n'),
  };
}

/** The folder the datasets go under: the setting, relative to the workspace unless absolute. */
export function datasetsParent(workspace: string, setting: string | undefined): string {
  const s = (setting ?? '').trim() || DEFAULT_DATASETS_FOLDER;
  return isAbsolute(s) ? s : join(workspace, s);
}

/**
 * Turns download progress into `progress.report({ increment, message })` calls: increments in
 * percent that add up to 100, a message in MB, and no report unless the message or the
 * whole-percent changed (the notification need not hear about every chunk).
 */
export class ProgressIncrements {
  private reported = 0;
  private lastMessage = '';

  next(p: DownloadProgress): { increment: number; message: string } | undefined {
    const percent = Math.floor(overallFraction(p) * 100);
    const message = progressMessage(p);
    if (percent <= this.reported && message === this.lastMessage) return undefined;
    const increment = Math.max(0, percent - this.reported);
    this.reported = Math.max(this.reported, percent);
    this.lastMessage = message;
    return { increment, message };
  }
}

/** "train.txt (1/2): 1.2 MB of 4.6 MB", "ml-100k.zip: extracting". */
export function progressMessage(p: DownloadProgress): string {
  const which = p.count > 1 ? `${p.file} (${p.index + 1}/${p.count})` : p.file;
  if (p.phase === 'extract') return `${which}: extracting`;
  // tenths of a MB, so the message changes at most ten times a MB
  const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  return p.total ? `${which}: ${mb(p.received)} of ${mb(p.total)}` : `${which}: ${mb(p.received)}`;
}
