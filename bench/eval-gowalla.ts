/**
 * Full-ranking evaluation on Gowalla (LightGCN protocol): random d-dimensional embeddings
 * (seeded, N(0, 1/d)), every test user ranked against all 40,981 items with training items
 * excluded, recall/ndcg/... at K. Measures the evaluator and the ranker, not a model: random
 * embeddings give recall@20 near 0.0005.
 *
 *   npm run bench -- eval-gowalla [--ranker js|engine] [--threads N] [--ks 20] [--dim 64] [--seed 2020]
 */
import { join } from 'node:path';
import { userItemCsr } from '../src/data/csr.js';
import { loadLightGcnFiles } from '../src/data/loaders/lightgcn.js';
import { Rng } from '../src/util/rng.js';
import { evaluate, JsDotRanker, parseKs, type TopKRanker } from '../src/eval/index.js';
import { benchArgs, report, requireSharedDataset, seconds } from './common.js';

// The package is CommonJS to tsx, so no top-level await.
async function main(): Promise<void> {
  const args = benchArgs({ ranker: 'js', threads: '1', ks: '20', dim: '64', seed: '2020' });
  if (args.ranker !== 'js' && args.ranker !== 'engine')
    throw new Error(`--ranker must be js or engine, got ${args.ranker}`);
  const threads = Number(args.threads);
  const dim = Number(args.dim);
  const ks = parseKs(args.ks);
  const dir = requireSharedDataset('gowalla');

  let t = performance.now();
  const ds = await loadLightGcnFiles(
    join(dir, 'train.txt'),
    join(dir, 'test.txt'),
    undefined,
    'gowalla',
  );
  if (!ds.given) throw new Error('the gowalla files gave no train/test split');
  const { train, test } = ds.given;
  const trainCsr = userItemCsr(train);
  const testCsr = userItemCsr(test);
  const loadSeconds = seconds(t);
  console.log(
    `loaded ${train.nUsers} users x ${train.nItems} items, ${train.users.length} train / ${test.users.length} test in ${loadSeconds} s`,
  );

  t = performance.now();
  const rng = new Rng(Number(args.seed));
  const scale = 1 / Math.sqrt(dim);
  const userEmb = Float32Array.from({ length: train.nUsers * dim }, () => rng.normal() * scale);
  const itemEmb = Float32Array.from({ length: train.nItems * dim }, () => rng.normal() * scale);
  const { ranker, used, effectiveThreads } = await makeRanker(
    args.ranker,
    userEmb,
    itemEmb,
    dim,
    threads,
  );
  const setupSeconds = seconds(t);

  t = performance.now();
  let shown = 0;
  const r = await evaluate({
    ranker,
    train: trainCsr,
    test: testCsr,
    ks,
    onProgress: (done, total) => {
      if (done < total && done < shown + total / 4) return;
      shown = done;
      process.stderr.write(`  ranked ${done}/${total} users (${seconds(t)} s)\n`);
    },
  });
  const evalSeconds = seconds(t);
  await ranker.dispose?.();

  report({
    benchmark: 'eval-gowalla',
    ranker: used,
    threads: effectiveThreads,
    dim,
    users: r.users,
    items: train.nItems,
    loadSeconds,
    setupSeconds,
    seconds: evalSeconds,
    ...r.metrics,
  });
}

/** The engine's multi-threaded WebAssembly ranker, or the single-threaded JS reference. */
async function makeRanker(
  kind: string,
  u: Float32Array,
  i: Float32Array,
  d: number,
  n: number,
): Promise<{ ranker: TopKRanker; used: string; effectiveThreads: number }> {
  if (kind === 'engine') {
    // Loaded only here, so the js path does not pay for the engine's start-up.
    const { createDotRanker } = await import('../src/engine/index.js');
    return {
      ranker: createDotRanker(u, i, d, { threads: n }),
      used: 'engine',
      effectiveThreads: n,
    };
  }
  if (n !== 1) console.log(`note: the js ranker is single-threaded; --threads ${n} is ignored`);
  return { ranker: new JsDotRanker(u, i, d), used: 'js', effectiveThreads: 1 };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
