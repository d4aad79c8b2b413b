/**
 * MovieLens movie titles and genres beside a ratings file: ml-100k's `u.item` (with `u.genre`
 * naming its genre flags), ml-1m/10m's `movies.dat`, ml-latest's `movies.csv`. They become the
 * dataset's item feature table (title, genres), so the embeddings panel can name the movies.
 * A missing file is no error: titles are optional; a malformed line is one, with its place.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../util/errors.js';
import type { FeatureTable, IdMap } from '../types.js';

/** One movie's title and '|'-separated genres, by its MovieLens id. */
type Movies = Map<string, { title: string; genres: string }>;

const lines = (file: string, encoding: BufferEncoding) =>
  readFileSync(file, encoding)
    .split(/\r?\n/)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '');

/** u.item: id|title|release date|video date|url|19 genre flags (Latin-1). */
function readUItem(file: string): Movies {
  const genreFile = join(dirname(file), 'u.genre');
  const names: string[] = [];
  if (existsSync(genreFile))
    for (const { text } of lines(genreFile, 'latin1')) {
      const [name, k] = text.split('|');
      names[Number(k)] = name;
    }
  const out: Movies = new Map();
  for (const { text, line } of lines(file, 'latin1')) {
    const f = text.split('|');
    if (f.length < 5)
      throw new InputError({ file, line, text }, 'id|title|date|video date|url|genre flags');
    const flags = f.slice(5);
    const genres = flags.flatMap((x, k) => (x === '1' && names[k] ? [names[k]] : [])).join('|');
    out.set(f[0], { title: f[1], genres });
  }
  return out;
}

/** movies.dat: id::title::genres (Latin-1). */
function readMoviesDat(file: string): Movies {
  const out: Movies = new Map();
  for (const { text, line } of lines(file, 'latin1')) {
    const f = text.split('::');
    if (f.length !== 3) throw new InputError({ file, line, text }, 'MovieID::Title::Genres');
    out.set(f[0], { title: f[1], genres: f[2] });
  }
  return out;
}

/** movies.csv: movieId,title,genres with a header; titles with commas are quoted. */
function readMoviesCsv(file: string): Movies {
  const out: Movies = new Map();
  const row = /^([^,]+),(?:"((?:[^"]|"")*)"|([^,]*)),(.*)$/;
  for (const { text, line } of lines(file, 'utf8').slice(1)) {
    const m = row.exec(text);
    if (!m) throw new InputError({ file, line, text }, 'movieId,title,genres');
    out.set(m[1], { title: m[2] !== undefined ? m[2].replace(/""/g, '"') : m[3], genres: m[4] });
  }
  return out;
}

const READERS: ReadonlyArray<[string, (file: string) => Movies]> = [
  ['u.item', readUItem],
  ['movies.dat', readMoviesDat],
  ['movies.csv', readMoviesCsv],
];

/**
 * The titles and genres of the movies in `items`, from the movie file beside `ratingsFile`,
 * with that file's path; undefined when there is none.
 */
export function readMovieTitles(
  ratingsFile: string,
  items: IdMap,
): { file: string; table: FeatureTable } | undefined {
  for (const [name, read] of READERS) {
    const file = join(dirname(ratingsFile), name);
    if (!existsSync(file)) continue;
    const movies = read(file);
    const title = items.ids.map((id) => movies.get(id)?.title ?? '');
    const genres = items.ids.map((id) => movies.get(id)?.genres ?? '');
    return { file, table: { columns: ['title', 'genres'], values: { title, genres } } };
  }
  return undefined;
}
