/** Creating, appending to, listing and reading run folders (see format.ts). */
import {
  appendFileSync,
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
import { errorMessage, InputError } from '../util/errors.js';
import { writeJsonAtomic } from './atomic.js';
import { writeArraysFile, type NamedArray } from './arraysFile.js';
import {
  FILES,
  type RunMeta,
  type RunRecord,
  type RunState,
  type RunStatus,
  type RunSummary,
} from './format.js';
import type { Embeddings } from '../models/types.js';

export function newRunId(model: string, now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${t}-${model.replace(/[^a-z0-9]+/gi, '')}-${randomBytes(2).toString('hex')}`;
}

/** Writes one run's files as it goes; every write is atomic or an append of whole lines. */
export class RunWriter {
  private state: RunState;

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

  static create(runsRoot: string, meta: Omit<RunMeta, 'createdAt'>, epochs: number): RunWriter {
    mkdirSync(runsRoot, { recursive: true });
    const dir = join(runsRoot, meta.id);
    // Built under a temp name and renamed in, so a listing never sees a run without run.json.
    const tmp = join(runsRoot, `.${meta.id}.creating`);
    mkdirSync(tmp, { recursive: true });
    const full: RunMeta = { ...meta, createdAt: new Date().toISOString() };
    const w = new RunWriter(dir, full, epochs);
    writeJsonAtomic(join(tmp, FILES.meta), full);
    writeJsonAtomic(join(tmp, FILES.status), w.state);
    renameSync(tmp, dir);
    return w;
  }

  /** Continues writing an existing run folder (resume): status back to running. */
  static reopen(dir: string, epochs: number): RunWriter {
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
    // the summary of the earlier, shorter training no longer describes the run
    rmSync(join(dir, FILES.summary), { force: true });
    w.setState({ epoch: run.history.at(-1)?.epoch ?? 0 });
    return w;
  }

  private setState(patch: Partial<RunState>): void {
    this.state = { ...this.state, ...patch, updatedAt: new Date().toISOString() };
    writeJsonAtomic(join(this.dir, FILES.status), this.state);
  }

  appendEpoch(r: EpochRecord): void {
    appendFileSync(join(this.dir, FILES.metrics), `${JSON.stringify(r)}\n`);
    this.setState({ epoch: r.epoch });
  }

  saveEmbeddings(e: Embeddings): void {
    const nUsers = e.users.length / e.dim;
    const nItems = e.items.length / e.dim;
    writeArraysFile(
      join(this.dir, FILES.embeddings),
      {
        users: { shape: [nUsers, e.dim], data: e.users },
        items: { shape: [nItems, e.dim], data: e.items },
      },
      { dim: e.dim },
    );
  }

  saveCheckpoint(state: Record<string, Float32Array>, epoch: number): void {
    const arrays: Record<string, NamedArray> = {};
    for (const [k, v] of Object.entries(state)) arrays[k] = { shape: [v.length], data: v };
    writeArraysFile(join(this.dir, FILES.checkpoint), arrays, { epoch });
  }

  saveLast(state: Record<string, Float32Array>, epoch: number): void {
    const arrays: Record<string, NamedArray> = {};
    for (const [k, v] of Object.entries(state)) arrays[k] = { shape: [v.length], data: v };
    writeArraysFile(join(this.dir, FILES.last), arrays, { epoch });
  }

  finish(summary: RunSummary): void {
    writeJsonAtomic(join(this.dir, FILES.summary), summary);
    this.setState({ status: 'done' });
  }

  fail(status: Exclude<RunStatus, 'running' | 'done'>, error: string): void {
    this.setState({ status, error });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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

/** Reads the epoch records; a torn last line (a crash mid-append) is skipped, not fatal. */
export function readHistory(file: string, problems: string[] = []): EpochRecord[] {
  if (!existsSync(file)) return [];
  const out: EpochRecord[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as EpochRecord);
    } catch {
      problems.push(`${file}:${i + 1}: unreadable line skipped`);
    }
  });
  return out;
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
