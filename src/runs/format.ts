/**
 * The run folder, shared by the CLI and the extension (a run started in a terminal shows up
 * in the panel). `.reclab/runs/<id>/` holds:
 *   run.json        what was run: resolved config, dataset, environment (written once; a
 *                   rename or a tag rewrites it atomically)
 *   status.json     running | done | failed | cancelled, with progress (rewritten atomically)
 *   metrics.jsonl   one EpochRecord per line, appended as epochs end
 *   summary.json    final test metrics and timings (written once, at the end)
 *   embeddings.bin  learned user/item vectors (arraysFile format), for embedding models
 *   checkpoint.bin  the best epoch's parameters
 *   last.bin        the last epoch's parameters and optimizer state (what --resume continues)
 *   peruser.bin     recall@K and ndcg@K of every test user at the tested epoch (see perUser.ts)
 * A resume first cuts metrics.jsonl back to the epochs last.bin holds. Names ending in
 * `.<pid>.h<host>.<random>.tmp` (files being written) or `.creating` (a run folder being made)
 * are a writer's work in progress; a later process removes those whose writer is dead.
 */
import type { SourceFile } from '../data/fingerprint.js';
import type { StageReport } from '../models/twoStageEval.js';
import type { EpochRecord } from '../train/trainer.js';
import type { SelectOn } from './experiment.js';

export const RUNS_DIR = '.reclab/runs';
export const FILES = {
  meta: 'run.json',
  status: 'status.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  embeddings: 'embeddings.bin',
  checkpoint: 'checkpoint.bin',
  last: 'last.bin',
  perUser: 'peruser.bin',
} as const;

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface RunEnvironment {
  readonly reclab: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly host: string;
  readonly backend: string;
  readonly threads: number;
  readonly gitCommit?: string;
}

export interface RunMeta {
  readonly id: string;
  readonly name: string;
  readonly model: string;
  /** short label of the dataset, e.g. "demo" or "gowalla" */
  readonly dataset: string;
  readonly createdAt: string;
  /** the resolved experiment: everything needed to run it again */
  readonly config: Record<string, unknown>;
  readonly env: RunEnvironment;
  /** dataset figures at a glance */
  readonly data?: {
    users: number;
    items: number;
    train: number;
    test: number;
    valid?: number;
    /** size and sha256 of each source file (train, test[, valid]); absent in older runs */
    files?: readonly SourceFile[];
  };
  /** the sweep this run is a point of (reclab sweep) */
  readonly sweep?: SweepTag;
  /** the user's labels ("baseline", "paper"), set by `reclab tag` or Tag Run...; see tags.ts */
  readonly tags?: readonly string[];
}

/** Which sweep a run belongs to, and which of its points it is. */
export interface SweepTag {
  /** `<file stem>-<digest>` */
  readonly id: string;
  /** the point's key: a digest of its experiment; a sweep run again skips the keys it finished */
  readonly point: string;
  /** the swept keys and this run's values */
  readonly values: Readonly<Record<string, number | string | boolean>>;
}

export interface RunState {
  readonly status: RunStatus;
  readonly updatedAt: string;
  readonly pid: number;
  readonly host: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly error?: string;
}

export interface RunSummary {
  /** final metrics on the test split */
  readonly metrics: Record<string, number>;
  /** the best evaluated epoch (on validation, or on test with selectOn "test") */
  readonly bestEpoch?: number;
  /** how the reported epoch was chosen; absent in runs saved before it was recorded */
  readonly selectOn?: SelectOn;
  /** the epoch whose weights gave `metrics` */
  readonly selectedEpoch?: number;
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
  readonly seconds: number;
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  /** a two-stage pipeline's per-stage figures on the test split (candidate recall, seconds) */
  readonly stages?: StageReport;
}

/** A run as read back from disk, tolerant of missing or broken files. */
export interface RunRecord {
  readonly id: string;
  readonly dir: string;
  readonly meta?: RunMeta;
  readonly state: RunState;
  readonly summary?: RunSummary;
  readonly history: EpochRecord[];
  /** what was wrong with the folder, if anything (shown, never thrown) */
  readonly problems: string[];
}
