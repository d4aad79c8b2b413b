/**
 * Dataset specs: the one-line strings users type (`demo`, `gowalla:<dir>`, `csv:<file>`,
 * `lightgcn:train.txt,test.txt`, a plain path) and the typed object the CLI and experiment
 * files build from flags or JSON. Parsing is pure; loading is in dataset.ts.
 */
import { InputError } from '../util/errors.js';
import type { UnseenItemPolicy } from './assemble.js';
import type { ColumnMapping } from './loaders/columns.js';
import type { DemoOptions } from './synth.js';

export type DatasetFormat =
  | 'demo'
  | 'lightgcn'
  | 'movielens'
  | 'recbole'
  | 'lastfm-kg'
  | 'lastfm-social'
  | 'sessions'
  | 'delimited'
  | 'auto';

export interface DatasetSpec {
  readonly format: DatasetFormat;
  /** the file or folder to load (the training file when test/valid are given); not for demo */
  readonly path?: string;
  readonly test?: string;
  readonly valid?: string;
  /** display name; default from the path (gowalla/train.txt -> gowalla) */
  readonly name?: string;
  /** delimited files: a delimiter ('\t', ',', '::', 'whitespace', ...); sniffed when absent */
  readonly delimiter?: string;
  /** delimited files: whether the first line is a header; sniffed when absent */
  readonly header?: boolean;
  /** delimited files: the quote character, or false for none */
  readonly quote?: string | false;
  /** delimited and RecBole files: which column is what, by name or 0-based index */
  readonly columns?: ColumnMapping;
  /** keep repeated (user, item) rows of implicit feedback (default: the earliest is kept) */
  readonly keepDuplicates?: boolean;
  /**
   * given test/valid files: rows of items without training interactions kept ('keep', the
   * items join the catalogue) or left out ('drop'); default: as the format's reference code
   * (kept for LightGCN and RecBole, left out otherwise). See src/data/assemble.ts.
   */
  readonly unseenItems?: UnseenItemPolicy;
  /** demo: generator settings */
  readonly demo?: DemoOptions;
}

/** Options that refine a spec string; `format` overrides its prefix. */
export type DatasetSpecOptions = Partial<DatasetSpec>;

const PREFIXES: Readonly<Record<string, DatasetFormat>> = {
  demo: 'demo',
  synthetic: 'demo',
  gowalla: 'lightgcn',
  lightgcn: 'lightgcn',
  ngcf: 'lightgcn',
  movielens: 'movielens',
  ml: 'movielens',
  recbole: 'recbole',
  'lastfm-kg': 'lastfm-kg',
  kg: 'lastfm-kg',
  'lastfm-social': 'lastfm-social',
  sessions: 'sessions',
  csv: 'delimited',
  tsv: 'delimited',
  delimited: 'delimited',
  auto: 'auto',
};

/** The format prefixes a spec may start with (`csv:`, `gowalla:`, ...). */
export const SPEC_PREFIXES: readonly string[] = Object.keys(PREFIXES);

export const SPEC_HELP =
  'a dataset spec: demo, gowalla:<dir>, lightgcn:<dir or train.txt[,test.txt[,valid.txt]]>, movielens:<file>, recbole:<file.inter>, lastfm-kg:<dir>, lastfm-social:<dir>, sessions:<file> (session, item, time), csv:<file>, or a path';

const DEMO_KEYS = new Set<keyof DemoOptions>([
  'users',
  'items',
  'seed',
  'communities',
  'affinity',
  'zipf',
  'minPerUser',
  'medianExtra',
  'days',
  'start',
]);

/** `users=500,items=300,seed=1` -> DemoOptions; throws InputError on unknown keys. */
function parseDemoArgs(spec: string, args: string): DemoOptions {
  const out: Record<string, number> = {};
  for (const part of args.split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (!DEMO_KEYS.has(k as keyof DemoOptions) || v === undefined || !Number.isFinite(n)) {
      throw new InputError(
        { file: 'dataset spec', text: spec },
        `demo settings as key=number, keys: ${[...DEMO_KEYS].join(', ')}`,
      );
    }
    out[k] = n;
  }
  return out;
}

/**
 * Parses `format:path[,test[,valid]]` or a plain path (format 'auto'). A Windows drive letter
 * is not taken for a format because only the known prefixes are.
 */
export function parseDatasetSpec(spec: string, options: DatasetSpecOptions = {}): DatasetSpec {
  const s = spec.trim();
  if (s.length === 0) throw new InputError({ file: 'dataset spec', text: spec }, SPEC_HELP);
  const m = /^([a-z][a-z-]*):(.*)$/i.exec(s);
  const prefix = m
    ? PREFIXES[m[1].toLowerCase()]
    : PREFIXES[s.toLowerCase()] === 'demo'
      ? 'demo'
      : undefined;
  const rest = m && prefix ? m[2] : prefix === 'demo' ? '' : s;
  let base: DatasetSpec;
  if (prefix === 'demo') {
    base = { format: 'demo', demo: { ...parseDemoArgs(spec, rest), ...options.demo } };
  } else {
    const [path, test, valid, ...extra] = rest.split(',').map((p) => p.trim());
    if (!path || extra.length > 0)
      throw new InputError({ file: 'dataset spec', text: spec }, SPEC_HELP);
    base = {
      format: prefix ?? 'auto',
      path,
      ...(test ? { test } : {}),
      ...(valid ? { valid } : {}),
      ...(m && m[1].toLowerCase() === 'tsv' ? { delimiter: '\t' } : {}),
    };
  }
  return { ...base, ...options, format: options.format ?? base.format };
}

/** The string form of a spec's format and files (for run metadata and messages). */
export function formatDatasetSpec(spec: DatasetSpec): string {
  if (spec.format === 'demo') {
    const args = Object.entries(spec.demo ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return args ? `demo:${args}` : 'demo';
  }
  const files = [spec.path, spec.test, spec.valid].filter(Boolean).join(',');
  return `${spec.format === 'delimited' ? 'csv' : spec.format}:${files}`;
}
