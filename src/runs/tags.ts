/**
 * Run tags: free-text labels ("baseline", "paper") a user puts on runs to find and filter them.
 * Kept in the run's run.json (`tags`), rewritten atomically as a rename is: the file is read
 * again just before the write (another process may have renamed or tagged the run since), and
 * a kill mid-write leaves the old run.json whole.
 */
import { join } from 'node:path';
import { writeJsonAtomic } from '../util/atomic.js';
import { InputError } from '../util/errors.js';
import { FILES, type RunMeta, type RunRecord } from './format.js';
import { readRun } from './store.js';

/** Longer than this is a note, not a tag. */
export const MAX_TAG_LENGTH = 40;

/** What a tag may be, said in every refusal. */
const TAG_RULE = `a tag: 1 to ${MAX_TAG_LENGTH} characters, no comma, no line break`;

/**
 * A tag as typed, trimmed; `source` names where it came from (the command line, a run's
 * run.json) in the error. Commas are refused because the table and the exports list a run's
 * tags comma-separated, and the tree's input box splits on them.
 */
export function checkTag(tag: string, source: string): string {
  const t = tag.trim();
  if (!t || t.length > MAX_TAG_LENGTH || /[,\r\n\t]/.test(t))
    throw new InputError({ file: source, text: tag }, TAG_RULE);
  return t;
}

/** Tags typed in one box: "baseline, paper" -> ["baseline", "paper"]; an empty one is refused. */
export function parseTagList(text: string, source: string): string[] {
  const parts = text.split(',');
  if (parts.length === 1 && !text.trim())
    throw new InputError({ file: source, text }, `${TAG_RULE}; several separated by commas`);
  return parts.map((p) => checkTag(p, source));
}

/** A run's tags as saved, in the order they were added; anything that is not a tag is dropped. */
export function runTags(meta: RunMeta | undefined): string[] {
  const raw: unknown = meta?.tags;
  if (!Array.isArray(raw)) return [];
  const ok = raw.filter(
    (t): t is string => typeof t === 'string' && t.trim() !== '' && !/[,\r\n\t]/.test(t),
  );
  return [...new Set(ok)];
}

export interface TagChange {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
}

/**
 * Adds and removes tags of a saved run and returns its tags after. Every tag is checked before
 * anything is written; removing a tag the run does not have is an error naming the run's tags.
 */
export function tagRun(run: RunRecord, change: TagChange, source: string): string[] {
  const file = join(run.dir, FILES.meta);
  const add = (change.add ?? []).map((t) => checkTag(t, source));
  const remove = (change.remove ?? []).map((t) => checkTag(t, source));
  // the run as on disk now, not as listed earlier: a rename since is kept
  const meta = readRun(run.dir).meta;
  if (!meta) throw new InputError({ file }, 'a readable run.json to tag');
  const before = runTags(meta);
  const missing = remove.filter((t) => !before.includes(t));
  if (missing.length)
    throw new InputError(
      { file: source, text: missing.join(', ') },
      before.length
        ? `a tag of run ${meta.name}: ${before.join(', ')}`
        : `a tag of run ${meta.name}, which has none`,
    );
  const gone = new Set(remove);
  const after = [...new Set([...before.filter((t) => !gone.has(t)), ...add])];
  const { tags: _old, ...rest } = meta;
  writeJsonAtomic(file, after.length ? { ...rest, tags: after } : rest);
  return after;
}
