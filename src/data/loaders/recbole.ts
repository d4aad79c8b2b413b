/**
 * RecBole atomic files: `<name>.inter` (tab-separated, header of `field:type`), with optional
 * siblings `<name>.item`/`<name>.user` (feature tables), `<name>.kg` and `<name>.link` (a
 * knowledge graph), and RecBole's benchmark split `<name>.train.inter`/`.valid.inter`/
 * `.test.inter`.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../../util/errors.js';
import type { Dataset } from '../types.js';
import type { LoadPolicy } from '../assemble.js';
import type { ColumnMapping } from './columns.js';
import { loadDelimitedFiles, type GivenFiles } from './delimited.js';
import { readRecBoleKg } from './kg.js';
import { readFeatureTable } from './features.js';
import { readHeadLines } from './textFile.js';

const TYPES = new Set(['token', 'token_seq', 'float', 'float_seq']);

export interface RecBoleOptions extends LoadPolicy {
  readonly columns?: ColumnMapping;
}

/** Checks that the header is RecBole's `name:type` row and returns the field names. */
export async function readRecBoleHeader(file: string): Promise<string[]> {
  const [first = ''] = await readHeadLines(file, 1);
  const fields = first.split('\t');
  for (const f of fields) {
    const m = /^([^:]+):([a-z_]+)$/.exec(f.trim());
    if (!m || !TYPES.has(m[2])) {
      throw new InputError(
        { file, line: 1, text: f },
        'a RecBole header of tab-separated "name:type" fields (type token, token_seq, float or float_seq)',
      );
    }
  }
  return fields.map((f) => f.trim().split(':')[0]);
}

/** `<dir>/<stem>` of a .inter file, without `.inter` and a benchmark `.train`/`.test`/`.valid`. */
export function recBoleStem(interFile: string): string {
  const b = basename(interFile)
    .replace(/\.inter$/, '')
    .replace(/\.(train|valid|test)$/, '');
  return join(dirname(interFile), b);
}

/** The given files for a .inter path: a benchmark split when its siblings exist. */
export function recBoleFiles(interFile: string): GivenFiles {
  const stem = recBoleStem(interFile);
  if (
    /\.(train|valid|test)\.inter$/.test(interFile) &&
    existsSync(`${stem}.train.inter`) &&
    existsSync(`${stem}.test.inter`)
  ) {
    return {
      train: `${stem}.train.inter`,
      test: `${stem}.test.inter`,
      ...(existsSync(`${stem}.valid.inter`) ? { valid: `${stem}.valid.inter` } : {}),
    };
  }
  return { train: interFile };
}

/** Loads RecBole atomic files; `files` as given, or derived from one .inter path. */
export async function loadRecBole(
  files: GivenFiles | string,
  options: RecBoleOptions = {},
  name?: string,
): Promise<Dataset> {
  const given = typeof files === 'string' ? recBoleFiles(files) : files;
  for (const f of [given.train, given.test, given.valid]) if (f) await readRecBoleHeader(f);
  const stem = recBoleStem(given.train);
  const ds = await loadDelimitedFiles(
    given,
    { delimiter: '\t', header: true, quote: false, ...options },
    name ?? basename(stem),
    // RecBole remaps its benchmark files' ids together: test-only items are in its catalogue.
    'RecBole',
  );
  const sources = [...ds.sources];
  const item = `${stem}.item`;
  const user = `${stem}.user`;
  const kg = `${stem}.kg`;
  const link = `${stem}.link`;
  const itemFeatures = existsSync(item)
    ? await readFeatureTable(item, 'item_id', ds.itemIds)
    : undefined;
  const userFeatures = existsSync(user)
    ? await readFeatureTable(user, 'user_id', ds.userIds)
    : undefined;
  const graph = existsSync(kg)
    ? await readRecBoleKg(kg, existsSync(link) ? link : undefined, ds.itemIds)
    : undefined;
  for (const [f, used] of [
    [item, itemFeatures],
    [user, userFeatures],
    [kg, graph],
    [link, graph && existsSync(link)],
  ] as const) {
    if (used) sources.push(f);
  }
  return {
    ...ds,
    sources,
    ...(itemFeatures ? { itemFeatures } : {}),
    ...(userFeatures ? { userFeatures } : {}),
    ...(graph ? { kg: graph } : {}),
  };
}
