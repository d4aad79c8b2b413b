/**
 * Reading stays inside what the user chose: a dataset path that an experiment file (or a
 * run.json) names is read only when it lies inside the workspace, or when the user picked it
 * in an open dialog or the Train Model wizard. A file from a cloned repository cannot make the
 * extension read ~/.ssh/id_rsa and quote it in an error. Pure functions: unit-tested.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseDatasetSpec } from '../../src/data/spec.js';

/** The filesystem paths a (resolved) dataset spec reads: its file or folder, test and valid. */
export function specPaths(spec: string): string[] {
  try {
    const p = parseDatasetSpec(spec);
    return [p.path, p.test, p.valid].filter((x): x is string => x !== undefined);
  } catch {
    return []; // not a spec at all: loading it fails with the loader's own message
  }
}

/** The path with symbolic links resolved (as far as it exists), so a link cannot lead out. */
export function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Whether `path` is `root` or lies under it (both real, absolute paths). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The first path of `spec` that is neither inside one of `roots` (the workspace folders) nor
 * inside a path the user picked; undefined when the spec may be read.
 */
export function pathOutside(
  spec: string,
  roots: readonly string[],
  picked: readonly string[],
  real: (p: string) => string = realPath,
): string | undefined {
  const allowed = [...roots, ...picked].map(real);
  return specPaths(spec).find((p) => !allowed.some((root) => isInside(real(p), root)));
}

/** The 1-based line of `"key":` in a JSON text (for messages), if it is there. */
export function lineOfKey(text: string, key: string): number | undefined {
  const i = text.split('\n').findIndex((l) => l.includes(`"${key}"`));
  return i < 0 ? undefined : i + 1;
}
