/**
 * Where the pool worker's script is, from the two places this code runs: from source through
 * tsx (tests, benchmarks: this file is src/engine/workerPath.ts, the worker
 * src/engine/poolWorker.ts, which a plain worker cannot load, so it boots through tsx's
 * CommonJS hook), and from an esbuild bundle (this code is inside dist/cli.js, dist/lib.js
 * or another entry; the worker is dist/pool-worker.js beside it).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface WorkerScript {
  readonly file: string;
  /** TypeScript source: needs tsx to load */
  readonly ts: boolean;
}

/** The file of the module this code was loaded from (bundle or source); both are CommonJS. */
function currentFile(): string {
  return typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
}

/**
 * The worker script: `override`, else $RECLAB_POOL_WORKER, else the source or bundle
 * neighbour of this module.
 */
export function poolWorkerScript(override?: string, here: string = currentFile()): WorkerScript {
  const explicit = override ?? process.env.RECLAB_POOL_WORKER;
  if (explicit) return { file: explicit, ts: explicit.endsWith('.ts') };
  return engineWorkerScript('poolWorker.ts', 'pool-worker.js', here);
}

/** An engine worker's script: its source beside this module, or its bundle beside the bundle. */
export function engineWorkerScript(
  source: string,
  bundle: string,
  here: string = currentFile(),
): WorkerScript {
  if (here.endsWith('.ts')) return { file: join(dirname(here), source), ts: true };
  return { file: join(dirname(here), bundle), ts: false };
}

/** Starts a worker on the script, through tsx's require hook when it is TypeScript. */
export function spawnWorker(script: WorkerScript, options: WorkerOptions): Worker {
  if (!script.ts) return new Worker(script.file, options);
  const tsx = createRequire(script.file).resolve('tsx/cjs');
  const boot = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(script.file)});`;
  return new Worker(boot, { ...options, eval: true });
}
