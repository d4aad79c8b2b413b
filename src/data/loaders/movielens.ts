/**
 * MovieLens rating files by their known layouts: ml-100k `u.data` (tab, no header),
 * ml-1m/10m `ratings.dat` ('::'), ml-latest/20m/25m `ratings.csv` (header
 * userId,movieId,rating,timestamp). A file with another name is recognised by its content.
 */
import { basename } from 'node:path';
import type { LoadPolicy } from '../assemble.js';
import type { Dataset } from '../types.js';
import { loadDelimitedFiles, stemOf, type DelimitedOptions, type GivenFiles } from './delimited.js';
import { readMovieTitles } from './movieTitles.js';
import { sniffLayout } from './sniff.js';

export type MovieLensLayout = 'u.data' | 'ratings.dat' | 'ratings.csv';

const FOUR_COLUMNS = { user: 0, item: 1, rating: 2, timestamp: 3 } as const;

export const MOVIELENS_PRESETS: Readonly<Record<MovieLensLayout, DelimitedOptions>> = {
  'u.data': { delimiter: '\t', header: false, quote: false, columns: FOUR_COLUMNS },
  'ratings.dat': { delimiter: '::', header: false, quote: false, columns: FOUR_COLUMNS },
  // MovieLens writes ratings.csv without quotes; turning quoting off takes the fast reader.
  'ratings.csv': {
    delimiter: ',',
    header: true,
    quote: false,
    columns: { user: 'userId', item: 'movieId', rating: 'rating', timestamp: 'timestamp' },
  },
};

/** The layout of a MovieLens ratings file, from its name or else its first lines. */
export async function sniffMovieLens(file: string): Promise<MovieLensLayout> {
  const b = basename(file).toLowerCase();
  if (b.endsWith('.data') || b === 'u.data') return 'u.data';
  if (b.endsWith('.dat')) return 'ratings.dat';
  if (b.endsWith('.csv')) return 'ratings.csv';
  const layout = await sniffLayout(file);
  if (layout.delimiter === '::') return 'ratings.dat';
  if (layout.delimiter === ',') return 'ratings.csv';
  return 'u.data';
}

/** Loads MovieLens ratings (train/test files such as u1.base/u1.test share one id space). */
export async function loadMovieLens(
  files: GivenFiles,
  name?: string,
  policy: LoadPolicy = {},
): Promise<Dataset> {
  const preset = MOVIELENS_PRESETS[await sniffMovieLens(files.train)];
  const ds = await loadDelimitedFiles(
    files,
    { ...preset, ...policy },
    name ?? movieLensName(files.train),
  );
  // the movies' titles and genres, when their file is beside the ratings
  const movies = readMovieTitles(files.train, ds.itemIds);
  return movies ? { ...ds, sources: [...ds.sources, movies.file], itemFeatures: movies.table } : ds;
}

function movieLensName(file: string): string {
  const parts = file.split(/[\\/]/).filter(Boolean);
  const dir = parts.length >= 2 ? parts[parts.length - 2] : '';
  return /^ml-/i.test(dir) ? dir : `movielens-${stemOf(file)}`;
}
