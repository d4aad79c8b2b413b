/**
 * kill -9 at random moments of a CLI training run, each followed by `--resume`, until it is
 * done: the run must end with one epoch record per epoch and the same numbers as a run that
 * was never interrupted. A process killed before its run folder exists printed no run id and
 * left nothing to resume: the next one starts afresh. One killed before its first checkpoint
 * is resumed from epoch 1. When a run finishes before KILLS kills (a busy machine reads the
 * output late, and a process gets further than planned), another run is killed the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../../src/util/rng.js';
import { FILES, RUNS_DIR } from '../../../src/runs/format.js';
import { readRun } from '../../../src/runs/store.js';
import type { EpochRecord } from '../../../src/train/trainer.js';
import { reclab } from '../cli/runCli.js';
import { tmpFolder, trainFlags, withoutTimes } from './helpers.js';

const LAUNCHER = join(__dirname, 'reclabProcess.ts');
const EPOCHS = 60;
const KILLS = 20;
/** kills after the last epoch, once KILLS are made */
const TAIL_KILLS = 3;

const trainArgs = (ws: string) => trainFlags('mf', EPOCHS, 5, ws);

interface Outcome {
  readonly killed: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `reclab args` as its own process; `killAt` sees each stderr line with the time since
 * the start and returns the delay in ms after which to kill the process, or undefined.
 */
function runReclab(
  args: string[],
  killAt: (line: string, ms: number) => number | undefined,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const t0 = performance.now();
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let killed = false;
    const consider = (line: string) => {
      if (timer !== undefined) return;
      const delay = killAt(line, performance.now() - t0);
      if (delay === undefined) return;
      timer = setTimeout(() => {
        killed = child.kill('SIGKILL');
      }, delay);
    };
    consider('');
    let partial = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) consider(line);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: killed && signal === 'SIGKILL', code, stdout, stderr });
    });
  });
}

/** When to kill one process: in start-up, after some epochs of its own, after the last epoch. */
type Plan =
  | { readonly kind: 'startup'; readonly at: number }
  /** `after` epochs of its own (0: once its run folder is open) */
  | { readonly kind: 'epochs'; readonly after: number; readonly jitter: number }
  | { readonly kind: 'tail'; readonly jitter: number }
  | { readonly kind: 'none' };

const RUN_LINE = / run \S+ -> /;
const EPOCH_LINE = /\] epoch (\d+): loss/;

/** `fresh`: no run folder yet; `remaining`: epochs not logged yet. */
function choosePlan(rng: Rng, fresh: boolean, attempt: number, remaining: number): Plan {
  // a run's first process in start-up (before its folder exists), a later fresh one at once
  // (before its first checkpoint)
  if (fresh)
    return attempt === 0
      ? { kind: 'startup', at: rng.next() }
      : { kind: 'epochs', after: 0, jitter: rng.next() };
  const r = rng.next();
  if (r < 0.2) return { kind: 'startup', at: 0.8 * rng.next() };
  if (remaining <= 3 && r < 0.6) return { kind: 'tail', jitter: rng.next() };
  return { kind: 'epochs', after: rng.int(3), jitter: rng.next() };
}

/** The kill delay for one stderr line of a process run under `plan`, or undefined. */
function killer(plan: Plan, timing: { startupMs: number }) {
  let seen = 0;
  let lastLineMs = 0;
  return (line: string, ms: number): number | undefined => {
    if (plan.kind === 'startup' && line === '') return plan.at * timing.startupMs;
    const gap = ms - lastLineMs;
    if (RUN_LINE.test(line)) {
      timing.startupMs = ms;
      lastLineMs = ms;
      // 0-3 ms in: in its first epoch, often before that epoch's checkpoint
      if (plan.kind === 'epochs' && plan.after === 0) return plan.jitter * 3;
    }
    const epoch = EPOCH_LINE.exec(line)?.[1];
    if (epoch === undefined) return undefined;
    lastLineMs = ms;
    // 0 to 1 epoch's time after the line: anywhere in the next epoch, its saves included
    if (plan.kind === 'epochs' && ++seen === plan.after) return plan.jitter * gap;
    if (plan.kind === 'tail' && Number(epoch) === EPOCHS) return plan.jitter * 5;
    return undefined;
  };
}

/** Where the kills landed. */
interface Tally {
  total: number;
  beforeRunFolder: number;
  beforeFirstCheckpoint: number;
  inResumeStartup: number;
  inTraining: number;
  afterLastEpoch: number;
}

/**
 * Trains one run from scratch, killing its processes at planned moments (see `tally` for
 * how many so far) and resuming it after each; returns the finished run's folder.
 */
