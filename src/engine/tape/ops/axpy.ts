/**
 * The scaled copies and additions several ops' backwards share (no op of its own): g = w x
 * into a fresh gradient or g += w x into one that holds some already, and w dy added into
 * listed rows (a gather's backward, and a weighted one's).
 */

/** at.g = w x when at.fresh, else at.g += w x; nothing when no gradient is wanted. */
export function scaledInto(
  at: { readonly g: Float32Array; readonly fresh: boolean } | undefined,
  x: Float32Array,
  w: number,
): void {
  if (!at) return;
  const g = at.g;
  if (at.fresh) for (let e = 0; e < g.length; e++) g[e] = w * x[e];
  else for (let e = 0; e < g.length; e++) g[e] += w * x[e];
}

/** dx[rows[k]] += w dy[k] for each k in list order (repeated rows add up); rows of d floats. */
export function addRows(
  dx: Float32Array,
  rows: Int32Array,
  dy: Float32Array,
  d: number,
  w = 1,
): void {
  for (let k = 0; k < rows.length; k++) {
    const o = rows[k] * d;
    const g = k * d;
    if (w === 1) for (let c = 0; c < d; c++) dx[o + c] += dy[g + c];
    else for (let c = 0; c < d; c++) dx[o + c] += w * dy[g + c];
  }
}
