import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { Pool } from '../../../src/engine/pool.js';
import { Rng } from '../../../src/util/rng.js';
import { truncatedSvd } from '../../../src/engine/truncatedSvd.js';
import type { WeightedCsr } from '../../../src/graph/types.js';
import { normalizedRatings } from '../../../src/graph/normalizedRatings.js';
import { contextOf, randomTrain } from '../models/walkContext.js';

/** A dense matrix as CSR, zeros left out. */
function csrOf(a: number[][]): WeightedCsr {
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of a) {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return {
    nRows: a.length,
    nCols: a[0].length,
    indptr: Int32Array.from(indptr),
    indices: Int32Array.from(indices),
    values: Float32Array.from(values),
  };
}

function denseOf(m: WeightedCsr): number[][] {
  const a = Array.from({ length: m.nRows }, () => new Array<number>(m.nCols).fill(0));
  for (let r = 0; r < m.nRows; r++)
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) a[r][m.indices[p]] = m.values[p];
  return a;
}

/** Singular values and the cosine of the largest principal angle between the V subspaces. */
function compare(
  a: number[][],
  rank: number,
  got: { values: Float64Array; vectors: Float32Array },
) {
  const ref = new SingularValueDecomposition(new Matrix(a));
  const s = ref.diagonal;
  const n = a[0].length;
  const vRef = ref.rightSingularVectors.subMatrix(0, n - 1, 0, rank - 1);
  const v = new Matrix(n, rank);
  for (let i = 0; i < n; i++) for (let c = 0; c < rank; c++) v.set(i, c, got.vectors[i * rank + c]);
  const cosines = new SingularValueDecomposition(vRef.transpose().mmul(v)).diagonal;
  return { s, minCos: Math.min(...cosines), gap: s[rank - 1] - s[rank] };
}

test('randomized subspace iteration finds the top singular values and subspace of a dense SVD', async () => {
  // a planted spectrum 10, 8, 6, 5, 4, 3 over small noise: 70 x 50, block of 6 + 10 columns
  const rng = new Rng(7);
  const m = 70;
  const n = 50;
  const planted = [10, 8, 6, 5, 4, 3];
  const orth = (rows: number) =>
    new SingularValueDecomposition(
      Matrix.from1DArray(
        rows,
        planted.length,
        Array.from({ length: rows * 6 }, () => rng.normal()),
      ),
    ).leftSingularVectors;
  const u = orth(m);
  const w = orth(n);
  const a = u
    .mmul(Matrix.diag(planted))
    .mmul(w.transpose())
    .add(
      Matrix.from1DArray(
        m,
        n,
        Array.from({ length: m * n }, () => 0.01 * rng.normal()),
      ),
    )
    .to2DArray();
  const pool = new Pool({ threads: 1 });
  try {
    const got = truncatedSvd(csrOf(a), { rank: 6, oversample: 10, iterations: 4, rng, pool });
    const { s, minCos } = compare(a, 6, got);
    for (let c = 0; c < 6; c++)
      assert.ok(
        Math.abs(got.values[c] - s[c]) < 1e-4 * s[0],
        `sigma_${c + 1}: ${got.values[c]} vs ${s[c]}`,
      );
    assert.ok(1 - minCos < 1e-5, `largest principal angle: cos ${minCos}`);
    // V has orthonormal columns
    const v = Matrix.from1DArray(n, 6, Array.from(got.vectors));
    const gram = v.transpose().mmul(v);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) assert.ok(Math.abs(gram.get(i, j) - (i === j ? 1 : 0)) < 1e-5);
  } finally {
    await pool.dispose();
  }
});

test("on a graph's normalised R~ with a slowly decaying spectrum, more iterations close in on the dense SVD", async () => {
  const r = normalizedRatings(contextOf(randomTrain(120, 60, 3)).trainCsr).matrix;
  const a = denseOf(r);
  const rank = 8;
  const pool = new Pool({ threads: 1 });
  try {
    const errors = [1, 40].map((iterations) => {
      const got = truncatedSvd(r, { rank, oversample: 8, iterations, rng: new Rng(5), pool });
      const { s, minCos, gap } = compare(a, rank, got);
      assert.ok(gap > 1e-3, 'the top-8 subspace is well defined');
      const valueError = Math.max(...Array.from(got.values, (x, c) => Math.abs(x - s[c])));
      return { valueError, angle: 1 - minCos };
    });
    assert.ok(errors[1].valueError < 1e-4, `40 iterations: sigma error ${errors[1].valueError}`);
    assert.ok(errors[1].angle < 1e-3, `40 iterations: 1 - cos ${errors[1].angle}`);
    assert.ok(errors[0].valueError > errors[1].valueError, 'one iteration is coarser');
  } finally {
    await pool.dispose();
  }
});

test('rank outside [1, min(m, n)] is refused', async () => {
  const pool = new Pool({ threads: 1 });
  try {
    const r = csrOf([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    assert.throws(() => truncatedSvd(r, { rank: 3, rng: new Rng(1), pool }), /rank/);
    assert.throws(() => truncatedSvd(r, { rank: 0, rng: new Rng(1), pool }), /rank/);
  } finally {
    await pool.dispose();
  }
});
