/**
 * Which column holds what in a delimited file: given by name or 0-based index, or found from
 * the header by common names (userId, user_id:token, movieId, ...), or by position.
 */
import { InputError } from '../../util/errors.js';

/** A column as a header name or a 0-based index. */
export type ColumnRef = string | number;

/** What to read from which column; `null` turns an optional column off. */
export interface ColumnMapping {
  readonly user?: ColumnRef;
  readonly item?: ColumnRef;
  readonly rating?: ColumnRef | null;
  readonly timestamp?: ColumnRef | null;
}

export interface ResolvedColumns {
  readonly user: number;
  readonly item: number;
  readonly rating?: number;
  readonly timestamp?: number;
}

/** Header names are compared lower-cased, without a RecBole ":type" suffix or punctuation. */
export function normalizeName(name: string): string {
  return name
    .replace(/:[a-z_]+$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Common names per role, normalised; first match in header order wins. */
export const COLUMN_ALIASES: Readonly<Record<string, readonly string[]>> = {
  user: ['user', 'userid', 'uid', 'users', 'visitorid', 'customerid', 'reviewerid', 'username'],
  item: [
    'item',
    'itemid',
    'iid',
    'items',
    'movieid',
    'movie',
    'productid',
    'product',
    'artistid',
    'artist',
    'trackid',
    'songid',
    'businessid',
    'asin',
    'bookid',
    'isbn',
    'poiid',
    'locationid',
    'venueid',
  ],
  rating: ['rating', 'ratings', 'score', 'stars', 'rate', 'label', 'preference', 'weight'],
  timestamp: [
    'timestamp',
    'time',
    'ts',
    'date',
    'datetime',
    'unixtime',
    'unixtimestamp',
    'eventtime',
    'eventdate',
  ],
  session: ['session', 'sessionid', 'sid'],
  // orders a session's events within a coarse timestamp (DIGINETICA's timeframe)
  order: ['timeframe'],
};

export interface HeaderInfo {
  readonly file: string;
  /** the header row's fields, or undefined when the file has none */
  readonly header: readonly string[] | undefined;
  /** the header's (or first row's) line number, for messages */
  readonly line: number;
  readonly columnCount: number;
}

/** Index of a column given by name or number; throws InputError naming the columns there are. */
export function findColumn(h: HeaderInfo, ref: ColumnRef, role: string): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= h.columnCount) {
      throw new InputError(
        { file: h.file, line: h.line },
        `a ${role} column at 0-based index ${ref}, in rows of ${h.columnCount} columns`,
      );
    }
    return ref;
  }
  if (!h.header) {
    throw new InputError(
      { file: h.file, line: h.line },
      `a header row naming the ${role} column "${ref}" (this file has no header: give a 0-based column index)`,
    );
  }
  let k = h.header.indexOf(ref);
  if (k < 0) k = h.header.findIndex((f) => normalizeName(f) === normalizeName(ref));
  if (k < 0) {
    throw new InputError(
      { file: h.file, line: h.line },
      `a ${role} column named "${ref}" (columns: ${h.header.join(', ')})`,
    );
  }
  return k;
}

/** The first header column whose name is a known alias of `role`, not already taken. */
export function findByAlias(h: HeaderInfo, role: string, taken: readonly number[]): number {
  if (!h.header) return -1;
  const aliases = COLUMN_ALIASES[role] ?? [role];
  for (const alias of aliases) {
    const k = h.header.findIndex((f, i) => !taken.includes(i) && normalizeName(f) === alias);
    if (k >= 0) return k;
  }
  return -1;
}

/** The `reclab` flags that set ColumnMapping's entries. */
export const COLUMN_FLAGS: Readonly<Record<string, string>> = {
  user: '--user-col',
  item: '--item-col',
  rating: '--rating-col',
  timestamp: '--time-col',
};

/**
 * A header that names no column for some roles: the message says what to pass; the fields
 * let a program ask the user instead (the extension offers the header's columns per role).
 */
