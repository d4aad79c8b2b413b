/**
 * Full-ranking top-k by dot product over the engine's pool: WebAssembly SIMD register-blocked
 * scoring (4 users x 8 items per step, item tiles kept in L2) with a top-k threshold scan fused
 * in, users split evenly between the pool's threads. Results: the TopKRanker contract of
 * ./topKRanker.ts (best first, ties to the lower item id, excluded items never, -1 padding).
 *
 * Scores are float32 sums in dimension order (one rounding per multiply and add): the WASM
 * and JS kernels agree bit for bit, so the ranking does not depend on the kernel or on the
 * thread count. (The eval module's JsDotRanker sums in float64, so near-ties may order
 * differently between the two.)
 */
import type { Csr } from '../../data/types.js';
import type { TopKRanker } from './topKRanker.js';
import { Pool } from '../pool.js';
import { OP } from '../protocol.js';
import { BLOCK_USERS, packPanels, PANEL, panelsFor, rankScratch } from './layout.js';
import { RANK_ARGS } from './rankSlice.js';

export interface DotRankerOptions {
  /** threads of the ranker's own pool (ignored with `pool`); default: the machine's cores */
  readonly threads?: number;
  /** run on this pool instead of an own one (dispose() then leaves it running) */
  readonly pool?: Pool;
  readonly kernels?: 'auto' | 'wasm' | 'js';
}

/** Users per thread between two returns to the event loop (~0.1 s of work at d = 64). */
const USERS_PER_ROUND = 1024;

export interface DotRanker extends TopKRanker {
  readonly nUsers: number;
  readonly nItems: number;
  readonly pool: Pool;
  dispose(): Promise<void>;
}

/**
 * A ranker over row-major user [nUsers x dim] and item [nItems x dim] embeddings. Both are
 * copied into the pool when it is made (arrays already in the pool's memory are read in place),
 * so later changes to the caller's arrays are not seen.
 */
export function createDotRanker(
  userEmb: Float32Array,
  itemEmb: Float32Array,
  dim: number,
  opts: DotRankerOptions = {},
): DotRanker {
  return new PoolDotRanker(userEmb, itemEmb, dim, opts);
}

class PoolDotRanker implements DotRanker {
  readonly nUsers: number;
  readonly nItems: number;
  readonly pool: Pool;
  private readonly ownPool: boolean;
  private readonly users: Float32Array;
  private readonly usersGiven: Float32Array;
  private readonly panels: Float32Array;
  private disposed = false;

  constructor(
    userEmb: Float32Array,
    itemEmb: Float32Array,
    private readonly dim: number,
    opts: DotRankerOptions,
  ) {
    if (!Number.isInteger(dim) || dim < 1)
      throw new RangeError(`dim must be a positive integer, got ${dim}`);
    if (userEmb.length % dim !== 0 || itemEmb.length % dim !== 0)
      throw new RangeError(
        `embedding lengths ${userEmb.length}, ${itemEmb.length} are not multiples of dim ${dim}`,
      );
    this.nUsers = userEmb.length / dim;
    this.nItems = itemEmb.length / dim;
    this.ownPool = !opts.pool;
    this.pool = opts.pool ?? new Pool({ threads: opts.threads, kernels: opts.kernels });
    this.usersGiven = userEmb;
    this.users = this.pool.shared(userEmb);
    this.panels = this.pool.allocF32(panelsFor(this.nItems) * PANEL * dim);
    packPanels(itemEmb, this.nItems, dim, this.panels);
  }

  async topK(users: Int32Array, k: number, exclude: readonly Csr[]): Promise<Int32Array> {
    if (this.disposed) throw new Error('ranker: used after dispose()');
    if (!Number.isInteger(k) || k < 0)
      throw new RangeError(`k must be a non-negative integer, got ${k}`);
    for (let j = 0; j < users.length; j++)
      if (!(users[j] >= 0 && users[j] < this.nUsers))
        throw new RangeError(`user ${users[j]} out of range [0, ${this.nUsers})`);
    const n = users.length;
    if (k === 0 || n === 0) return new Int32Array(n * k);
    if (this.nItems === 0) return new Int32Array(n * k).fill(-1);
    await this.pool.ready();
    const pool = this.pool;
    const list = pool.shared(users);
    const { exPtr, exItems } = this.exclusions(users, exclude);
    const out = pool.allocI32(n * k);
    const threads = pool.threads;
    const scratchBytes = rankScratch(this.dim, k).bytes;
    const scratch = Array.from({ length: threads }, () => pool.heap.alloc(scratchBytes));
    try {
      for (let from = 0; from < n; from += USERS_PER_ROUND * threads) {
        const to = Math.min(n, from + USERS_PER_ROUND * threads);
        // whole blocks per thread where possible: a part-filled block costs a full one
        const per = Math.ceil((to - from) / threads / BLOCK_USERS) * BLOCK_USERS;
        const active = Math.ceil((to - from) / per);
        pool.run(active, (t, s) => {
          s[0] = OP.RANK;
          s[RANK_ARGS.USERS] = list.byteOffset;
          s[RANK_ARGS.J0] = from + t * per;
          s[RANK_ARGS.J1] = Math.min(to, from + (t + 1) * per);
          s[RANK_ARGS.K] = k;
          s[RANK_ARGS.OUT] = out.byteOffset;
          s[RANK_ARGS.EMB] = this.users.byteOffset;
          s[RANK_ARGS.DIM] = this.dim;
          s[RANK_ARGS.PANELS] = this.panels.byteOffset;
          s[RANK_ARGS.N_ITEMS] = this.nItems;
          s[RANK_ARGS.EX_PTR] = exPtr.byteOffset;
          s[RANK_ARGS.EX_ITEMS] = exItems.byteOffset;
          s[RANK_ARGS.SCRATCH] = scratch[t];
        });
        // let the event loop breathe (progress, cancellation) between rounds
        if (to < n) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return out.slice();
    } finally {
      for (const s of scratch) pool.heap.release(s);
      pool.free(out);
      pool.free(exPtr);
      pool.free(exItems);
      pool.release(list, users);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.ownPool) {
      await this.pool.dispose();
      return;
    }
    this.pool.free(this.panels);
    this.pool.release(this.users, this.usersGiven);
  }

  /** Excluded items of each listed user (rows of every CSR), ascending, in the pool. */
  private exclusions(
    users: Int32Array,
    exclude: readonly Csr[],
  ): { exPtr: Int32Array; exItems: Int32Array } {
    const n = users.length;
    const exPtr = this.pool.allocI32(n + 1);
    for (let j = 0; j < n; j++) {
      let len = 0;
      for (const m of exclude)
        if (users[j] < m.nRows) len += m.indptr[users[j] + 1] - m.indptr[users[j]];
      exPtr[j + 1] = exPtr[j] + len;
    }
    const exItems = this.pool.allocI32(Math.max(1, exPtr[n]));
    for (let j = 0; j < n; j++) {
      let at = exPtr[j];
      for (const m of exclude) {
        const u = users[j];
        if (u >= m.nRows) continue;
        exItems.set(m.indices.subarray(m.indptr[u], m.indptr[u + 1]), at);
        at += m.indptr[u + 1] - m.indptr[u];
      }
      exItems.subarray(exPtr[j], at).sort();
    }
    return { exPtr, exItems };
  }
}
