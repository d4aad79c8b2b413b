/**
 * VRKG4Rec training steps on lastfm-kg (the authors' split) with the time of every pool kernel
 * they call: the per-op profile to watch while making an epoch faster. The machine is shared,
 * so besides wall time it reports on-CPU time (process.cpuUsage: what other jobs' load does
 * not add); run it with --threads 1 for that figure to be the step's own work.
 *
 *   npm run bench -- vrkg-step [--steps 12] [--warmup 3] [--threads 1] [--seed 2020]
 *     [--hyper name=value,...] [--restrict-last 1|0] [--kernels 1|0]
 *
 * `--restrict-last 0` computes every layer at every row, for comparison. Timing each kernel
 * costs CPU itself (two process.cpuUsage calls a kernel, about 4 ms a step here): `--kernels 0`
 * leaves the kernels untimed for the step's own CPU time. Prints one line per
 * kernel (CPU ms a step, calls a step), then the step's CPU and wall milliseconds, the implied
 * CPU seconds an epoch, and what ran outside the kernels (the JS ops and the tape); last line
 * JSON. `node --cpu-prof --import tsx bench/vrkg-step.ts` shows the JS side.
 */
import { itemUserCsr, userItemCsr } from '../src/data/csr.js';
import { loadDataset } from '../src/data/index.js';
import { Vrkg4Rec } from '../src/models/vrkg4rec.js';
import { epochRng } from '../src/train/trainer.js';
import { Rng } from '../src/util/rng.js';
import { benchArgs, parseHyper, report, requireSharedDataset } from './common.js';

const o = benchArgs({
  steps: '12',
  warmup: '3',
  threads: '1',
  seed: '2020',
  hyper: '',
  'restrict-last': '1',
  kernels: '1',
});

/** On-CPU milliseconds of this process so far. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Wraps every method of `pool` to add its CPU time and calls to the tables while `on()`. */
function timeKernels(
  pool: object,
  on: () => boolean,
  ms: Map<string, number>,
  calls: Map<string, number>,
): void {
  const target = pool as Record<string, unknown>;
  const proto = Object.getPrototypeOf(pool) as Record<string, unknown>;
  const skip = new Set(['constructor', 'run', 'free']);
  for (const name of Object.getOwnPropertyNames(proto)) {
    const f = proto[name];
    if (typeof f !== 'function' || skip.has(name) || name.startsWith('alloc')) continue;
    target[name] = function (this: unknown, ...a: unknown[]): unknown {
      if (!on()) return (f as (...x: unknown[]) => unknown).apply(this, a);
      const t0 = cpuMs();
      try {
        return (f as (...x: unknown[]) => unknown).apply(this, a);
      } finally {
        ms.set(name, (ms.get(name) ?? 0) + cpuMs() - t0);
        calls.set(name, (calls.get(name) ?? 0) + 1);
      }
    };
  }
}

async function main(): Promise<void> {
  const seed = Number(o.seed);
  const ds = await loadDataset(`lastfm-kg:${requireSharedDataset('lastfm-kg')}`);
  const split = ds.given;
  if (!split || !ds.kg) throw new Error('lastfm-kg: no train.txt / test.txt split or no KG');
  const m = await Vrkg4Rec.create(
    {
      train: split.train,
      trainCsr: userItemCsr(split.train),
      trainCsrT: itemUserCsr(split.train),
      kg: ds.kg,
      rng: new Rng(seed),
      threads: Number(o.threads),
      log: () => undefined,
    },
    parseHyper(o.hyper),
    { restrictLast: o['restrict-last'] !== '0' },
  );
  const ms = new Map<string, number>();
  const calls = new Map<string, number>();
  let timing = false;
  // the model's own pool (a protected field): its kernels are what a step runs
  if (o.kernels !== '0')
    timeKernels((m as unknown as { pool: object }).pool, () => timing, ms, calls);
  m.beginEpoch(1, epochRng(seed, 1));
  const n = m.batchesPerEpoch();
  const warmup = Number(o.warmup);
  const steps = Number(o.steps);
  for (let b = 0; b < warmup; b++) m.trainStep(b % n);
  timing = true;
  const w0 = performance.now();
  const c0 = cpuMs();
  for (let b = warmup; b < warmup + steps; b++) m.trainStep(b % n);
  const stepCpu = (cpuMs() - c0) / steps;
  const stepWall = (performance.now() - w0) / steps;
  timing = false;
  await m.dispose();
  const kernels: Record<string, { ms: number; calls: number }> = {};
  let inKernels = 0;
  for (const [name, t] of [...ms].sort((a, b) => b[1] - a[1])) {
    kernels[name] = { ms: round1(t / steps), calls: (calls.get(name) ?? 0) / steps };
    inKernels += t / steps;
    console.log(`${(t / steps).toFixed(1).padStart(7)} ms  ${kernels[name].calls} calls  ${name}`);
  }
  console.log(
    `step: ${stepCpu.toFixed(1)} ms CPU (${stepWall.toFixed(1)} ms wall), ${n} steps an epoch: ${((stepCpu * n) / 1000).toFixed(2)} s CPU; kernels ${inKernels.toFixed(1)} ms, the rest (JS ops, tape) ${(stepCpu - inKernels).toFixed(1)} ms`,
  );
  report({
    stepCpuMs: round1(stepCpu),
    stepWallMs: round1(stepWall),
    epochCpuSeconds: round1((stepCpu * n) / 1000),
    outsideKernelsMs: round1(stepCpu - inKernels),
    kernels,
  });
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
