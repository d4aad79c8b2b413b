/**
 * Random walks (../graph/walks.ts) over several threads: the same walks, bit for bit, for any
 * thread count, since walk r draws from the stream keyed by (seed, start, walk index) whoever
 * generates it. The walks are split into contiguous ranges, one per thread; the calling thread
 * walks the first while worker threads walk theirs into one SharedArrayBuffer, which the CSR is
 * copied into as well (workers read it without copies).
 *
 * Why not the engine's Pool: its workers run a fixed set of WASM / JS kernels on one
 * WebAssembly.Memory, dispatched by op codes; a walk is branchy scalar JS over the graph, which
 * a kernel op would have to reimplement. Workers are started per call (tens of milliseconds,
 * more from source through tsx): worth it for the corpus of a model, not for a few walks.
 */
import type { Worker } from 'node:worker_threads';
import type { Csr } from '../data/types.js';
import {
  checkWalkOptions,
  randomWalks,
  walkRows,
  type WalkOptions,
  type Walks,
} from '../graph/walks.js';
import { jobGraph, jobOutput, sharedCopy, type WalkJob } from './walkShare.js';
import { engineWorkerScript, spawnWorker } from './workerPath.js';

/** Every walk of randomWalks(g, o), generated on `threads` threads (the caller included). */
export async function parallelWalks(g: Csr, o: WalkOptions, threads: number): Promise<Walks> {
  if (!(Number.isInteger(threads) && threads >= 1))
    throw new RangeError(`threads must be an integer >= 1, got ${threads}`);
  const starts = o.starts ?? Int32Array.from({ length: g.nRows }, (_, v) => v);
  const count = o.walksPerNode * starts.length;
  if (threads === 1 || count < 2) return randomWalks(g, { ...o, starts });
  checkWalkOptions(g, o, starts);
  const base: Omit<WalkJob, 'from' | 'to'> = {
    reclabWalks: true,
    nRows: g.nRows,
    indptr: sharedCopy(g.indptr).buffer as SharedArrayBuffer,
    indices: sharedCopy(g.indices).buffer as SharedArrayBuffer,
    starts: sharedCopy(starts).buffer as SharedArrayBuffer,
    out: new SharedArrayBuffer(count * o.length * 4),
    length: o.length,
    walksPerNode: o.walksPerNode,
    seed: o.seed,
    p: o.p ?? 1,
    q: o.q ?? 1,
  };
  const jobs = splitRange(count, Math.min(threads, count)).map(([from, to]): WalkJob => ({
    ...base,
    from,
    to,
  }));
  const script = engineWorkerScript('walkWorker.ts', 'walk-worker.js');
  const done = jobs.slice(1).map((job) => runWorker(spawnWorker(script, { workerData: job })));
  const mine = jobGraph(jobs[0]);
  walkRows(mine.g, mine.o, jobs[0].from, jobs[0].to, jobOutput(jobs[0]));
  await Promise.all(done);
  return { nodes: new Int32Array(base.out), length: o.length, count, starts };
}

/** [0, n) as `parts` contiguous ranges, sizes differing by at most one. */
export function splitRange(n: number, parts: number): [number, number][] {
  return Array.from({ length: parts }, (_, t) => [
    Math.floor((t * n) / parts),
    Math.floor(((t + 1) * n) / parts),
  ]);
}

function runWorker(w: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    let finished = false;
    w.once('message', () => {
      finished = true;
      resolve();
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (!finished) reject(new Error(`walk worker exited (code ${code}) before its walks`));
    });
  });
}
