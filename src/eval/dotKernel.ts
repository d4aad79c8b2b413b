/**
 * Single-threaded dot-product scoring of a block of users against every item, as fast as plain
 * JavaScript allows: rows are packed in panels of 4 (dimension-major inside a panel) so a 4x4
 * register tile reads both operands sequentially, and items are visited in tiles that stay in
 * cache while every user panel of the block passes over them.
 *
 * Sums run in double precision in dimension order and are rounded once to float32, so a
 * straightforward loop `s += u[d] * v[d]` reproduces every score bit for bit.
 */

/** Rows per panel; the micro-kernel is PANEL users x PANEL items. */
export const PANEL = 4;

/** Item panels per cache tile: 128 panels x 4 items x 64 dims x 4 bytes = 128 KiB at d = 64. */
const TILE_PANELS = 128;

/** Number of panels needed for n rows. */
export function panelCount(n: number): number {
  return Math.ceil(n / PANEL);
}

/**
 * Packs `count` rows of a row-major [rows x dim] matrix into panels: row r, dimension d goes to
 * out[(r >> 2) * 4 * dim + d * 4 + (r & 3)]. Rows are rows[from .. from+count) when `rows` is
 * given, else 0 .. count-1. Padding rows of the last panel are zero.
 */
export function packPanels(
  src: Float32Array,
  dim: number,
  count: number,
  rows?: Int32Array,
  from = 0,
  out: Float32Array = new Float32Array(panelCount(count) * PANEL * dim),
): Float32Array {
  const stride = PANEL * dim;
  const used = panelCount(count) * stride;
  if (out.length < used) throw new RangeError(`panel buffer holds ${out.length} < ${used} values`);
  out.fill(0, 0, used);
  for (let r = 0; r < count; r++) {
    const row = rows ? rows[from + r] : r;
    const s = row * dim;
    let o = (r >> 2) * stride + (r & 3);
    for (let d = 0; d < dim; d++, o += PANEL) out[o] = src[s + d];
  }
  return out;
}

/**
 * Scores userPanels x itemPanels panels: out[r * stride + i] = <user r, item i> for every row r
 * < userPanels * 4 and item i < itemPanels * 4 (padding rows and items included, as zeros).
 */
export function scorePanels(
  users: Float32Array,
  userPanels: number,
  items: Float32Array,
  itemPanels: number,
  dim: number,
  out: Float32Array,
  stride: number,
): void {
  const ps = PANEL * dim;
  for (let t0 = 0; t0 < itemPanels; t0 += TILE_PANELS) {
    const t1 = Math.min(itemPanels, t0 + TILE_PANELS);
    for (let up = 0; up < userPanels; up++) {
      const ua = up * ps;
      const o0 = up * PANEL * stride;
      const o1 = o0 + stride;
      const o2 = o1 + stride;
      const o3 = o2 + stride;
      // The 4x4 tile reads best one tile row per line.
      // prettier-ignore
      for (let ip = t0; ip < t1; ip++) {
        let b = ip * ps;
        const e = b + ps;
        let c = ua;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
        let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
        let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (; b < e; b += PANEL, c += PANEL) {
          const x0 = items[b];
          const x1 = items[b + 1];
          const x2 = items[b + 2];
          const x3 = items[b + 3];
          let a = users[c];
          s00 += a * x0; s01 += a * x1; s02 += a * x2; s03 += a * x3;
          a = users[c + 1];
          s10 += a * x0; s11 += a * x1; s12 += a * x2; s13 += a * x3;
          a = users[c + 2];
          s20 += a * x0; s21 += a * x1; s22 += a * x2; s23 += a * x3;
          a = users[c + 3];
          s30 += a * x0; s31 += a * x1; s32 += a * x2; s33 += a * x3;
        }
        const i = ip * PANEL;
        out[o0 + i] = s00; out[o0 + i + 1] = s01; out[o0 + i + 2] = s02; out[o0 + i + 3] = s03;
        out[o1 + i] = s10; out[o1 + i + 1] = s11; out[o1 + i + 2] = s12; out[o1 + i + 3] = s13;
        out[o2 + i] = s20; out[o2 + i + 1] = s21; out[o2 + i + 2] = s22; out[o2 + i + 3] = s23;
        out[o3 + i] = s30; out[o3 + i + 1] = s31; out[o3 + i + 2] = s32; out[o3 + i + 3] = s33;
      }
    }
  }
}
