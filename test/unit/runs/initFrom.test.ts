import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../../src/data/index.js';
import { runExperiment } from '../../../src/runs/runExperiment.js';
import { InputError } from '../../../src/util/errors.js';

test('initFrom: a run starts from another run’s last weights (fresh optimizer); wrong model or dim refused', async () => {
  const dataset = await loadDataset('demo');
  const ws = mkdtempSync(join(tmpdir(), 'reclab-init-'));
  const base = { dataset: 'demo', ks: [20], threads: 1, evalEvery: 1, split: undefined };
  const teacher = await runExperiment(
    { ...base, name: 'teacher', model: 'lightgcn', epochs: 12, hyper: { dim: 16, lr: 0.01 } },
    { dataset, workspace: ws },
  );
  const firstEpoch = async (initFrom?: string) => {
    const r = await runExperiment(
      {
        ...base,
        name: 'student',
        model: 'lightgcn',
        epochs: 1,
        hyper: { dim: 16, lr: 0.0001 },
        ...(initFrom ? { initFrom } : {}),
      },
      { dataset, workspace: ws },
    );
    return r.history[0].metrics?.['recall@20'] ?? NaN;
  };
  const cold = await firstEpoch();
  const warm = await firstEpoch('teacher');
  const taught = teacher.history.at(-1)?.metrics?.['recall@20'] ?? NaN;
  // one tiny step from the teacher's weights keeps (about) the teacher's quality, far above cold
  assert.ok(warm > cold + 0.1, `warm ${warm} vs cold ${cold}`);
  assert.ok(Math.abs(warm - taught) < 0.02, `warm ${warm} vs teacher ${taught}`);

  await assert.rejects(
    runExperiment(
      { ...base, model: 'mf', epochs: 1, initFrom: teacher.id },
      { dataset, workspace: ws },
    ),
    (e: unknown) => e instanceof InputError && /a mf run to take the weights from/.test(e.message),
  );
  await assert.rejects(
    runExperiment(
      { ...base, model: 'lightgcn', epochs: 1, hyper: { dim: 8 }, initFrom: teacher.id },
      { dataset, workspace: ws },
    ),
    (e: unknown) => e instanceof InputError && /same dataset and dim/.test(e.message),
  );
});
