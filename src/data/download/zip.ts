/**
 * Extracts the listed members of a zip archive (fflate) into a folder under names the catalog
 * gives. One member is inflated at a time, so memory holds the archive and one member. An
 * archive with an unsafe member name (absolute, drive letter, a ".." segment) is refused whole,
 * even when that member is not one we keep: such an archive is not what the catalog describes.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { errorMessage, InputError } from '../../util/errors.js';
import type { ZipMember } from './catalog.js';

/** Refuses members larger than this (a zip bomb, or not the archive the catalog means). */
const MAX_MEMBER_BYTES = 2 ** 31 - 1;

export interface ExtractedFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  /** the member it came from */
  readonly member: string;
}

/** A member path that stays inside the folder it is extracted to. */
export function isSafeMemberName(name: string): boolean {
  if (name.length === 0 || name.includes('\0')) return false;
  if (/^[/\\]/.test(name) || /^[a-zA-Z]:/.test(name)) return false;
  return !name.split(/[/\\]/).some((seg) => seg === '..');
}

/** A plain file name: no folders, not "." or "..". */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..';
}

function listMembers(data: Uint8Array, what: string): UnzipFileInfo[] {
  const infos: UnzipFileInfo[] = [];
  try {
    unzipSync(data, {
      filter: (f) => {
        infos.push(f);
        return false;
      },
    });
  } catch (e) {
    throw new InputError({ file: what, text: errorMessage(e) }, 'a readable zip archive');
  }
  return infos;
}

/**
 * Extracts `keep` from the zip at `zipPath` into `destDir` (each through `<name>.part`).
 * `what` names the archive in errors (its URL).
 */
export async function extractZipMembers(
  zipPath: string,
  keep: readonly ZipMember[],
  destDir: string,
  what: string = zipPath,
): Promise<ExtractedFile[]> {
  for (const k of keep) {
    if (!isPlainFileName(k.as))
      throw new InputError({ file: what, text: k.as }, 'a plain file name to extract a member to');
  }
  const data = new Uint8Array(await readFile(zipPath));
  const infos = listMembers(data, what);
  const unsafe = infos.find((f) => !isSafeMemberName(f.name));
  if (unsafe)
    throw new InputError(
      { file: what, text: unsafe.name },
      'member names inside the archive (no absolute paths, drive letters or ".." segments)',
    );
  const byName = new Map(infos.map((f) => [f.name, f]));
  for (const k of keep) {
    if (!byName.has(k.member)) {
      const found = infos
        .map((f) => f.name)
        .slice(0, 8)
        .join(', ');
      throw new InputError({ file: what, text: found }, `a member ${k.member} in the archive`);
    }
  }
  const out: ExtractedFile[] = [];
  for (const k of keep) {
    const info = byName.get(k.member) as UnzipFileInfo;
    if (info.originalSize > MAX_MEMBER_BYTES)
      throw new InputError(
        { file: what, text: `${k.member}: ${info.originalSize} bytes` },
        `members under ${MAX_MEMBER_BYTES} bytes`,
      );
    let bytes: Uint8Array | undefined;
    try {
      bytes = unzipSync(data, { filter: (f) => f.name === k.member })[k.member];
    } catch (e) {
      throw new InputError(
        { file: what, text: `${k.member}: ${errorMessage(e)}` },
        'members that inflate without error',
      );
    }
    if (!bytes || bytes.length !== info.originalSize)
      throw new InputError(
        { file: what, text: `${k.member}: ${bytes?.length ?? 0} bytes` },
        `${info.originalSize} bytes (the size the archive records)`,
      );
    const target = join(destDir, k.as);
    const part = `${target}.part`;
    try {
      await writeFile(part, bytes);
      await rename(part, target);
    } catch (e) {
      await rm(part, { force: true });
      throw e;
    }
    out.push({
      name: k.as,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      member: k.member,
    });
  }
  return out;
}
