/**
 * Full-ranking evaluation on Gowalla (LightGCN protocol): random d-dimensional embeddings
 * (seeded, N(0, 1/d)), every test user ranked against all 40,981 items with training items
 * excluded, recall/ndcg/... at K. Measures the evaluator and the ranker, not a model: random
 * embeddings give recall@20 near 0.0005.
 *
 *   npm run bench -- eval-gowalla [--ranker js|engine] [--threads N] [--ks 20] [--dim 64] [--seed 2020]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userItemCsr } from '../src/data/csr.js';
import type { Interactions } from '../src/data/types.js';
import { Rng } from '../src/engine/rng.js';
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
  const { train, test } = await loadSplit(join(dir, 'train.txt'), join(dir, 'test.txt'));
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

/** The engine's multi-threaded ranker when it is there, else the single-threaded JS one. */
async function makeRanker(
  kind: string,
  u: Float32Array,
  i: Float32Array,
  d: number,
  n: number,
): Promise<{ ranker: TopKRanker; used: string; effectiveThreads: number }> {
  if (kind === 'engine') {
    const create = await findEngineFactory();
    if (create)
      return { ranker: await create(u, i, d, { threads: n }), used: 'engine', effectiveThreads: n };
  }
  if (n !== 1) console.log(`note: the js ranker is single-threaded; --threads ${n} is ignored`);
  return { ranker: new JsDotRanker(u, i, d), used: 'js', effectiveThreads: 1 };
}

type DotRankerFactory = (
  userEmb: Float32Array,
  itemEmb: Float32Array,
  dim: number,
  options: { threads: number },
) => TopKRanker | Promise<TopKRanker>;

async function findEngineFactory(): Promise<DotRankerFactory | undefined> {
  // A variable specifier: the engine module may not exist yet, and must not break typechecking.
  const spec = '../src/engine/index.js';
  let mod: unknown;
  try {
    mod = await import(spec);
  } catch (e) {
    if (!isMissingModule(e)) throw e;
    console.log(
      `note: ${spec} not found (${(e as Error).message.split('\n')[0]}); falling back to the js ranker`,
    );
    return undefined;
  }
  const create = (mod as { createDotRanker?: unknown }).createDotRanker;
  if (typeof create === 'function') return create as DotRankerFactory;
  console.log(`note: ${spec} has no createDotRanker export yet; falling back to the js ranker`);
  return undefined;
}

/** Train and test interactions through the data loader when present, else a minimal reader of the same format. */
async function loadSplit(
  trainPath: string,
  testPath: string,
): Promise<{ train: Interactions; test: Interactions }> {
  const spec = '../src/data/loaders/lightgcn.js';
  try {
    const mod = (await import(spec)) as {
      loadLightGcnFiles: (
        a: string,
        b?: string,
      ) => Promise<{ given?: { train: Interactions; test: Interactions } }>;
    };
    const ds = await mod.loadLightGcnFiles(trainPath, testPath);
    if (!ds.given) throw new Error('loadLightGcnFiles returned no train/test split');
    return ds.given;
  } catch (e) {
    if (!isMissingModule(e)) throw e;
    console.log(`note: ${spec} not found; reading the files with the benchmark's own reader`);
  }
  const [a, b] = await Promise.all([readLines(trainPath), readLines(testPath)]);
  const nUsers = Math.max(a.maxUser, b.maxUser) + 1;
  const nItems = Math.max(a.maxItem, b.maxItem) + 1;
  return {
    train: { nUsers, nItems, users: a.users, items: a.items },
    test: { nUsers, nItems, users: b.users, items: b.items },
  };
}

/** 'user item item ...' per line. */
async function readLines(
  path: string,
): Promise<{ users: Int32Array; items: Int32Array; maxUser: number; maxItem: number }> {
  const users: number[] = [];
  const items: number[] = [];
  let maxUser = -1;
  let maxItem = -1;
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const f = line.trim().split(/\s+/).filter(Boolean).map(Number);
    if (f.length === 0) continue;
    maxUser = Math.max(maxUser, f[0]);
    for (let j = 1; j < f.length; j++) {
      users.push(f[0]);
      items.push(f[j]);
      maxItem = Math.max(maxItem, f[j]);
    }
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), maxUser, maxItem };
}

const isMissingModule = (e: unknown): boolean => {
  const code = (e as { code?: string }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

void main();
