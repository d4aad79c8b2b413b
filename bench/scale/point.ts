/**
 * One point of `npm run bench -- scale`, run in a process of its own so that its peak RSS is
 * its own: Gowalla-like synthetic data of --point million interactions, LightGCN with its paper
 * hyperparameters (d=64, 3 layers, batch 2048, one (u, i, j) per training interaction an
 * epoch), --epochs full epochs, then full-ranking Recall/NDCG@20 over all items with the
 * training items excluded. The last stdout line is the point's JSON.
 *
 *   node --import tsx bench/scale/point.ts --point 1 [--epochs 1] [--threads 2]
 *     [--seed 2020] [--eval-users all|N] [--max-epoch-seconds S]
 *
 * --eval-users N ranks a seeded sample of N test users instead of all of them.
 * --max-epoch-seconds S stops an epoch after S seconds and extrapolates its time from the
 * batches done (every batch of an epoch does the same work: full-graph propagation and 2048
 * triples); the point then says how many batches were timed. Off by default: full epochs.
 */
import { itemUserCsr, userItemCsr } from '../../src/data/csr.js';
import { synthesizeGowallaLike } from '../../src/data/synth.js';
import type { Interactions } from '../../src/data/types.js';
import { Rng } from '../../src/util/rng.js';
import { evaluate } from '../../src/eval/index.js';
import { modelEntry, resolveHyper } from '../../src/models/registry.js';
import { isTrainable } from '../../src/models/types.js';
import { epochRng } from '../../src/train/trainer.js';
import { errorMessage } from '../../src/util/errors.js';
import { benchArgs, peakRssMB, seconds } from '../common.js';
import { parsePointOptions, parsePoints, POINT_DEFAULTS, type ScalePoint } from './options.js';

/** The test interactions of a seeded sample of `n` users (all of them when n covers them). */
function sampleTestUsers(test: Interactions, n: number, seed: number): Interactions {
  const has = new Uint8Array(test.nUsers);
  for (const u of test.users) has[u] = 1;
  const users = Int32Array.from(has.keys()).filter((u) => has[u] === 1);
  if (n >= users.length) return test;
  const rng = new Rng(seed);
  // a partial Fisher-Yates shuffle: the first n places are a uniform sample
  const keep = new Uint8Array(test.nUsers);
  for (let k = 0; k < n; k++) {
    const j = k + rng.int(users.length - k);
    [users[k], users[j]] = [users[j], users[k]];
    keep[users[k]] = 1;
  }
  const picked = test.users.map((u) => keep[u]);
  const at = Int32Array.from(picked.keys()).filter((k) => picked[k] === 1);
  return { ...test, users: at.map((k) => test.users[k]), items: at.map((k) => test.items[k]) };
}

async function main(): Promise<void> {
  const args = benchArgs({ point: '', ...POINT_DEFAULTS });
  const o = parsePointOptions(args);
  const [interactions] = parsePoints(args.point);
  const log = (m: string): void => console.log(m);

  let t = performance.now();
  const data = synthesizeGowallaLike({ interactions, seed: o.seed });
  const generateSeconds = seconds(t);
  log(
    `${interactions} interactions: ${data.nUsers} users x ${data.nItems} items, ${data.train.users.length} train / ${data.test.users.length} test, generated in ${generateSeconds} s`,
  );

  t = performance.now();
  const trainCsr = userItemCsr(data.train);
  const entry = modelEntry('lightgcn');
  const model = await entry.create(
    {
      train: data.train,
      trainCsr,
      trainCsrT: itemUserCsr(data.train),
      rng: new Rng(o.seed),
      threads: o.threads,
      log,
    },
    resolveHyper(entry, {}, 'scale bench'),
  );
  if (!isTrainable(model)) throw new Error('lightgcn is not trainable');
  const setupSeconds = seconds(t);
  log(`LightGCN built in ${setupSeconds} s (${model.backend ?? 'js'})`);

  try {
    const epochSeconds: number[] = [];
    let timedBatches = 0;
    let batchesPerEpoch = 0;
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      t = performance.now();
      await model.beginEpoch(epoch, epochRng(o.seed, epoch));
      batchesPerEpoch = model.batchesPerEpoch();
      let done = 0;
      let loss = 0;
      let shown = 0;
      for (; done < batchesPerEpoch; done++) {
        const elapsed = (performance.now() - t) / 1000;
        if (done > 0 && o.maxEpochSeconds > 0 && elapsed > o.maxEpochSeconds) break;
        // long epochs say where they are, so a stopped run still gives an estimate
        if (elapsed - shown >= 30) {
          shown = elapsed;
          log(
            `  epoch ${epoch}: batch ${done}/${batchesPerEpoch}, ${(elapsed / done).toFixed(3)} s a batch, epoch ~${Math.round((elapsed / done) * batchesPerEpoch)} s`,
          );
        }
        loss += await model.trainStep(done);
      }
      const s = (performance.now() - t) / 1000;
      epochSeconds.push((s / done) * batchesPerEpoch);
      timedBatches = done;
      log(
        `epoch ${epoch}: loss ${(loss / done).toFixed(5)}, ${s.toFixed(1)} s${done < batchesPerEpoch ? ` for ${done} of ${batchesPerEpoch} batches (--max-epoch-seconds): ~${Math.round(epochSeconds[epochSeconds.length - 1])} s a full epoch` : ''}`,
      );
      if (done < batchesPerEpoch) break;
    }

    const test = sampleTestUsers(data.test, o.evalUsers, o.seed);
    const ranker = model.ranker(o.threads);
    const r = await evaluate({ ranker, train: trainCsr, test: userItemCsr(test), ks: [20] });
    await ranker.dispose?.();
    const testUsers = new Set(data.test.users).size;
    log(
      `evaluated ${r.users} of ${testUsers} test users over all ${data.nItems} items in ${r.seconds.toFixed(1)} s: recall@20 ${r.metrics['recall@20'].toFixed(4)}, ndcg@20 ${r.metrics['ndcg@20'].toFixed(4)}`,
    );

    const mean = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
    const point: ScalePoint = {
      interactions,
      users: data.nUsers,
      items: data.nItems,
      trainInteractions: data.train.users.length,
      epochSeconds: Math.round(mean * 100) / 100,
      epochs: epochSeconds.length,
      batchesPerEpoch,
      ...(timedBatches < batchesPerEpoch && { epochEstimatedFromBatches: timedBatches }),
      evalSeconds: Math.round(r.seconds * 100) / 100,
      evalUsers: r.users,
      ...(r.users < testUsers && { evalUsersSampledFrom: testUsers }),
      'recall@20': Math.round(r.metrics['recall@20'] * 1e4) / 1e4,
      'ndcg@20': Math.round(r.metrics['ndcg@20'] * 1e4) / 1e4,
      generateSeconds,
      setupSeconds,
      peakRssMB: peakRssMB(),
    };
    console.log(JSON.stringify(point));
  } finally {
    await model.dispose?.();
  }
}

main().catch((e: unknown) => {
  console.error(errorMessage(e));
  process.exitCode = 1;
});
