/**
 * loadDataset: from a spec (string or object) to a Dataset, choosing the loader; format 'auto'
 * looks at the path (folder contents, file name, first lines) to pick one.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../util/errors.js';
import { loadDelimitedFiles, stemOf, type GivenFiles } from './loaders/delimited.js';
import { LASTFM_KG_FILES, loadLastFmKg } from './loaders/kg.js';
import { LASTFM_SOCIAL_FILES, loadLastFmSocial } from './loaders/lastfmSocial.js';
import {
  loadLightGcnDir,
  loadLightGcnFiles,
  looksLikeLightGcn,
  nameFromPath,
} from './loaders/lightgcn.js';
import { loadMovieLens } from './loaders/movielens.js';
import { loadRecBole } from './loaders/recbole.js';
import {
  parseDatasetSpec,
  SPEC_HELP,
  SPEC_PREFIXES,
  type DatasetFormat,
  type DatasetSpec,
  type DatasetSpecOptions,
} from './spec.js';
import { loadSessionDataset } from './sessionDataset.js';
import { synthesizeDemo } from './synth.js';
import type { Dataset } from './types.js';

const MOVIELENS_NAMES = ['u.data', 'ratings.dat', 'ratings.csv'];

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The concrete format of an 'auto' spec's path; throws InputError when nothing fits. */
export async function sniffFormat(path: string): Promise<Exclude<DatasetFormat, 'auto' | 'demo'>> {
  if (!existsSync(path)) {
    // `movielen:ratings.csv`: a mistyped format rather than a missing file named so.
    const prefix = /^([a-z][a-z-]+):/i.exec(path)?.[1];
    if (prefix) {
      throw new InputError(
        { file: 'dataset spec', text: `${prefix}:` },
        `a format prefix: ${SPEC_PREFIXES.map((p) => `${p}:`).join(', ')}`,
      );
    }
    throw new InputError({ file: path }, `an existing file or folder (${SPEC_HELP})`);
  }
  if (isDir(path)) {
    const names = readdirSync(path);
    // before train.txt: a lastfm-kg folder may carry its split as train.txt / test.txt
    if (names.includes(LASTFM_KG_FILES.ratings)) return 'lastfm-kg';
    if (names.includes('train.txt')) return 'lightgcn';
    if (names.includes(LASTFM_SOCIAL_FILES.listens)) return 'lastfm-social';
    if (names.some((n) => n.endsWith('.inter'))) return 'recbole';
    if (MOVIELENS_NAMES.some((n) => names.includes(n))) return 'movielens';
    throw new InputError(
      { file: path },
      'a dataset folder with train.txt (LightGCN), ratings_final.txt (lastfm-kg), user_artists.dat (lastfm-social), a .inter file (RecBole) or u.data/ratings.dat/ratings.csv (MovieLens)',
    );
  }
  const b = basename(path).toLowerCase();
  if (b.endsWith('.inter')) return 'recbole';
  if (MOVIELENS_NAMES.includes(b) || /^u\d\.(base|test)$/.test(b)) return 'movielens';
  if (await looksLikeLightGcn(path)) return 'lightgcn';
  return 'delimited';
}

/** A folder given to a file format: the one file in it that the format reads. */
function fileInDir(dir: string, format: DatasetFormat): string {
  const names = readdirSync(dir).sort();
  const pick =
    format === 'recbole'
      ? names.find((n) => n.endsWith('.inter') && !/\.(valid|test)\.inter$/.test(n))
      : format === 'movielens'
        ? MOVIELENS_NAMES.find((n) => names.includes(n))
        : undefined;
  if (!pick) {
    const wanted = format === 'recbole' ? 'a .inter file' : MOVIELENS_NAMES.join(', ');
    throw new InputError({ file: dir }, `a ${format} file, or a folder with ${wanted} (none here)`);
  }
  return join(dir, pick);
}

function givenFiles(spec: DatasetSpec, path: string): GivenFiles {
  return {
    train: path,
    ...(spec.test ? { test: spec.test } : {}),
    ...(spec.valid ? { valid: spec.valid } : {}),
  };
}

/** Loads the dataset a spec names. `options` refine a string spec (see parseDatasetSpec). */
export async function loadDataset(
  spec: string | DatasetSpec,
  options: DatasetSpecOptions = {},
): Promise<Dataset> {
  const s = typeof spec === 'string' ? parseDatasetSpec(spec, options) : { ...spec, ...options };
  if (s.format === 'demo') return synthesizeDemo(s.demo);
  const path = s.path;
  if (!path)
    throw new InputError(
      { file: 'dataset spec', text: JSON.stringify(s) },
      `a path (${SPEC_HELP})`,
    );
  const format = s.format === 'auto' ? await sniffFormat(path) : s.format;
  const dir = isDir(path);
  const policy = {
    ...(s.keepDuplicates !== undefined ? { keepDuplicates: s.keepDuplicates } : {}),
    ...(s.unseenItems ? { unseenItems: s.unseenItems } : {}),
  };
  switch (format) {
    case 'lightgcn':
      if (dir) return loadLightGcnDir(path, s.name, policy);
      return loadLightGcnFiles(path, s.test, s.valid, s.name ?? nameFromPath(path), policy);
    case 'lastfm-kg':
      if (!dir)
        throw new InputError(
          { file: path },
          'a lastfm-kg folder (ratings_final.txt, kg_final.txt), not a file',
        );
      return loadLastFmKg(path, s.name ?? basename(path), policy);
    case 'lastfm-social':
      if (!dir)
        throw new InputError(
          { file: path },
          'a lastfm-social folder (user_artists.dat, user_friends.dat[, artists.dat]), not a file',
        );
      return loadLastFmSocial(path, s.name ?? basename(path), policy);
    case 'recbole': {
      const file = dir ? fileInDir(path, format) : path;
      const given = s.test || s.valid ? givenFiles(s, file) : file;
      return loadRecBole(
        given,
        { ...(s.columns ? { columns: s.columns } : {}), ...policy },
        s.name,
      );
    }
    case 'movielens':
      return loadMovieLens(givenFiles(s, dir ? fileInDir(path, format) : path), s.name, policy);
    case 'sessions':
      if (dir) throw new InputError({ file: path }, 'a session log file, not a folder');
      return loadSessionDataset(
        path,
        {
          ...(s.delimiter !== undefined ? { delimiter: s.delimiter } : {}),
          ...(s.header !== undefined ? { header: s.header } : {}),
          ...(s.quote !== undefined ? { quote: s.quote } : {}),
          ...(s.columns ? { columns: s.columns } : {}),
        },
        s.name,
      );
    case 'delimited': {
      if (dir) throw new InputError({ file: path }, 'a delimited file, not a folder');
      const opts = {
        ...(s.delimiter !== undefined ? { delimiter: s.delimiter } : {}),
        ...(s.header !== undefined ? { header: s.header } : {}),
        ...(s.quote !== undefined ? { quote: s.quote } : {}),
        ...(s.columns ? { columns: s.columns } : {}),
        ...policy,
      };
      return loadDelimitedFiles(givenFiles(s, path), opts, s.name ?? stemOf(path));
    }
  }
}