async function killUntilDone(rng: Rng, tally: Tally): Promise<string> {
  const ws = tmpFolder();
  const root = join(ws, RUNS_DIR);
  const timing = { startupMs: 1000 };
  let runId: string | undefined;
  let logged = 0;
  let noCheckpointYet = false;
  for (let attempt = 0; ; attempt++) {
    assert.ok(attempt < 100, 'the run finishes');
    const args = runId ? ['train', '--resume', runId, '--json', '-w', ws] : trainArgs(ws);
    // KILLS at random moments, then a few after the last epoch (testing, saving), then none
    const plan: Plan =
      tally.total < KILLS
        ? choosePlan(rng, runId === undefined, attempt, EPOCHS - logged)
        : tally.total < KILLS + TAIL_KILLS
          ? { kind: 'tail', jitter: rng.next() }
          : { kind: 'none' };
    const out = await runReclab(args, killer(plan, timing));
    if (noCheckpointYet && RUN_LINE.test(out.stderr)) {
      assert.match(
        out.stderr,
        /no epoch had finished before the run stopped: training it from epoch 1/,
      );
    }
    if (!out.killed) {
      assert.equal(out.code, 0, `attempt ${attempt} failed:\n${out.stderr}`);
      const runs = readdirSync(root);
      assert.deepEqual(runs, [String(JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '').run)]);
      return join(root, runs[0]);
    }
    tally.total++;
    const runs = existsSync(root) ? readdirSync(root).filter((n) => !n.startsWith('.')) : [];
    assert.ok(runs.length <= 1, `one run folder, not ${runs.join(', ')}`);
    if (runs.length === 0) {
      // killed before its folder existed: nothing to resume (no run id was printed either),
      // so the next process starts afresh
      tally.beforeRunFolder++;
      continue;
    }
    const wasResume = runId !== undefined;
    runId = runs[0];
    const run = readRun(join(root, runId));
    // a kill can land after the run was marked done (on a quiet machine even one aimed at
    // training): then every epoch must be logged; any other kill must read as interrupted
    const finished = run.state.status === 'done' && run.history.at(-1)?.epoch === EPOCHS;
    const expected = finished ? 'done' : 'interrupted';
    assert.equal(run.state.status, expected, 'a killed run reads as interrupted');
    logged = run.history.at(-1)?.epoch ?? 0;
    noCheckpointYet = !readdirSync(run.dir).includes(FILES.last);
    if (noCheckpointYet) tally.beforeFirstCheckpoint++;
    else if (plan.kind === 'tail' || finished) tally.afterLastEpoch++;
    else if (wasResume && !RUN_LINE.test(out.stderr)) tally.inResumeStartup++;
    else tally.inTraining++;
  }
}

test(
  `${KILLS}+ kill -9 at random moments, each resumed: one line per epoch, the numbers of an uninterrupted run`,
  { timeout: 240_000 },
  async (t) => {
    const reference = await reclab(trainArgs(tmpFolder()));
    assert.equal(reference.code, 0, reference.err.join('\n'));
    const straight = readRun(String(reference.json?.dir));
    assert.ok(straight.summary);

    const rng = new Rng(13);
    const tally: Tally = {
      total: 0,
      beforeRunFolder: 0,
      beforeFirstCheckpoint: 0,
      inResumeStartup: 0,
      inTraining: 0,
      afterLastEpoch: 0,
    };
    let runs = 0;
    while (tally.total < KILLS) {
      const dir = await killUntilDone(rng, tally);
      runs++;
      const lines = readFileSync(join(dir, FILES.metrics), 'utf8').split('\n');
      assert.equal(lines.pop(), '', 'the log ends with a whole line');
      const records = lines.map((l) => JSON.parse(l) as EpochRecord);
      assert.deepEqual(
        records.map((r) => r.epoch),
        Array.from({ length: EPOCHS }, (_, i) => i + 1),
        'one line per epoch, in order',
      );
      const run = readRun(dir);
      assert.equal(run.state.status, 'done');
      assert.deepEqual(run.problems, []);
      assert.deepEqual(records.map(withoutTimes), straight.history.map(withoutTimes));
      assert.deepEqual(run.summary?.metrics, straight.summary.metrics);
      assert.equal(run.summary?.bestEpoch, straight.summary.bestEpoch);
      // nothing a killed process left behind survives: no temp files
      assert.deepEqual(
        readdirSync(dir).filter((f) => f.endsWith('.tmp')),
        [],
      );
    }
    t.diagnostic(`${runs} run(s), none lost; kills ${JSON.stringify(tally)}`);
  },
);
