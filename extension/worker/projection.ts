/**
 * 2-D PCA of user and item embeddings in one joint space (so "near" means the same thing for
 * both). The d x d covariance is built in one pass over the float32 rows and handed to ml-pca
 * as a covariance matrix: no n x d copy of the data, which matters at 100k nodes.
 */
import { PCA } from 'ml-pca';

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
