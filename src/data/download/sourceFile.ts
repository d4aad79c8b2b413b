/** SOURCE.md: what a downloaded dataset folder holds, where it came from, and its terms. */
import type { DatasetEntry } from './catalog.js';

export const SOURCE_FILE = 'SOURCE.md';

export interface SourceRecord {
  readonly entry: DatasetEntry;
  /** when the download finished */
  readonly date: Date;
  /** the spec that loads the folder */
  readonly spec: string;
  /** the files in the folder */
  readonly files: readonly { name: string; bytes: number; sha256: string; from: string }[];
  /** every file fetched (archives included): URL as catalogued, bytes, sha256, pinned or not */
  readonly fetched: readonly { url: string; bytes: number; sha256: string; pinned: boolean }[];
  readonly mirror?: string;
  readonly version?: string;
}

export function sourceMarkdown(r: SourceRecord): string {
  const e = r.entry;
  const lines = [
    `# ${e.title} (${e.id})`,
    '',
    e.summary,
    '',
    `- Source: ${e.homepage}`,
    ...(e.origin ? [`- Original data: ${e.origin}`] : []),
    `- Downloaded: ${r.date.toISOString()}${r.version ? ` by RecLab ${r.version}` : ' by RecLab'}`,
    ...(r.mirror ? [`- Fetched through the mirror ${r.mirror}`] : []),
    `- Load it with: \`reclab inspect ${r.spec}\``,
    '',
    '## Licence',
    '',
    e.licence,
    '',
    'This is a summary; the source page states the terms that apply.',
    '',
    '## Citation',
    '',
    e.citation,
    '',
    '## Files',
    '',
    '| file | bytes | sha256 | from |',
    '| --- | ---: | --- | --- |',
    ...r.files.map((f) => `| ${f.name} | ${f.bytes} | ${f.sha256} | ${f.from} |`),
    '',
    '## Downloads',
    '',
    '| url | bytes | sha256 | checked |',
    '| --- | ---: | --- | --- |',
    ...r.fetched.map(
      (f) =>
        `| ${f.url} | ${f.bytes} | ${f.sha256} | ${f.pinned ? 'pinned sha256 matched' : 'size only (no pinned sha256)'} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
