/** Creating, appending to, listing and reading run folders (see format.ts). */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EpochRecord } from '../train/trainer.js';
import { errorMessage, InputError, RecLabError } from '../util/errors.js';
import {
  appendAt,
  isDeadWritersTemp,
  overwriteJsonInPlace,
  pidAlive,
  tempTag,
  writeFileAtomic,
  writeJsonAtomic,
} from '../util/atomic.js';
import { readArraysMeta, writeArraysFile, type NamedArray } from './arraysFile.js';
import {
  FILES,
  type RunMeta,
  type RunRecord,
  type RunState,
  type RunStatus,
  type RunSummary,
} from './format.js';
import type { Embeddings } from '../models/types.js';
import type { PerUserMetrics } from '../eval/evaluate.js';
import { writePerUserFile } from './perUser.js';

export function newRunId(model: string, now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${model.replace(/[^a-z0-9]+/gi, '')}-${randomBytes(2).toString('hex')}`;
}

/**
 * A run's file could not be written (disk full, no permission): the message names the run, the
 * file and what is safe, instead of a bare `ENOSPC: no space left on device, write`.
 */
export class RunWriteError extends RecLabError {
  override readonly name: string = 'RunWriteError';
  constructor(
    message: string,
    readonly file: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The error code of a failed file system call; undefined for other errors. */
function fsCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `<what> <file>: <why>. <then>`, where `then` gets the remedy for the failure's cause. */
function writeFailure(
  e: unknown,
  code: string,
  file: string,
  what: string,
  then: (remedy: string) => string,
): RunWriteError {
  const why =
    code === 'ENOSPC'
      ? 'no space left on device'
      : code === 'EDQUOT'
        ? 'disk quota exceeded'
        : errorMessage(e);
  const remedy = code === 'ENOSPC' || code === 'EDQUOT' ? 'free some space' : 'make it writable';
  return new RunWriteError(`${what} ${file}: ${why}. ${then(remedy)}`, file, code);
}

/** Where a resumed run continues: the epoch its last.bin holds, and its best epoch so far. */
export interface ResumePoint {
  readonly epoch: number;
  readonly bestEpoch?: number;
}

/** Writes one run's files as it goes; every write is atomic or an append of whole lines. */
export class RunWriter {
  private state: RunState;
  /** bytes of metrics.jsonl known to be whole lines: the next line is written there */
  private metricsBytes = 0;
  /** the epoch last.bin holds: what a failed write leaves safe */
  private savedEpoch = 0;

  private constructor(
    readonly dir: string,
    readonly meta: RunMeta,
    epochs: number,
  ) {
    this.state = {
      status: 'running',
      updatedAt: new Date().toISOString(),
      pid: process.pid,
      host: hostname(),
      epoch: 0,
      epochs,
    };
  }

  /**
   * Creates the run folder `<runsRoot>/<meta.id>`, or under a fresh id when that one is taken
   * (the writer's `meta.id` says which). First removes what killed processes left there.
   */
  static create(runsRoot: string, meta: Omit<RunMeta, 'createdAt'>, epochs: number): RunWriter {
    mkdirSync(runsRoot, { recursive: true });
    sweepRunsRoot(runsRoot);
    const tries = 5;
    for (let i = 0; i < tries; i++) {
      const m = i === 0 ? meta : { ...meta, id: newRunId(meta.model) };
      const w = RunWriter.tryCreate(runsRoot, m, epochs);
      if (w) return w;
    }
    throw new RecLabError(
      `could not create a run folder in ${runsRoot}: ${tries} ids in a row were taken`,
    );
  }

  /** The run folder under meta.id, or undefined when that id is taken. */
  private static tryCreate(
    runsRoot: string,
    meta: Omit<RunMeta, 'createdAt'>,
    epochs: number,
  ): RunWriter | undefined {
    const dir = join(runsRoot, meta.id);
    if (existsSync(dir)) return undefined;
    // Built under a temp name and renamed in, so a listing never sees a run without run.json.
    const tmp = join(runsRoot, `.${meta.id}.${tempTag()}.creating`);
    const full: RunMeta = { ...meta, createdAt: new Date().toISOString() };
    const w = new RunWriter(dir, full, epochs);
    try {
      mkdirSync(tmp);
      writeJsonAtomic(join(tmp, FILES.meta), full);
      writeJsonAtomic(join(tmp, FILES.status), w.state);
      renameSync(tmp, dir);
      return w;
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      // another process took the id between the check and the rename
      if (existsSync(dir)) return undefined;
      const code = fsCode(e);
      if (code === undefined) throw e;
      throw writeFailure(
        e,
        code,
        dir,
        'could not create run folder',
        (remedy) => `Nothing was trained; ${remedy}, then train again.`,
      );
    }
  }

  /**
   * Continues writing an existing run folder (resume) from `from.epoch`, the epoch its last.bin
   * holds. The folder is made to agree with that checkpoint first: metrics.jsonl keeps the
   * whole lines of the epochs it holds (a kill between an epoch's line and its checkpoint
   * leaves a line ahead, a kill mid-append a fragment), checkpoint.bin holds the best epoch
   * when that is the checkpoint's (a kill can land between the two saves), and temp files of
   * killed writers are removed.
   */
  static reopen(dir: string, epochs: number, from: ResumePoint): RunWriter {
    const run = readRun(dir);
    if (!run.meta)
      throw new InputError({ file: join(dir, FILES.meta) }, 'a readable run.json to resume');
    if (run.state.status === 'running') {
      throw new InputError(
        { file: join(dir, FILES.status), text: 'running' },
        'a run that is not being trained right now',
      );
    }
    const w = new RunWriter(dir, run.meta, epochs);
    w.savedEpoch = from.epoch;
    sweepRunFolder(dir);
    w.cutLogTo(from.epoch);
    if (from.epoch > 0 && from.bestEpoch === from.epoch) w.bringCheckpointTo(from.epoch);
    // the summary and per-user metrics of the earlier, shorter training no longer describe the run
    rmSync(join(dir, FILES.summary), { force: true });
    rmSync(join(dir, FILES.perUser), { force: true });
    w.setState({ epoch: from.epoch });
    return w;
  }

  private cutLogTo(epoch: number): void {
    const file = join(this.dir, FILES.metrics);
    const text = resumableHistory(this.dir, epoch)
      .map((r) => `${JSON.stringify(r)}\n`)
      .join('');
    const now = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (now !== text) this.guard(file, () => writeFileAtomic(file, text));
    this.metricsBytes = Buffer.byteLength(text);
  }

  /** checkpoint.bin from last.bin: the same parameters when the checkpoint's epoch is the best. */
  private bringCheckpointTo(epoch: number): void {
    const file = join(this.dir, FILES.checkpoint);
    let held: number | undefined;
    try {
      held = Number(readArraysMeta(file).epoch);
    } catch {
      held = undefined; // missing or unreadable: written below
    }
    if (held === epoch) return;
    const last = readFileSync(join(this.dir, FILES.last));
    this.guard(file, () => writeFileAtomic(file, last));
  }

  /** Runs a write of `file`, turning a file system failure into a RunWriteError. */
  private guard(file: string, write: () => void): void {
    try {
      write();
    } catch (e) {
      const code = fsCode(e);
      if (code === undefined) throw e;
      const k = this.savedEpoch;
      const safe =
        k === 0
          ? 'No epoch had been saved yet'
          : `${k === 1 ? 'Epoch 1 is' : `Epochs 1-${k} are`} safe in its folder`;
      throw writeFailure(
        e,
        code,
        file,
        `run ${this.meta.id}: could not write`,
        (remedy) => `${safe}; ${remedy}, then resume the run.`,
      );
    }
  }

  private setState(patch: Partial<RunState>): void {
    this.state = { ...this.state, ...patch, updatedAt: new Date().toISOString() };
    const file = join(this.dir, FILES.status);
    this.guard(file, () => writeJsonAtomic(file, this.state));
  }

  appendEpoch(r: EpochRecord): void {
    const file = join(this.dir, FILES.metrics);
    this.guard(file, () => {
      this.metricsBytes = appendAt(file, this.metricsBytes, `${JSON.stringify(r)}\n`);
    });
    this.setState({ epoch: r.epoch });
  }

  /** A model's report document (Recommender.report) as <name>.json in the run folder. */
  saveReport(name: string, data: unknown): void {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`model report name ${name}: a-z, 0-9 and -`);
    const file = join(this.dir, `${name}.json`);
    this.guard(file, () => writeJsonAtomic(file, data));
  }

  saveEmbeddings(e: Embeddings): void {
    const nUsers = e.users.length / e.dim;
    const nItems = e.items.length / e.dim;
    const file = join(this.dir, FILES.embeddings);
    this.guard(file, () =>
      writeArraysFile(
        file,
        {
          users: { shape: [nUsers, e.dim], data: e.users },
          items: { shape: [nItems, e.dim], data: e.items },
        },
        { dim: e.dim },
      ),
    );
  }

  /** The test evaluation's per-user metrics, with the digest of the test set they are over. */
  savePerUser(p: PerUserMetrics, meta: { epoch?: number; testHash: string }): void {
    const file = join(this.dir, FILES.perUser);
    this.guard(file, () => writePerUserFile(file, p, meta));
  }

  saveCheckpoint(state: Record<string, Float32Array>, epoch: number): void {
    this.saveState(FILES.checkpoint, state, epoch);
  }

  saveLast(state: Record<string, Float32Array>, epoch: number): void {
    this.saveState(FILES.last, state, epoch);
    this.savedEpoch = epoch;
  }

  private saveState(name: string, state: Record<string, Float32Array>, epoch: number): void {
    const arrays: Record<string, NamedArray> = {};
    for (const [k, v] of Object.entries(state)) arrays[k] = { shape: [v.length], data: v };
    const file = join(this.dir, name);
    this.guard(file, () => writeArraysFile(file, arrays, { epoch }));
  }

  finish(summary: RunSummary): void {
    const file = join(this.dir, FILES.summary);
    this.guard(file, () => writeJsonAtomic(file, summary));
    this.setState({ status: 'done' });
  }

  fail(status: Exclude<RunStatus, 'running' | 'done'>, error: string): void {
    try {
      this.setState({ status, error });
    } catch (e) {
      if (!(e instanceof RunWriteError)) throw e;
      // A full disk has no room for the temp file of an atomic write; the status file has its own.
      try {
        overwriteJsonInPlace(join(this.dir, FILES.status), this.state);
      } catch {
        // the run then reads as interrupted once this process ends; the error that matters
        // is the one that failed the run, which the caller is reporting
      }
    }
  }
}

/** Removes the temp files that killed writers left in a run folder (never a live writer's). */
function sweepRunFolder(dir: string): void {
  tidy(() => {
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.tmp') && isDeadWritersTemp(name))
        rmSync(join(dir, name), { force: true });
    }
  });
}

/** A `.creating` folder whose creator is gone. */
function isAbandonedCreation(path: string, name: string): boolean {
  if (isDeadWritersTemp(name)) return true;
  // `.<id>.creating`, named before temp names said who made them: its status.json says
  const st = readJson<RunState>(join(path, FILES.status), []);
  return st !== undefined && st.host === hostname() && !pidAlive(st.pid);
}

/** Removes what killed processes left in a runs folder: half-made run folders, temp files. */
function sweepRunsRoot(runsRoot: string): void {
  tidy(() => {
    for (const d of readdirSync(runsRoot, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const path = join(runsRoot, d.name);
      if (d.name.endsWith('.creating')) {
        if (isAbandonedCreation(path, d.name)) rmSync(path, { recursive: true, force: true });
      } else if (!d.name.startsWith('.')) sweepRunFolder(path);
    }
  });
}

function tidy(sweep: () => void): void {
  try {
    sweep();
  } catch {
    // tidying is a courtesy: a folder that cannot be read or cleaned must not stop a run
  }
}

function readJson<T>(file: string, problems: string[]): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    problems.push(`${file}: ${errorMessage(e)}`);
    return undefined;
  }
}

/**
 * Reads the epoch records, each epoch once and in order. A torn line (a crash mid-append) is
 * skipped and reported, not fatal. A record for an epoch at or before the one above it
 * replaces those above it: it was written by a run resumed from an earlier checkpoint (older
 * versions did not cut the log back on resume, and listed such an epoch twice).
 */
export function readHistory(file: string, problems: string[] = []): EpochRecord[] {
  if (!existsSync(file)) return [];
  const out: EpochRecord[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let r: EpochRecord;
    try {
      r = JSON.parse(line) as EpochRecord;
    } catch {
      problems.push(`${file}:${i + 1}: unreadable line skipped`);
      return;
    }
    while ((out.at(-1)?.epoch ?? -Infinity) >= r.epoch) out.pop();
    out.push(r);
  });
  return out;
}

/** The epoch records a resume from `epoch` keeps: those its checkpoint holds. */
export function resumableHistory(dir: string, epoch: number): EpochRecord[] {
  return readHistory(join(dir, FILES.metrics)).filter((r) => r.epoch <= epoch);
}

export function readRun(dir: string): RunRecord {
  const problems: string[] = [];
  const id = dir.split(/[\\/]/).pop() ?? dir;
  const meta = readJson<RunMeta>(join(dir, FILES.meta), problems);
  if (!meta) problems.push(`${join(dir, FILES.meta)} missing`);
  const summary = readJson<RunSummary>(join(dir, FILES.summary), problems);
  const history = readHistory(join(dir, FILES.metrics), problems);
  let state = readJson<RunState>(join(dir, FILES.status), problems);
  if (!state) {
    state = {
      status: summary ? 'done' : 'interrupted',
      updatedAt: new Date(statSync(dir).mtimeMs).toISOString(),
      pid: 0,
      host: '',
      epoch: history.length,
      epochs: history.length,
    };
  } else if (state.status === 'running' && state.host === hostname() && !pidAlive(state.pid)) {
    // The process that was writing it is gone: it was killed or crashed mid-run.
    state = { ...state, status: 'interrupted' };
  }
  return { id, dir, meta, state, summary, history, problems };
}

/** All runs under a runs folder, newest first; folders being created are ignored. */
export function listRuns(runsRoot: string): RunRecord[] {
  if (!existsSync(runsRoot)) return [];
  return readdirSync(runsRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => readRun(join(runsRoot, d.name)))
    .sort((a, b) => (b.meta?.createdAt ?? b.id).localeCompare(a.meta?.createdAt ?? a.id));
}

/** The names of the runs under a runs folder, from their run.json alone. */
export function runNames(runsRoot: string): Set<string> {
  const names = new Set<string>();
  if (!existsSync(runsRoot)) return names;
  for (const d of readdirSync(runsRoot, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name.startsWith('.')) continue;
    const meta = readJson<RunMeta>(join(runsRoot, d.name, FILES.meta), []);
    if (meta?.name) names.add(meta.name);
  }
  return names;
}

/**
 * `name` when no run has it, else the first free `name-2`, `name-3`, ...: a name then finds one
 * run (`reclab eval mf-ml1m-2`), where three runs all called `mf-ml1m` found none.
 */
export function uniqueRunName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let k = 2; ; k++) if (!taken.has(`${name}-${k}`)) return `${name}-${k}`;
}

/** Finds a run by id, unique id prefix, or folder path. */
export function findRun(runsRoot: string, ref: string): RunRecord {
  if (existsSync(join(ref, FILES.meta))) return readRun(ref);
  const runs = listRuns(runsRoot);
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact;
  const matches = runs.filter((r) => r.id.startsWith(ref) || r.meta?.name === ref);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0)
    throw new InputError({ file: runsRoot, text: ref }, 'a run id, id prefix, name or run folder');
  throw new InputError(
    { file: runsRoot, text: ref },
    `one run, but ${matches.length} match: ${matches.map((m) => m.id).join(', ')}`,
  );
}

export function deleteRun(run: RunRecord): void {
  rmSync(run.dir, { recursive: true, force: true });
}

export function renameRun(run: RunRecord, name: string): void {
  if (!run.meta)
    throw new InputError({ file: join(run.dir, FILES.meta) }, 'a readable run.json to rename');
  writeJsonAtomic(join(run.dir, FILES.meta), { ...run.meta, name });
}
