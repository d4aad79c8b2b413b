/**
 * Item neighbourhoods in a run's embedding space, pure (unit-tested): an item's nearest items
 * by cosine and by dot product, and which training items of a user pull a recommendation up.
 */

export type Similarity = 'cosine' | 'dot';

export interface Scored {
  readonly index: number;
  readonly score: number;
}

/** Row `i` of a row-major matrix of width `dim`. */
const row = (m: Float32Array, dim: number, i: number) => m.subarray(i * dim, (i + 1) * dim);

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** The Euclidean norm of every row. */
export function rowNorms(m: Float32Array, dim: number): Float64Array {
  const n = dim === 0 ? 0 : m.length / dim;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(dot(row(m, dim, i), row(m, dim, i)));
  return out;
}

/** Keeps the `k` best (highest score, ties to the lower index) of what it is offered. */
function topK(k: number) {
  const best: Scored[] = [];
  const better = (a: Scored, b: Scored) =>
    a.score > b.score || (a.score === b.score && a.index < b.index);
  return {
    offer(s: Scored) {
      if (k <= 0) return;
      if (best.length === k && !better(s, best[k - 1])) return;
      let at = best.length === k ? k - 1 : best.length;
      best[at] = s;
      while (at > 0 && better(best[at], best[at - 1])) {
        [best[at], best[at - 1]] = [best[at - 1], best[at]];
        at--;
      }
    },
    best,
  };
}

/**
 * The `k` items nearest to item `target` (itself left out), by the cosine of their embeddings
 * or by the dot product (which, like the model's scores, favours long, popular vectors).
 * `norms` (rowNorms of `items`) is only read for the cosine; a zero vector scores 0.
 */
export function nearestItems(
  items: Float32Array,
  dim: number,
  target: number,
  k: number,
  by: Similarity,
  norms?: Float64Array,
): Scored[] {
  const n = dim === 0 ? 0 : items.length / dim;
  if (!Number.isInteger(target) || target < 0 || target >= n || k <= 0) return [];
  const nrm = by === 'cosine' ? (norms ?? rowNorms(items, dim)) : undefined;
  const t = row(items, dim, target);
  const keep = topK(Math.min(k, n - 1));
  for (let i = 0; i < n; i++) {
    if (i === target) continue;
    const d = dot(t, row(items, dim, i));
    const denom = nrm ? nrm[target] * nrm[i] : 1;
    keep.offer({ index: i, score: denom > 0 ? d / denom : 0 });
  }
  return keep.best;
}

/**
 * Why item `target` is recommended to a user who trained on `history`: the `top` history
 * items whose embeddings are most similar to the target's (cosine), with that similarity.
 * For a dot-product model the user's vector is learnt to sit near their items, so the items
 * nearest the recommendation are the ones that carry its score.
 */
export function contributingItems(
  items: Float32Array,
  dim: number,
  history: ArrayLike<number>,
  target: number,
  top: number,
  norms: Float64Array,
): Scored[] {
  const t = row(items, dim, target);
  const keep = topK(Math.min(top, history.length));
  for (let h = 0; h < history.length; h++) {
    const i = history[h];
    if (i === target) continue;
    const denom = norms[target] * norms[i];
    keep.offer({ index: i, score: denom > 0 ? dot(t, row(items, dim, i)) / denom : 0 });
  }
  return keep.best;
}

/** An item's popularity rank among `degrees` (1 = most users; ties share the better rank). */
export function popularityRank(degrees: ArrayLike<number>, item: number): number {
  const d = degrees[item];
  let above = 0;
  for (let i = 0; i < degrees.length; i++) if (degrees[i] > d) above++;
  return above + 1;
}
