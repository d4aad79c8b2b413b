/**
 * Per-user metrics of a run's test evaluation (peruser.bin, an arrays file): for every test
 * user, recall@K and ndcg@K at the selected epoch, so two runs can be compared user by user
 * (a paired significance test) long after they ran.
 *   arrays   "users" (dense user ids, ascending, as float32: exact below 2^24 users) and one
 *            array per metric ("recall@20", "ndcg@20", ...), aligned with "users"
 *   header   epoch (the epoch whose weights were tested) and testHash, a digest of the test
 *            interactions: two runs are paired only when theirs agree (same users, same items)
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Csr } from '../data/types.js';
import type { PerUserMetrics } from '../eval/evaluate.js';
import { InputError } from '../util/errors.js';
import { readArraysFile, writeArraysFile, type NamedArray } from './arraysFile.js';
import { FILES, type RunRecord } from './format.js';

/** Users above this id are not exact in float32. */
const MAX_EXACT_USER = 2 ** 24;

export interface SavedPerUser extends PerUserMetrics {
  readonly file: string;
  readonly epoch?: number;
  readonly testHash: string;
}

/** A short digest of a test split's user-item matrix: equal digests, equal test sets. */
export function testSetHash(test: Csr): string {
  const h = createHash('sha256');
  h.update(`${test.nRows}x${test.nCols};`);
  h.update(new Uint8Array(test.indptr.buffer, test.indptr.byteOffset, test.indptr.byteLength));
  h.update(new Uint8Array(test.indices.buffer, test.indices.byteOffset, test.indices.byteLength));
  return h.digest('hex').slice(0, 16);
}

/** Whether a per-user result fits the file (float32 user ids). */
export function perUserFits(p: PerUserMetrics): boolean {
  return p.users.length === 0 || (p.users.at(-1) as number) < MAX_EXACT_USER;
}

export function writePerUserFile(
  path: string,
  p: PerUserMetrics,
  meta: { readonly epoch?: number; readonly testHash: string },
): void {
  const n = p.users.length;
  const arrays: Record<string, NamedArray> = {
    users: { shape: [n], data: Float32Array.from(p.users) },
  };
  for (const [k, v] of Object.entries(p.values)) arrays[k] = { shape: [n], data: v };
  writeArraysFile(path, arrays, {
    ...(meta.epoch !== undefined && { epoch: meta.epoch }),
    testHash: meta.testHash,
  });
}

/** A run's per-user metrics, or undefined for a run saved without them (older runs, unfinished ones). */
export function readPerUser(run: RunRecord): SavedPerUser | undefined {
  const file = join(run.dir, FILES.perUser);
  if (!existsSync(file)) return undefined;
  const { arrays, meta } = readArraysFile(file);
  const users = arrays.users;
  if (!users || typeof meta.testHash !== 'string')
    throw new InputError({ file }, 'a per-user metrics file with a "users" array and a testHash');
  const values: Record<string, Float32Array> = {};
  for (const [k, a] of Object.entries(arrays)) if (k !== 'users') values[k] = a.data;
  return {
    file,
    users: Int32Array.from(users.data),
    values,
    testHash: meta.testHash,
    ...(typeof meta.epoch === 'number' && { epoch: meta.epoch }),
  };
}
