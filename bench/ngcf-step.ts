/**
 * NGCF training steps on Gowalla, timed one by one: the figure to watch while making an NGCF
 * epoch faster, without waiting for the whole epoch (about 100 steps at batch 8192).
 *
 *   npm run bench -- ngcf-step [--steps 8] [--warmup 2] [--threads 2] [--batch-size 8192]
 *     [--layers 3] [--seed 2020] [--propagation paper|authors] [--activation of-sum|per-term]
 *     [--restrict-below 0.9]
 *
 * `--restrict-below 0` computes every layer below the last in full, for comparison with
 * computing one at the rows the layers above read (the default when they are few enough).
 * Prints each step's milliseconds, then one JSON line with the median (`stepMs`), the implied
 * epoch (`epochSeconds`: median x steps per epoch) and peak RSS. Run it with `node --cpu-prof`
 * (through `--import tsx`) for where the time goes.
 */
import { benchArgs, peakRssMB, report, requireSharedDataset, seconds } from './common.js';
import { itemUserCsr, userItemCsr } from '../src/data/csr.js';
import { loadDataset, splitDataset } from '../src/data/index.js';
import { Rng } from '../src/util/rng.js';
import { Ngcf } from '../src/models/ngcf.js';

async function main(): Promise<void> {
  const args = benchArgs({
    steps: '8',
    warmup: '2',
    threads: '2',
    'batch-size': '8192',
    layers: '3',
    seed: '2020',
    propagation: 'paper',
    activation: 'of-sum',
    'restrict-below': '',
  });
  const dir = requireSharedDataset('gowalla');
  const t0 = performance.now();
  const dataset = await loadDataset(`gowalla:${dir}`);
  const split = splitDataset(dataset, { type: 'given' }, Number(args.seed));
  console.log(`loaded gowalla in ${seconds(t0)} s`);
  const rng = new Rng(Number(args.seed));
  const model = await Ngcf.create(
    {
      train: split.train,
      trainCsr: userItemCsr(split.train),
      trainCsrT: itemUserCsr(split.train),
      rng: rng.fork(),
      threads: Number(args.threads),
      log: (m) => console.log(m),
    },
    {
      batchSize: Number(args['batch-size']),
      layers: Number(args.layers),
      propagation: args.propagation,
      activation: args.activation,
    },
    args['restrict-below'] === '' ? {} : { restrictBelow: Number(args['restrict-below']) },
  );
  const nodes = split.train.nUsers + split.train.nItems;
  try {
    model.beginEpoch(1, rng.fork());
    const total = Number(args.warmup) + Number(args.steps);
    if (total > model.batchesPerEpoch())
      throw new Error(`an epoch has ${model.batchesPerEpoch()} steps, asked for ${total}`);
    const times: number[] = [];
    for (let b = 0; b < total; b++) {
      const s = performance.now();
      const loss = model.trainStep(b);
      const ms = performance.now() - s;
      const warm = b < Number(args.warmup);
      const rows = model.layerRowCounts.map((c) => `${Math.round((100 * c) / nodes)}%`);
      console.log(
        `step ${b}: ${ms.toFixed(1)} ms, loss ${loss.toFixed(5)}, layers below the last at ${rows.join(' / ') || '-'} of the nodes${warm ? ' (warm-up)' : ''}`,
      );
      if (!warm) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    report({
      bench: 'ngcf-step',
      threads: Number(args.threads),
      batchSize: Number(args['batch-size']),
      propagation: args.propagation,
      activation: args.activation,
      stepMs: Math.round(median * 10) / 10,
      minStepMs: Math.round(times[0] * 10) / 10,
      stepsPerEpoch: model.batchesPerEpoch(),
      epochSeconds: Math.round((median * model.batchesPerEpoch()) / 100) / 10,
      peakRssMB: peakRssMB(),
    });
  } finally {
    await model.dispose();
  }
}

void main();
