/**
 * Which saved runs can be resumed: a cancelled, failed or interrupted run with a last-epoch
 * checkpoint (last.bin, written after every epoch) continues from it exactly (`reclab train
 * --resume`, the Resume action). No VS Code here: unit-tested.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, type RunRecord } from '../../src/runs/format.js';

export const hasCheckpoint = (dir: string): boolean => existsSync(join(dir, FILES.last));

/**
 * Why a run cannot be resumed, or undefined when it can: a cancelled, failed or interrupted
 * run with a last-epoch checkpoint (last.bin) and a readable run.json.
 */
export function resumeBlocker(
  r: RunRecord,
  checkpoint: (dir: string) => boolean = hasCheckpoint,
): string | undefined {
  const status = r.state.status;
  if (status === 'running') return 'it is training';
  if (status === 'done') return 'it finished';
  if (!r.meta) return 'its run.json cannot be read';
  if (!checkpoint(r.dir)) return 'it has no last-epoch checkpoint (last.bin) to continue from';
  return undefined;
}

export const isResumable = (r: RunRecord): boolean => resumeBlocker(r) === undefined;
