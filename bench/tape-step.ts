/**
 * A model written on the autodiff tape against its hand-written twin, on Gowalla at the
 * paper's batch: the median step time of each (after warm-up, the two stepping in turn on the
 * same batches so that load on a shared machine falls on both alike) and the largest relative
 * difference between their gradients dLoss/dE(0) on the same batch from the same weights.
 *
 *   npm run bench -- tape-step --model lightgcn [--steps 20] [--warmup 3] [--threads 2]
 *     [--batch-size 2048] [--seed 2020]
 *
 * Also the median CPU time of a step (all the process's threads: the pool's workers block
 * while idle), which shared cores disturb less than wall time.
 * maxRelGradDiff = max_k |g_tape[k] - g_hand[k]| / max_k |g_hand[k]| (float32 sums in another
 * order differ by rounding; elementwise ratios are meaningless where the gradient is ~0).
 * Last line: {"model", "tapeMs", "handMs", "ratio", "maxRelGradDiff", ...}. A model is one
 * entry of CONTENDERS (bench/tape-step/<model>.ts).
 *
 * --model ngcf runs bench/tape-step/ngcf.ts (its own options: --propagation, --activation,
 * --layers; batch 1024, the paper's), which compares the gradients of every parameter.
 */
import { sortRows } from '../src/data/csr.js';
import { Rng } from '../src/util/rng.js';
import { sampleTriples } from '../src/train/samplers.js';
import { benchArgs, loadBenchData, report } from './common.js';
import { lightgcnContenders } from './tape-step/lightgcn.js';
import type { ContendersOf } from './tape-step/types.js';

const CONTENDERS: Record<string, ContendersOf> = {
  lightgcn: lightgcnContenders,
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** max |a - b| / max |b|, and the same per element where |b| is at least 1e-3 max |b| */
function gradientDifference(
  a: Float32Array,
  b: Float32Array,
): { overMax: number; perElement: number } {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let diff = 0;
  let rel = 0;
  for (let k = 0; k < b.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    diff = Math.max(diff, d);
    if (Math.abs(b[k]) >= 1e-3 * scale) rel = Math.max(rel, d / Math.abs(b[k]));
  }
  return { overMax: scale > 0 ? diff / scale : diff, perElement: rel };
}

async function main(): Promise<void> {
  const args = benchArgs({
    model: 'lightgcn',
    steps: '20',
    warmup: '3',
    threads: '2',
    'batch-size': '2048',
    seed: '2020',
  });
  const contendersOf = CONTENDERS[args.model];
  if (!contendersOf)
    throw new Error(
      `--model must be one of ${Object.keys(CONTENDERS).join(', ')}, got ${args.model}`,
    );
  const seed = Number(args.seed);
  const batchSize = Number(args['batch-size']);
  const data = await loadBenchData('gowalla', seed, Number(args.threads));
  const { tape, hand, gradients } = await contendersOf(data, batchSize);
  try {
    const triples = sampleTriples(
      sortRows({ ...data.trainCsr, indices: data.trainCsr.indices.slice() }),
      new Rng(seed),
      {},
      data.ctx.trainCsrT,
    );
    const batch = {
      users: triples.users.subarray(0, batchSize),
      pos: triples.pos.subarray(0, batchSize),
      neg: triples.neg.subarray(0, batchSize),
    };
    const g = gradients(batch);
    const diff = gradientDifference(g.tape, g.hand);
    console.log(
      `dLoss/dE(0) on one batch: max |tape - hand| / max |hand| = ${diff.overMax.toExponential(2)}, per element (where |hand| >= 1e-3 max) ${diff.perElement.toExponential(2)}`,
    );
    tape.beginEpoch(1, new Rng(seed + 1));
    hand.beginEpoch(1, new Rng(seed + 1));
    const warmup = Number(args.warmup);
    const total = warmup + Number(args.steps);
    if (total > tape.batchesPerEpoch())
      throw new Error(`an epoch has ${tape.batchesPerEpoch()} steps, asked for ${total}`);
    const times = { tape: [] as number[], hand: [] as number[] };
    const cpuTimes = { tape: [] as number[], hand: [] as number[] };
    for (let b = 0; b < total; b++) {
      const line: string[] = [];
      for (const [name, m] of [
        ['tape', tape],
        ['hand', hand],
      ] as const) {
        const s = performance.now();
        const c = process.cpuUsage();
        const loss = m.trainStep(b);
        const ms = performance.now() - s;
        const used = process.cpuUsage(c);
        const cpu = (used.user + used.system) / 1000;
        if (b >= warmup) {
          times[name].push(ms);
          cpuTimes[name].push(cpu);
        }
        line.push(
          `${name} ${ms.toFixed(1)} ms, cpu ${cpu.toFixed(1)} ms (loss ${loss.toFixed(5)})`,
        );
      }
      console.log(`step ${b}: ${line.join(', ')}${b < warmup ? ' (warm-up)' : ''}`);
    }
    const tapeMs = median(times.tape);
    const handMs = median(times.hand);
    report({
      bench: 'tape-step',
      model: args.model,
      tapeMs: Math.round(tapeMs * 10) / 10,
      handMs: Math.round(handMs * 10) / 10,
      ratio: Math.round((tapeMs / handMs) * 1000) / 1000,
      tapeCpuMs: Math.round(median(cpuTimes.tape) * 10) / 10,
      handCpuMs: Math.round(median(cpuTimes.hand) * 10) / 10,
      maxRelGradDiff: Number(diff.overMax.toExponential(2)),
      perElementRelGradDiff: Number(diff.perElement.toExponential(2)),
      threads: Number(args.threads),
      batchSize,
      steps: times.tape.length,
    });
  } finally {
    await tape.dispose();
    await hand.dispose();
  }
}

const at = process.argv.indexOf('--model');
if (at > 0 && process.argv[at + 1] === 'ngcf') {
  process.argv.splice(at, 2);
  void import('./tape-step/ngcf.js');
} else void main();
