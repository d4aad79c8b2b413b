import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Interactions } from '../../../src/data/types.js';
import { Bspm, BSPM_DEFAULTS } from '../../../src/models/bspm.js';
import { GfCf, GFCF_DEFAULTS } from '../../../src/models/gfcf.js';
import { modelEntry, resolveHyper } from '../../../src/models/registry.js';
import { contextOf, denseR, randomTrain } from './walkContext.js';

/**
 * The papers' operators, dense and in float64: P = R~^T R~ with R~ = D_U^-1/2 R D_I^-1/2, and
 * M = D_I^-1/2 V V^T D_I^1/2 from an exact SVD of R~ (users or items without interactions get
 * zero rows and columns).
 */
function operators(x: Interactions, factors: number) {
  const R = new Matrix(denseR(x));
  const du = R.to2DArray().map((row) => row.reduce((a, b) => a + b, 0));
  const di = R.transpose()
    .to2DArray()
    .map((col) => col.reduce((a, b) => a + b, 0));
  const inv = (d: number) => (d > 0 ? 1 / Math.sqrt(d) : 0);
  const Rn = Matrix.diag(du.map(inv))
    .mmul(R)
    .mmul(Matrix.diag(di.map(inv)));
  const P = Rn.transpose().mmul(Rn);
  const svd = new SingularValueDecomposition(Rn);
  const s = svd.diagonal;
  assert.ok(s[factors - 1] - s[factors] > 1e-3, 'the top singular subspace is well defined');
  const V = svd.rightSingularVectors.subMatrix(0, x.nItems - 1, 0, factors - 1);
  const M = Matrix.diag(di.map(inv))
    .mmul(V)
    .mmul(V.transpose())
    .mmul(Matrix.diag(di.map(Math.sqrt)));
  return { R, P, M };
}

function scoresOf(model: GfCf | Bspm, nUsers: number, nItems: number): number[][] {
  const users = Int32Array.from({ length: nUsers }, (_, u) => u);
  const out = new Float32Array(nUsers * nItems);
  model.score(users, out);
  return Array.from({ length: nUsers }, (_, u) =>
    Array.from(out.subarray(u * nItems, (u + 1) * nItems)),
  );
}

function assertClose(got: number[][], want: Matrix, what: string): void {
  const w = want.to2DArray();
  const scale = Math.max(...w.flat().map(Math.abs));
  got.forEach((row, u) =>
    row.forEach((g, i) =>
      assert.ok(
        Math.abs(g - w[u][i]) <= 1e-4 * scale,
        `${what}: user ${u} item ${i}: ${g} vs ${w[u][i]}`,
      ),
    ),
  );
}

const train = randomTrain(40, 14, 11);

test('GF-CF scores r_u P + beta r_u D_I^-1/2 V V^T D_I^1/2 as the dense formula', async () => {
  const factors = 3;
  const { R, P, M } = operators(train, factors);
  const model = await GfCf.create(contextOf(train), { factors, idealWeight: 0.3 });
  try {
    assertClose(
      scoresOf(model, train.nUsers, train.nItems),
      R.mmul(P.clone().add(M.clone().mul(0.3))),
      'gfcf',
    );
  } finally {
    await model.dispose();
  }
});

test('GF-CF with ideal false is LGCN-IDE: r_u P alone', async () => {
  const { R, P } = operators(train, 3);
  const model = await GfCf.create(contextOf(train), { ideal: false });
  try {
    assertClose(scoresOf(model, train.nUsers, train.nItems), R.mmul(P), 'lgcn-ide');
  } finally {
    await model.dispose();
  }
});

/** y0 (sum over j of (-hP)^j / j!, j <= 4)^steps for RK4 on dr/dt = -r P, (I - hP)^steps for Euler. */
function sharpened(
  y0: Matrix,
  P: Matrix,
  h: number,
  steps: number,
  solver: 'rk4' | 'euler',
): Matrix {
  const n = P.rows;
  const A = P.clone().mul(-h); // ml-matrix arithmetic is in place
  let step = Matrix.eye(n).add(A);
  if (solver === 'rk4') {
    let term = A;
    for (let j = 2; j <= 4; j++) {
      term = term.mmul(A).div(j);
      step = step.add(term);
    }
  }
  let y = y0;
  for (let s = 0; s < steps; s++) y = y.mmul(step);
  return y;
}

test('BSPM blurs to beta r_u M + r_u P and sharpens by RK4 or Euler steps of dr/dt = -r P, as the dense formula', async () => {
  const factors = 4;
  const { R, P, M } = operators(train, factors);
  const y0 = R.mmul(P).add(R.mmul(M).mul(0.2));
  for (const [solver, time, steps] of [
    ['rk4', 2.5, 1],
    ['rk4', 1.2, 2],
    ['euler', 0.8, 3],
  ] as const) {
    const model = await Bspm.create(contextOf(train), {
      factors,
      idealWeight: 0.2,
      solver,
      sharpenTime: time,
      sharpenSteps: steps,
    });
    try {
      assertClose(
        scoresOf(model, train.nUsers, train.nItems),
        sharpened(y0, P, time / steps, steps, solver),
        `bspm ${solver} T=${time} K=${steps}`,
      );
    } finally {
      await model.dispose();
    }
  }
});

test("the registry builds both with the papers' Gowalla defaults and refuses factors above min(users, items)", async () => {
  assert.equal(resolveHyper(modelEntry('gfcf')).factors, GFCF_DEFAULTS.factors);
  assert.deepEqual(
    [
      BSPM_DEFAULTS.factors,
      BSPM_DEFAULTS.idealWeight,
      BSPM_DEFAULTS.solver,
      BSPM_DEFAULTS.sharpenTime,
    ],
    [448, 0.2, 'rk4', 2.5],
  );
  await assert.rejects(
    GfCf.create(contextOf(train), { factors: 15 }),
    /gfcf hyperparameters: expected factors to be an integer in \[1, 14\]/,
  );
  assert.throws(
    () => resolveHyper(modelEntry('bspm'), { solver: 'dopri5' }, 'exp.reclab.json'),
    /expected bspm hyperparameter solver to be one of rk4, euler/,
  );
});