export class UnnamedColumnsError extends InputError {
  override readonly name: string = 'UnnamedColumnsError';

  constructor(
    where: { readonly file: string; readonly line: number },
    expected: string,
    /** the header's column names, as the `columns` option takes them */
    readonly header: readonly string[],
    /** the roles no column was found for ("user", "item", "session") */
    readonly roles: readonly string[],
  ) {
    super(where, expected);
  }
}

/**
 * The error for a header that does not name the columns of `roles`: lists the header and
 * the option that says which column is which, rather than guessing by position.
 */
export function unnamedColumns(
  h: HeaderInfo,
  roles: readonly string[],
  taken: readonly number[] = [],
): UnnamedColumnsError {
  // RecBole's "name:type" headers: the name is what the option takes
  const header = (h.header ?? []).map((f) => f.replace(/:[a-z_]+$/i, ''));
  const known = roles.map((r) => `${r}_id`).join(', ');
  const free = header.filter((_, k) => !taken.includes(k));
  const example = roles.map((r, j) => `"${r}": "${free[j] ?? r}"`).join(', ');
  const them = roles.length > 1 ? 'them' : 'it';
  // the CLI's flags where it has them, and the experiment file's field
  const flags = roles.every((r) => Object.hasOwn(COLUMN_FLAGS, r))
    ? `${roles.map((r, j) => `${COLUMN_FLAGS[r]} ${free[j] ?? r}`).join(' ')} (in an experiment file: "datasetOptions": {"columns": {${example}}})`
    : `the dataset's "columns" option, e.g. {${example}}`;
  return new UnnamedColumnsError(
    { file: h.file, line: h.line },
    `a header naming the ${roles.join(' and ')} column${roles.length > 1 ? 's' : ''} (such as ${known}; this header has ${header.join(', ')}): name ${them} with ${flags}`,
    header,
    roles,
  );
}

/**
 * Resolves the mapping: explicit refs first; then, with a header, known names (a header that
 * names no user or item column is refused: guessing by position would read, say, a row
 * number as the user); without a header, positions (user 0, item 1, rating 2 and timestamp 3
 * when there are such columns).
 */
export function resolveColumns(h: HeaderInfo, mapping: ColumnMapping = {}): ResolvedColumns {
  const taken: number[] = [];
  const pick = (role: string, ref: ColumnRef | undefined): number => {
    const k = ref !== undefined ? findColumn(h, ref, role) : findByAlias(h, role, taken);
    if (k >= 0) taken.push(k);
    return k;
  };
  let user = pick('user', mapping.user);
  let item = pick('item', mapping.item);
  const rating = mapping.rating === null ? -1 : pick('rating', mapping.rating);
  const timestamp = mapping.timestamp === null ? -1 : pick('timestamp', mapping.timestamp);
  if (h.header && (user < 0 || item < 0)) {
    const roles = [...(user < 0 ? ['user'] : []), ...(item < 0 ? ['item'] : [])];
    throw unnamedColumns(h, roles, taken);
  }
  const free = (): number => {
    for (let i = 0; i < h.columnCount; i++) if (!taken.includes(i)) return i;
    return -1;
  };
  if (user < 0) taken.push((user = free()));
  if (item < 0) taken.push((item = free()));
  if (user < 0 || item < 0) {
    throw new InputError({ file: h.file, line: h.line }, 'at least two columns (user and item)');
  }
  const out: { user: number; item: number; rating?: number; timestamp?: number } = { user, item };
  if (rating >= 0) out.rating = rating;
  else if (!h.header && mapping.rating === undefined && h.columnCount >= 3 && !taken.includes(2)) {
    out.rating = 2;
  }
  if (timestamp >= 0) out.timestamp = timestamp;
  else if (
    !h.header &&
    mapping.timestamp === undefined &&
    h.columnCount >= 4 &&
    !taken.includes(3)
  ) {
    out.timestamp = 3;
  }
  return out;
}
