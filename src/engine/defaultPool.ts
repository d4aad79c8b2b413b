/**
 * The pool the tfjs ops run on. Set it once per process with `await initPool({ threads })`
 * (or setDefaultPool); until then the ops use a one-thread pool made on first use, which needs
 * no worker and no await.
 */
import { Pool, type PoolOptions } from './pool.js';

let current: Pool | undefined;
let implicit = false;

export function defaultPool(): Pool {
  if (!current) {
    current = new Pool({ threads: 1 });
    implicit = true;
  }
  return current;
}

/** Makes `pool` the default (undefined: back to the implicit one-thread pool). */
export function setDefaultPool(pool: Pool | undefined): void {
  // the implicit pool has no workers and nobody else holds it: drop it with its memory
  if (current && implicit && current !== pool) void current.dispose();
  current = pool;
  implicit = false;
}

/** Creates a pool (threads default: the machine's cores), makes it the default, returns it. */
export async function initPool(opts: PoolOptions = {}): Promise<Pool> {
  const pool = await Pool.create(opts);
  setDefaultPool(pool);
  return pool;
}
