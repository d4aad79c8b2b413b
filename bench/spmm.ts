/**
 * Milliseconds per SpMM Ã·X on the Gowalla LightGCN graph for each kernel the engine has:
 * plain JS and WebAssembly SIMD on one thread, WebAssembly SIMD over a pool of T threads, the
 * tfjs op (propagate: the pool plus copies in and out of tfjs), and tfjs-wasm's own
 * sparseSegmentSum for reference.
 *
 * With --rank yes it also times the engine's dot ranker on the whole Gowalla evaluation
 * (every user's top 20 over all items, training items excluded; random embeddings).
 *
 *   npm run bench -- spmm [--threads T] [--dim 64] [--reps 10] [--tfjs yes|no] [--rank yes|no]
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { benchArgs, report, requireSharedDataset, seconds } from './common.js';
import { loadLightGcnFiles } from '../src/data/loaders/lightgcn.js';
import { normalizedAdjacency } from '../src/graph/adjacency.js';
import type { NormalizedAdjacency } from '../src/graph/types.js';
import { Pool } from '../src/engine/pool.js';
import { Rng } from '../src/util/rng.js';

const args = benchArgs({
  threads: String(availableParallelism()),
  dim: '64',
  reps: '10',
  tfjs: 'yes',
  rank: 'no',
});
const threads = Number(args.threads);
const dim = Number(args.dim);
const reps = Number(args.reps);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median ms of `reps` calls after one warm-up. */
function time(f: () => void, n = reps): number {
  f();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return Math.round(median(ms) * 10) / 10;
}

async function poolSpmm(
  adj: NormalizedAdjacency,
  x: Float32Array,
  opts: ConstructorParameters<typeof Pool>[0],
  n = reps,
): Promise<number> {
  const pool = await Pool.create(opts);
  try {
    const a = pool.upload(adj);
    const xs = pool.shared(x);
    const y = pool.allocF32(adj.nRows * dim);
    return time(() => pool.spmm(a, xs, y, dim), n);
  } finally {
    await pool.dispose();
  }
}

/** Top-level await is unavailable: tsx runs this file as CommonJS. */
async function main(): Promise<void> {
  const dir = requireSharedDataset('gowalla');
  const t0 = performance.now();
  const ds = await loadLightGcnFiles(join(dir, 'train.txt'));
  const train = ds.given?.train ?? ds.interactions;
  const loadS = seconds(t0);
  const t1 = performance.now();
  const adj = normalizedAdjacency(train);
  const adjacencyS = seconds(t1);
  const nnz = adj.indptr[adj.nRows];
  console.log(
    `Gowalla: ${train.nUsers} users, ${train.nItems} items, Ã ${adj.nRows} nodes, ${nnz} nnz; d=${dim}; adjacency built in ${adjacencyS} s`,
  );

  const rng = new Rng(1);
  const x = new Float32Array(adj.nRows * dim);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 0.1;

  const figures: Record<string, unknown> = {
    nodes: adj.nRows,
    nnz,
    dim,
    threads,
    loadS,
    adjacencyS,
  };
  figures.jsMs = await poolSpmm(adj, x, { threads: 1, kernels: 'js' }, Math.min(reps, 3));
  console.log(`JS, 1 thread: ${figures.jsMs} ms`);
  figures.wasm1Ms = await poolSpmm(adj, x, { threads: 1, kernels: 'wasm' });
  console.log(`WASM SIMD, 1 thread: ${figures.wasm1Ms} ms`);
  figures.wasmPoolMs = await poolSpmm(adj, x, { threads, kernels: 'wasm' });
  console.log(`WASM SIMD, pool of ${threads}: ${figures.wasmPoolMs} ms`);

  if (args.tfjs === 'yes') {
    const tf = await import('@tensorflow/tfjs');
    const { initBackend } = await import('../src/engine/backend.js');
    const { propagate } = await import('../src/engine/ops/propagate.js');
    const { setDefaultPool } = await import('../src/engine/defaultPool.js');
    const info = await initBackend({ prefer: ['wasm'] });
    figures.tfjsBackend = info.name;
    const pool = await Pool.create({ threads });
    setDefaultPool(pool);
    const xt = tf.tensor2d(x, [adj.nRows, dim]);
    // the op as autodiff runs it: the output tensor feeds the next op, no read-back
    figures.propagateMs = time(() => propagate(adj, xt).dispose());
    console.log(
      `tfjs op propagate (${info.name} backend, pool of ${threads}, copies in and out of tfjs included): ${figures.propagateMs} ms`,
    );
    // tfjs's own route: weight the gathered neighbour rows, then sum each row's segment
    const rowOf = new Int32Array(nnz);
    for (let r = 0; r < adj.nRows; r++) rowOf.fill(r, adj.indptr[r], adj.indptr[r + 1]);
    const col = tf.tensor1d(adj.indices, 'int32');
    const val = tf.tensor2d(adj.values, [nnz, 1]);
    const seg = tf.tensor1d(rowOf, 'int32');
    const ids = tf.range(0, nnz, 1, 'int32');
    figures.tfjsSegmentSumMs = time(
      () => {
        const y = tf.tidy(() =>
          tf.sparse.sparseSegmentSum(tf.mul(tf.gather(xt, col), val), ids, seg),
        );
        y.dataSync();
        y.dispose();
      },
      Math.min(reps, 3),
    );
    console.log(`tfjs ${info.name} gather+mul+sparseSegmentSum: ${figures.tfjsSegmentSumMs} ms`);
    // the segment sum alone, over neighbour rows gathered and weighted beforehand
    const weighted = tf.tidy(() => tf.mul(tf.gather(xt, col), val));
    figures.tfjsSegmentSumOnlyMs = time(
      () => tf.sparse.sparseSegmentSum(weighted, ids, seg).dispose(),
      Math.min(reps, 3),
    );
    console.log(
      `tfjs ${info.name} sparseSegmentSum alone (pre-gathered): ${figures.tfjsSegmentSumOnlyMs} ms`,
    );
    weighted.dispose();
    // on the cpu backend tensors are plain arrays: reading x costs nothing
    await initBackend({ prefer: ['cpu'] });
    const xc = tf.tensor2d(x, [adj.nRows, dim]);
    figures.propagateCpuBackendMs = time(() => propagate(adj, xc).dispose());
    console.log(
      `tfjs op propagate (cpu backend, pool of ${threads}): ${figures.propagateCpuBackendMs} ms`,
    );
    setDefaultPool(undefined);
    await pool.dispose();
  }
  if (args.rank === 'yes') {
    const { buildCsr } = await import('../src/data/csr.js');
    const { createDotRanker } = await import('../src/engine/ranker/dotRanker.js');
    const trainCsr = buildCsr(train.nUsers, train.nItems, train.users, train.items);
    const emb = (n: number): Float32Array =>
      Float32Array.from({ length: n * dim }, () => rng.normal() * 0.1);
    const ranker = createDotRanker(emb(train.nUsers), emb(train.nItems), dim, { threads });
    const all = Int32Array.from({ length: train.nUsers }, (_, u) => u);
    await ranker.topK(all.subarray(0, 256), 20, [trainCsr]); // warm-up (workers, tier-up)
    const t = performance.now();
    await ranker.topK(all, 20, [trainCsr]);
    figures.rankAllUsersS = seconds(t);
    console.log(
      `dot ranker, top 20 of ${train.nItems} items for all ${train.nUsers} users, ${threads} threads: ${figures.rankAllUsersS} s`,
    );
    await ranker.dispose();
  }
  report(figures);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
