/**
 * 2-D projections of user and item embeddings in one joint space (so "near" means the same
 * thing for both). PCA: the d x d covariance is built in one pass over the float32 rows and
 * handed to ml-pca as a covariance matrix: no n x d copy of the data, which matters at 100k
 * nodes. UMAP and t-SNE: on a seeded sample stratified by users/items (see projectionParams.ts).
 */
import { TSNE } from '@saehrimnir/druidjs';
import { PCA } from 'ml-pca';
import { UMAP } from 'umap-js';
import type { Rng } from '../../src/util/rng.js';
import { TSNE_DEFAULT_PERPLEXITY, UMAP_DEFAULTS } from '../shared/projectionParams.js';

export interface Projection2d {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly explained: [number, number];
}

/** Projects the rows of the given row-major blocks (all of width dim) onto two components. */
export function pca2d(blocks: readonly Float32Array[], dim: number): Projection2d {
  const n = blocks.reduce((s, b) => s + b.length / dim, 0);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  if (n === 0 || dim === 0) return { x, y, explained: [0, 0] };
  const mean = new Float64Array(dim);
  for (const b of blocks) for (let k = 0; k < b.length; k++) mean[k % dim] += b[k];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (const b of blocks) {
    for (let r = 0; r < b.length; r += dim) {
      for (let j = 0; j < dim; j++) row[j] = b[r + j] - mean[j];
      for (let i = 0; i < dim; i++) {
        const ri = row[i];
        for (let j = i; j < dim; j++) cov[i * dim + j] += ri * row[j];
      }
    }
  }
  const covRows: number[][] = [];
  for (let i = 0; i < dim; i++) {
    const out: number[] = new Array<number>(dim);
    for (let j = 0; j < dim; j++)
      out[j] = (i <= j ? cov[i * dim + j] : cov[j * dim + i]) / Math.max(1, n - 1);
    covRows.push(out);
  }
  const pca = new PCA(covRows, { isCovarianceMatrix: true });
  const vectors = pca.getEigenvectors();
  const components = Math.min(2, vectors.columns);
  const pc = (c: number) =>
    Array.from({ length: dim }, (_, j) => (c < components ? vectors.get(j, c) : 0));
  const [a, b] = [pc(0), pc(1)];
  let at = 0;
  for (const blk of blocks) {
    for (let r = 0; r < blk.length; r += dim) {
      let sa = 0;
      let sb = 0;
      for (let j = 0; j < dim; j++) {
        const v = blk[r + j] - mean[j];
        sa += v * a[j];
        sb += v * b[j];
      }
      x[at] = sa;
      y[at] = sb;
      at++;
    }
  }
  const ev = pca.getExplainedVariance();
  return { x, y, explained: [ev[0] ?? 0, ev[1] ?? 0] };
}

// ---------------------------------------------------------------- UMAP and t-SNE on a sample

/**
 * A seeded sample of at most `max` nodes (users 0..nUsers-1, then items), stratified: users
 * and items keep their shares of the nodes (each kind that exists keeps at least one point).
 * Sorted ascending, so users come first. Every node when there are no more than `max`.
 */
export function stratifiedSample(
  nUsers: number,
  nItems: number,
  max: number,
  rng: Rng,
): Int32Array {
  const total = nUsers + nItems;
  if (total <= max) return Int32Array.from({ length: total }, (_, i) => i);
  let users = Math.round((max * nUsers) / total);
  if (nUsers > 0 && max >= 2) users = Math.max(1, users);
  if (nItems > 0 && max >= 2) users = Math.min(max - 1, users);
  users = Math.min(users, nUsers);
  const items = Math.min(max - users, nItems);
  const out = new Int32Array(users + items);
  out.set(pickSorted(nUsers, users, rng), 0);
  const chosenItems = pickSorted(nItems, items, rng);
  for (let j = 0; j < items; j++) out[users + j] = nUsers + chosenItems[j];
  return out;
}

/** k distinct integers of [0, n), ascending: a partial Fisher-Yates shuffle. */
function pickSorted(n: number, k: number, rng: Rng): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, k).sort();
}

/** The embedding rows of the given nodes (indices over the blocks laid end to end). */
export function gatherRows(
  blocks: readonly Float32Array[],
  dim: number,
  nodes: Int32Array,
): Float64Array[] {
  const starts: number[] = [];
  let at = 0;
  for (const b of blocks) {
    starts.push(at);
    at += b.length / dim;
  }
  return Array.from(nodes, (node) => {
    let k = blocks.length - 1;
    while (k > 0 && starts[k] > node) k--;
    const r = (node - starts[k]) * dim;
    return Float64Array.from(blocks[k].subarray(r, r + dim));
  });
}

/** Called now and then with the iterations done and the iterations in all. */
export type ProgressFn = (done: number, total: number) => void;

export interface Layout2d {
  readonly x: Float32Array;
  readonly y: Float32Array;
}

function columns(points: ArrayLike<ArrayLike<number>>): Layout2d {
  const n = points.length;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = points[i][0];
    y[i] = points[i][1];
  }
  return { x, y };
}

/** Fewer than three points have no neighbourhoods: they go on a line. */
function trivial(n: number): Layout2d | undefined {
  if (n >= 3) return undefined;
  return { x: Float32Array.from({ length: n }, (_, i) => i), y: new Float32Array(n) };
}

/** UMAP (umap-js) to 2-D; `random` is its only source of randomness, so a seed fixes it. */
export function umap2d(
  rows: readonly Float64Array[],
  random: () => number,
  onProgress?: ProgressFn,
  {
    neighbors = UMAP_DEFAULTS.neighbors as number,
    minDist = UMAP_DEFAULTS.minDist as number,
  }: { neighbors?: number; minDist?: number } = {},
): Layout2d {
  const small = trivial(rows.length);
  if (small) return small;
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(neighbors, rows.length - 1)),
    minDist,
    random,
  });
  const epochs = umap.initializeFit(rows.map((r) => Array.from(r)));
  onProgress?.(0, epochs);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if ((e + 1) % 10 === 0 || e + 1 === epochs) onProgress?.(e + 1, epochs);
  }
  return columns(umap.getEmbedding());
}

/**
 * Exact t-SNE (druidjs) to 2-D, seeded; the perplexity (30 unless given) is lowered for small
 * samples (it must stay well under the number of points).
 */
export function tsne2d(
  rows: readonly Float64Array[],
  seed: number,
  onProgress?: ProgressFn,
  iterations = 500,
  want: number = TSNE_DEFAULT_PERPLEXITY,
): Layout2d {
  const small = trivial(rows.length);
  if (small) return small;
  const perplexity = Math.max(2, Math.min(want, Math.floor((rows.length - 1) / 3)));
  const tsne = new TSNE([...rows], { d: 2, perplexity, seed: seed >>> 0 });
  tsne.init();
  onProgress?.(0, iterations);
  let done = 0;
  for (const _ of tsne.generator(iterations)) {
    done++;
    if (done % 10 === 0 || done === iterations) onProgress?.(done, iterations);
  }
  return columns(tsne.projection);
}
