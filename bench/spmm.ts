/**
 * Milliseconds per SpMM Ã·X on the Gowalla LightGCN graph for each kernel the engine has:
 * plain JS and WebAssembly SIMD on one thread, WebAssembly SIMD over a pool of T threads, the
 * tfjs op (propagate: the pool plus copies in and out of tfjs), and tfjs-wasm's own
 * sparseSegmentSum for reference.
 *
 *   npm run bench -- spmm [--threads T] [--dim 64] [--reps 10] [--tfjs yes|no]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { benchArgs, report, requireSharedDataset, seconds } from './common.js';
import type { Interactions } from '../src/data/types.js';
import { normalizedAdjacency } from '../src/graph/adjacency.js';
import type { NormalizedAdjacency } from '../src/graph/types.js';
import { Pool } from '../src/engine/pool.js';
import { Rng } from '../src/engine/rng.js';

const args = benchArgs({ threads: String(availableParallelism()), dim: '64', reps: '10', tfjs: 'yes' });
const threads = Number(args.threads);
const dim = Number(args.dim);
const reps = Number(args.reps);

/** LightGCN's train.txt: "user item item ..." per line. (The data loader will replace this.) */
function readLightGcnTrain(file: string): Interactions {
  const users: number[] = [];
  const items: number[] = [];
  let nUsers = 0;
  let nItems = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/).map(Number);
    if (f.length < 2 || Number.isNaN(f[0])) continue;
    nUsers = Math.max(nUsers, f[0] + 1);
    for (let i = 1; i < f.length; i++) {
      users.push(f[0]);
      items.push(f[i]);
      nItems = Math.max(nItems, f[i] + 1);
    }
  }
  return { nUsers, nItems, users: Int32Array.from(users), items: Int32Array.from(items) };
}

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

async function poolSpmm(adj: NormalizedAdjacency, x: Float32Array, opts: ConstructorParameters<typeof Pool>[0], n = reps): Promise<number> {
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
  const train = readLightGcnTrain(join(dir, 'train.txt'));
  const loadS = seconds(t0);
  const t1 = performance.now();
  const adj = normalizedAdjacency(train);
  const adjacencyS = seconds(t1);
  const nnz = adj.indptr[adj.nRows];
  console.log(`Gowalla: ${train.nUsers} users, ${train.nItems} items, Ã ${adj.nRows} nodes, ${nnz} nnz; d=${dim}; adjacency built in ${adjacencyS} s`);

  const rng = new Rng(1);
  const x = new Float32Array(adj.nRows * dim);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 0.1;

  const figures: Record<string, unknown> = { nodes: adj.nRows, nnz, dim, threads, loadS, adjacencyS };
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
    figures.propagateMs = time(() => {
      // (dataSync outside tidy: tidy would walk the returned array element by element)
      const y = propagate(adj, xt);
      y.dataSync();
      y.dispose();
    });
    console.log(`tfjs op propagate (${info.name} backend, pool of ${threads}, with copies): ${figures.propagateMs} ms`);
    // tfjs's own route: weight the gathered neighbour rows, then sum each row's segment
    const rowOf = new Int32Array(nnz);
    for (let r = 0; r < adj.nRows; r++) rowOf.fill(r, adj.indptr[r], adj.indptr[r + 1]);
    const col = tf.tensor1d(adj.indices, 'int32');
    const val = tf.tensor2d(adj.values, [nnz, 1]);
    const seg = tf.tensor1d(rowOf, 'int32');
    const ids = tf.range(0, nnz, 1, 'int32');
    figures.tfjsSegmentSumMs = time(
      () => {
      const y = tf.tidy(() => tf.sparse.sparseSegmentSum(tf.mul(tf.gather(xt, col), val), ids, seg));
      y.dataSync();
      y.dispose();
    },
      Math.min(reps, 3),
    );
    console.log(`tfjs ${info.name} gather+mul+sparseSegmentSum: ${figures.tfjsSegmentSumMs} ms`);
    setDefaultPool(undefined);
    await pool.dispose();
  }
  report(figures);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
