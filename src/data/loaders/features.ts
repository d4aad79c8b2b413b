/**
 * Side-information tables (RecBole .item/.user files): every column kept as plain strings,
 * keyed by the dataset's internal ids, so the inspector can show them and feature-aware models
 * can parse what they need. Rows for ids the interactions do not have are left out.
 */
import { InputError } from '../../util/errors.js';
import type { FeatureTable, IdMap } from '../types.js';
import { normalizeName } from './columns.js';
import { forEachLine } from './textFile.js';

/** Reads a tab-separated table with a header; `key` names the id column (e.g. "item_id"). */
export async function readFeatureTable(
  file: string,
  key: string,
  ids: IdMap,
): Promise<FeatureTable> {
  let names: string[] | undefined;
  let keyCol = -1;
  let values: string[][] = [];
  await forEachLine(file, (line, lineNo) => {
    if (line.trim().length === 0) return;
    const f = line.split('\t');
    if (!names) {
      names = f.map((x) => x.replace(/:[a-z_]+$/i, '').trim());
      keyCol = names.findIndex((n) => normalizeName(n) === normalizeName(key));
      if (keyCol < 0) {
        throw new InputError(
          { file, line: lineNo },
          `a header with a "${key}" column (this header has ${names.join(', ')})`,
        );
      }
      values = names.map(() => new Array<string>(ids.ids.length).fill(''));
      return;
    }
    if (f.length !== names.length) {
      throw new InputError(
        { file, line: lineNo },
        `${names.length} tab-separated columns as in the header, found ${f.length}`,
      );
    }
    const k = ids.index.get(f[keyCol].trim());
    if (k === undefined) return;
    for (let j = 0; j < f.length; j++) values[j][k] = f[j];
  });
  if (!names) throw new InputError({ file }, 'a header row');
  const cols = names;
  const table: Record<string, readonly string[]> = {};
  cols.forEach((n, j) => {
    if (j !== keyCol) table[n] = values[j];
  });
  return { columns: cols.filter((_, j) => j !== keyCol), values: table };
}
