/**
 * The generic gradient check over every registered op: each case's float32 forward against its
 * float64 reference, and the tape's backward against finite differences, on both kernel sets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pool } from '../../../../src/engine/pool.js';
import { gradCheck, registeredOps } from '../../../../src/engine/tape/index.js';

const EXPECTED = [
  'add',
  'bce',
  'bpr',
  'concatCols',
  'concatRows',
  'edgeSoftmax',
  'elu',
  'exp',
  'expandRows',
  'gather',
  'gruReset',
  'gruUpdate',
  'hinge',
  'layerSumRows',
  'leakyRelu',
  'log',
  'logSigmoid',
  'maskedLeakyRelu',
  'matmul',
  'matmulNT',
  'mean',
  'mul',
  'neighbourMax',
  'neighbourMean',
  'neighbourWeighted',
  'normalizeRows',
  'relationProject',
  'relu',
  'rowDot',
  'rowMax',
  'rowMean',
  'rowSum',
  'scale',
  'scatterAddRows',
  'sddmmAdd',
  'sddmmDot',
  'sharedNegativeLoss',
  'sessionBpr',
  'sessionBprMax',
  'sessionTop1',
  'sessionTop1Max',
  'sigmoid',
  'sliceCols',
  'softmaxBlockSum',
  'softmaxCrossEntropy',
  'softmaxPick',
  'spmm',
  'spmmRows',
  'spmmEdge',
  'squash',
  'sub',
  'sum',
  'sumProdMessages',
  'sumSquares',
  'tanh',
  'weightedSum',
];

test('every op the models rely on is registered (and so gradient-checked)', () => {
  const names = new Set(registeredOps().map((o) => o.name));
  for (const name of EXPECTED) assert.ok(names.has(name), `op ${name} is not registered`);
});

for (const kernels of ['js', 'wasm'] as const) {
  test(`every registered op: forward = float64 reference, backward = finite differences (${kernels})`, async () => {
    const pool = await Pool.create({ threads: 1, kernels });
    try {
      const failures: string[] = [];
      let cases = 0;
      for (const op of registeredOps())
        for (const c of op.cases) {
          const r = gradCheck(pool, op, c, 7 + cases++);
          assert.ok(r.checked > 0, `${op.name} (${c.label}) checked no gradient`);
          if (!(r.forwardError < 1e-5 && r.gradError < 1e-3))
            failures.push(
              `${op.name} (${c.label}): forward ${r.forwardError}, gradient ${r.gradError}`,
            );
        }
      assert.deepEqual(failures, []);
      assert.ok(cases >= EXPECTED.length);
    } finally {
      await pool.dispose();
    }
  });
}
