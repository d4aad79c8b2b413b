/**
 * One thread's share of a top-k job: for list positions [j0, j1), score every item by dot
 * product and keep the k best, skipping excluded items. Users go in blocks sharing each item
 * tile (cache), the micro-kernel scores 4 users x 8 items per step, and the running top-k
 * scans each tile's scores right after they are made, so no full score row ever exists.
 */
import type { HeapViews, Kernels } from '../kernels/types.js';
import { BLOCK_USERS, PANEL, rankScratch, TILE_ITEMS, USERS_PER_CALL } from './layout.js';

/** Argument words of a RANK slot (after the op word). */
export const RANK_ARGS = {
  USERS: 1, // int32 user ids of the list
  J0: 2,
  J1: 3,
  K: 4,
  OUT: 5, // int32 [list length x k]
  EMB: 6, // float32 user embeddings [nUsers x dim]
  DIM: 7,
  PANELS: 8, // packed item panels
  N_ITEMS: 9,
  EX_PTR: 10, // int32 [list length + 1] into EX_ITEMS
  EX_ITEMS: 11, // int32 excluded items, ascending within each user
  SCRATCH: 12, // this thread's scratch block
} as const;

export function rankSlice(kern: Kernels, h: HeapViews, a: Uint32Array): void {
  const A = RANK_ARGS;
  const j0 = a[A.J0];
  const j1 = a[A.J1];
  const k = a[A.K];
  const dim = a[A.DIM];
  const nItems = a[A.N_ITEMS];
  const panels = a[A.PANELS];
  const { f32, i32 } = h;
  const lay = rankScratch(dim, k);
  const base = a[A.SCRATCH];
  const uBlock = base + lay.users;
  const scores = base + lay.scores;
  const vals = base + lay.vals;
  const idx = base + lay.idx;
  const counts = base + lay.counts;
  const cursors = base + lay.cursors;
  const usersW = a[A.USERS] >>> 2;
  const embW = a[A.EMB] >>> 2;
  const exPtrW = a[A.EX_PTR] >>> 2;
  const exW = a[A.EX_ITEMS] >>> 2;
  const outW = a[A.OUT] >>> 2;
  const ldu = dim * 4;
  const lds = TILE_ITEMS * 4;
  for (let b0 = j0; b0 < j1; b0 += BLOCK_USERS) {
    const nb = Math.min(BLOCK_USERS, j1 - b0);
    const nb4 = Math.ceil(nb / USERS_PER_CALL) * USERS_PER_CALL;
    // gather the block's user vectors (zero rows pad it to a multiple of 4)
    for (let r = 0; r < nb; r++) {
      const src = embW + i32[usersW + b0 + r] * dim;
      f32.copyWithin((uBlock >>> 2) + r * dim, src, src + dim);
    }
    f32.fill(0, (uBlock >>> 2) + nb * dim, (uBlock >>> 2) + nb4 * dim);
    i32.fill(-1, idx >>> 2, (idx >>> 2) + nb * k);
    i32.fill(0, counts >>> 2, (counts >>> 2) + nb);
    for (let r = 0; r < nb; r++) i32[(cursors >>> 2) + r] = i32[exPtrW + b0 + r];
    for (let t0 = 0; t0 < nItems; t0 += TILE_ITEMS) {
      const n = Math.min(TILE_ITEMS, nItems - t0);
      const np = Math.ceil(n / (2 * PANEL)) * 2;
      const tile = panels + (t0 / PANEL) * dim * PANEL * 4;
      for (let r = 0; r < nb4; r += USERS_PER_CALL)
        kern.score(uBlock + r * ldu, ldu, tile, np, dim, scores + r * lds, lds);
      const t1 = t0 + n;
      for (let r = 0; r < nb; r++) {
        // mask this tile's excluded items (each user's list is ascending: walk a cursor)
        const row = (scores >>> 2) + r * TILE_ITEMS - t0;
        const end = i32[exPtrW + b0 + r + 1];
        let e = i32[(cursors >>> 2) + r];
        for (; e < end; e++) {
          const item = i32[exW + e];
          if (item >= t1) break;
          if (item >= t0) f32[row + item] = -Infinity;
        }
        i32[(cursors >>> 2) + r] = e;
        kern.topk(scores + r * lds, n, t0, k, vals + r * k * 4, idx + r * k * 4, counts + r * 4);
      }
    }
    i32.copyWithin(outW + b0 * k, idx >>> 2, (idx >>> 2) + nb * k);
  }
}
