/**
 * NGCF on the autodiff tape (src/models/ngcf.ts) against the hand-written NGCF it replaced
 * (bench/tape-step/ngcfHand.ts), on Gowalla at the paper's batch (1024):
 *
 *   npm run bench -- tape-step --model ngcf [--steps 5] [--warmup 2] [--threads 2] [--batch-size 1024]
 *     [--layers 3] [--seed 2020] [--propagation paper|authors] [--activation of-sum|per-term]
 *
 * First the gradient: both models start from the same weights (the same seeded initialisation),
 * and take the loss and gradient of the same batch, dropout off; maxRelGradDiff is the largest
 * |tape - hand| over a parameter's elements divided by that parameter's largest |hand|, over
 * all parameters. Then the step time: training steps (dropout on, Adam included) of the two
 * models alternating on the same epoch's batches; the median after the warm-up (and cpuRatio,
 * the same for the process's CPU time, steadier on a shared machine). Last line:
 * JSON {"model", "tapeMs", "handMs", "ratio", "maxRelGradDiff", ...}.
 */
import { benchArgs, loadBenchData, report } from '../common.js';
import { NgcfHand } from './ngcfHand.js';
import { sortRows } from '../../src/data/csr.js';
import { Rng } from '../../src/util/rng.js';
import { Ngcf } from '../../src/models/ngcf.js';
import { sampleTriples } from '../../src/train/samplers.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const args = benchArgs({
    steps: '5',
    warmup: '2',
    threads: '2',
    'batch-size': '1024',
    layers: '3',
    seed: '2020',
    propagation: 'paper',
    activation: 'of-sum',
  });
  const seed = Number(args.seed);
  const { ctx } = await loadBenchData('gowalla', seed, Number(args.threads));
  const hyper = {
    batchSize: Number(args['batch-size']),
    layers: Number(args.layers),
    propagation: args.propagation,
    activation: args.activation,
  };
  const tape = await Ngcf.create({ ...ctx, rng: new Rng(seed) }, hyper);
  const hand = await NgcfHand.create({ ...ctx, rng: new Rng(seed) }, hyper);
  try {
    // the same weights (checked), one batch of the epoch's triples
    const tapeState = tape.state();
    for (const [k, v] of Object.entries(hand.state()))
      if (tapeState[k] && !tapeState[k].every((x, i) => x === v[i]))
        throw new Error(`the two models start from different ${k}`);
    const triples = sampleTriples(
      sortRows({ ...ctx.trainCsr, indices: ctx.trainCsr.indices.slice() }),
      new Rng(seed + 1),
      { negatives: 1, sampler: 'uniform' },
      ctx.trainCsrT,
    );
    const n = hyper.batchSize;
    const batch = {
      users: triples.users.slice(0, n),
      pos: triples.pos.slice(0, n),
      neg: triples.neg.slice(0, n),
    };
    const t = tape.lossAndGradients(batch);
    const h = hand.lossAndGradients(batch.users, batch.pos, batch.neg, 1);
    let maxRelGradDiff = 0;
    for (const [k, g] of Object.entries(h.grads)) {
      let scale = 0;
      let diff = 0;
      g.forEach((v, i) => {
        scale = Math.max(scale, Math.abs(v));
        diff = Math.max(diff, Math.abs(t.grads[k][i] - v));
      });
      console.log(
        `${k}: largest |gradient| ${scale.toExponential(3)}, |tape - hand| ${diff.toExponential(3)}`,
      );
      maxRelGradDiff = Math.max(maxRelGradDiff, scale > 0 ? diff / scale : diff);
    }
    console.log(`loss: tape ${t.loss}, hand ${h.loss}`);

    const epochRng = new Rng(seed + 2);
    tape.beginEpoch(1, epochRng.fork());
    hand.beginEpoch(1, epochRng.fork());
    const warmup = Number(args.warmup);
    const total = warmup + Number(args.steps);
    const times = { tape: [] as number[], hand: [] as number[] };
    // CPU time of the process (both threads) per step: steadier than wall time on a busy machine
    const cpu = { tape: [] as number[], hand: [] as number[] };
    for (let b = 0; b < total; b++) {
      for (const [name, m] of [
        ['tape', tape],
        ['hand', hand],
      ] as const) {
        const s = performance.now();
        const c = process.cpuUsage();
        m.trainStep(b);
        const ms = performance.now() - s;
        const used = process.cpuUsage(c);
        const cpuMs = (used.user + used.system) / 1000;
        if (b >= warmup) {
          times[name].push(ms);
          cpu[name].push(cpuMs);
        }
        console.log(
          `step ${b} ${name}: ${ms.toFixed(1)} ms (cpu ${cpuMs.toFixed(1)} ms)${b < warmup ? ' (warm-up)' : ''}`,
        );
      }
    }
    const tapeMs = median(times.tape);
    const handMs = median(times.hand);
    report({
      model: 'ngcf',
      tapeMs: round(tapeMs, 1),
      handMs: round(handMs, 1),
      ratio: round(tapeMs / handMs, 3),
      maxRelGradDiff: Number(maxRelGradDiff.toExponential(2)),
      cpuRatio: round(median(cpu.tape) / median(cpu.hand), 3),
      threads: Number(args.threads),
      batchSize: n,
      propagation: args.propagation,
      activation: args.activation,
      layerRows: tape.layerRowCounts,
    });
  } finally {
    await tape.dispose();
    await hand.dispose();
  }
}

void main();
