/**
 * Item names from a dataset's feature table (MovieLens titles, Last.FM artist names), for
 * lists a person reads: the CLI's explanations and the extension's plots and details.
 */

/**
 * Feature columns that name an item, best first: lastfm-social's artist `name`, RecBole's
 * `movie_title` / `title` / `name` (fields are read without their `:type` suffix).
 */
const LABEL_COLUMNS = ['name', 'title', 'movie_title', 'item_name', 'track_name', 'artist_name'];

/**
 * The item labels a dataset's feature table has (one per internal id, '' where absent), or
 * undefined when no column names items.
 */
export function itemLabels(features?: {
  readonly columns: readonly string[];
  readonly values: Readonly<Record<string, readonly string[]>>;
}): string[] | undefined {
  if (!features) return undefined;
  const bare = (c: string) => c.replace(/:.*$/, '').toLowerCase();
  for (const want of LABEL_COLUMNS) {
    const col = features.columns.find((c) => bare(c) === want);
    const values = col === undefined ? undefined : features.values[col];
    if (values && values.some((v) => v !== '')) return [...values];
  }
  return undefined;
}
