/**
 * Recognises dataset files in the workspace by name and first lines, and turns them into the
 * dataset spec strings the library's loadDataset() takes. Pure: the caller reads the files.
 */
export interface DatasetCandidate {
  /** spec for loadDataset, e.g. "gowalla:data/gowalla" or "recbole:data/ml-100k.inter" */
  readonly spec: string;
  /** what it was recognised as */
  readonly kind: 'gowalla' | 'movielens' | 'recbole' | 'lastfm-kg' | 'csv';
  /** the file or folder it points at, relative to the workspace */
  readonly path: string;
}

/** File names worth opening to sniff (the glob the extension searches with). */
export const DATASET_GLOB =
  '**/{train.txt,ratings_final.txt,*.inter,ratings.dat,u.data,ratings.csv,*.csv,*.tsv}';
export const DATASET_EXCLUDE = '{**/node_modules/**,**/.reclab/**,**/.git/**,**/dist/**,**/out/**}';

const USER_COLUMNS = /^(user|user_id|userid|uid|user_id:token)$/i;
const ITEM_COLUMNS = /^(item|item_id|itemid|iid|movie|movieid|movie_id|item_id:token)$/i;

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : p.slice(0, i);
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * @param path workspace-relative, '/'-separated
 * @param head the file's first lines
 * @param siblings names of the files in the same folder
 */
export function sniffDataset(
  path: string,
  head: readonly string[],
  siblings: readonly string[],
): DatasetCandidate | undefined {
  const name = baseOf(path).toLowerCase();
  const first = head.find((l) => l.trim() !== '') ?? '';
  if (name.endsWith('.inter')) return { spec: `recbole:${path}`, kind: 'recbole', path };
  if (name === 'train.txt') {
    // LightGCN's format: "user item item item ..." per line, with test.txt beside it.
    if (siblings.includes('test.txt') && /^\d+( \d+)+\s*$/.test(first))
      return { spec: `gowalla:${dirOf(path)}`, kind: 'gowalla', path: dirOf(path) };
    return undefined;
  }
  if (name === 'ratings_final.txt') {
    // the KGNN-LS/KGCN layout: "user item label" with kg_final.txt beside it
    if (siblings.includes('kg_final.txt') && /^\d+\s+\d+\s+[01]\s*$/.test(first))
      return { spec: `lastfm-kg:${dirOf(path)}`, kind: 'lastfm-kg', path: dirOf(path) };
    return undefined;
  }
  if (name === 'ratings.dat' && /^\d+::\d+::/.test(first))
    return { spec: `movielens:${path}`, kind: 'movielens', path };
  if (name === 'u.data' && /^\d+\t\d+\t\d+/.test(first))
    return { spec: `movielens:${path}`, kind: 'movielens', path };
  if (name.endsWith('.csv') || name.endsWith('.tsv')) {
    const cols = first
      .split(name.endsWith('.tsv') ? '\t' : ',')
      .map((c) => c.trim().replace(/^"|"$/g, ''));
    if (name === 'ratings.csv' && cols[0]?.toLowerCase() === 'userid')
      return { spec: `movielens:${path}`, kind: 'movielens', path };
    if (cols.some((c) => USER_COLUMNS.test(c)) && cols.some((c) => ITEM_COLUMNS.test(c)))
      return { spec: `csv:${path}`, kind: 'csv', path };
  }
  return undefined;
}
