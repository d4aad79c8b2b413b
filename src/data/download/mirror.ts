/**
 * Mirrors: a base URL that replaces every download's host. The original URL's host and path
 * are kept under it (https://files.grouplens.org/datasets/x.zip with mirror
 * http://127.0.0.1:8080/m becomes http://127.0.0.1:8080/m/files.grouplens.org/datasets/x.zip),
 * the layout `wget -x` writes, so one mirror folder serves every source.
 */
import { InputError } from '../../util/errors.js';

export const MIRROR_ENV = 'RECLAB_DOWNLOAD_MIRROR';

/** Checks a mirror base URL (http or https); returns it without a trailing slash. */
export function parseMirror(mirror: string, where = '--mirror'): string {
  let u: URL;
  try {
    u = new URL(mirror);
  } catch {
    throw new InputError({ file: where, text: mirror }, 'an http:// or https:// base URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new InputError({ file: where, text: mirror }, 'an http:// or https:// base URL');
  return mirror.replace(/\/+$/, '');
}

/** The mirror given, else $RECLAB_DOWNLOAD_MIRROR, else none. */
export function resolveMirror(
  mirror: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (mirror) return parseMirror(mirror);
  const fromEnv = env[MIRROR_ENV];
  return fromEnv ? parseMirror(fromEnv, MIRROR_ENV) : undefined;
}

/** The URL to fetch: the original, or its host and path under the mirror. */
export function mirroredUrl(url: string, mirror: string | undefined): string {
  if (!mirror) return url;
  const u = new URL(url);
  return `${mirror}/${u.host}${u.pathname}${u.search}`;
}
