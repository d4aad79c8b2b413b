/**
 * Shapes of the dot ranker's work: items packed in panels of 4 (dimension-major), scored in
 * tiles that stay in the core's L2 cache while a block of users passes over them, and the
 * per-thread scratch that holds a block's scores and running top-k lists.
 */

/** Items per panel (one v128 of scores). */
export const PANEL = 4;
/** Users per micro-kernel call. */
export const USERS_PER_CALL = 4;
/**
 * Items per tile: 512 x 64 dims x 4 bytes = 128 KiB of panels, plus 64 x 512 x 4 = 128 KiB of
 * scores, inside a 512 KiB L2. Measured 31 GFLOP/s against 29-30 for 256, 1024 or 2048.
 * A multiple of 8 so every tile starts on an even panel.
 */
export const TILE_ITEMS = 512;
/** Users per block: they share each tile load. */
export const BLOCK_USERS = 64;

/** Panels allocated for n items: rounded up to an even count (the kernel does 2 per step). */
export function panelsFor(nItems: number): number {
  const p = Math.ceil(nItems / PANEL);
  return p + (p & 1);
}

/** Byte offsets inside one thread's scratch block, and its size. */
export interface RankScratch {
  readonly users: number;
  readonly scores: number;
  readonly vals: number;
  readonly idx: number;
  readonly counts: number;
  readonly cursors: number;
  readonly bytes: number;
}

export function rankScratch(
  dim: number,
  k: number,
  tile = TILE_ITEMS,
  block = BLOCK_USERS,
): RankScratch {
  const align = (n: number): number => Math.ceil(n / 64) * 64;
  const users = 0;
  const scores = align(users + block * dim * 4);
  const vals = align(scores + block * tile * 4);
  const idx = align(vals + block * k * 4);
  const counts = align(idx + block * k * 4);
  const cursors = align(counts + block * 4);
  return { users, scores, vals, idx, counts, cursors, bytes: align(cursors + block * 4) };
}

/** Packs row-major [n x dim] vectors into panels of 4 (dimension-major), zero-padded. */
export function packPanels(src: Float32Array, n: number, dim: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < n; r++) {
    const base = (r >> 2) * PANEL * dim + (r & 3);
    for (let d = 0; d < dim; d++) out[base + d * PANEL] = src[r * dim + d];
  }
}
