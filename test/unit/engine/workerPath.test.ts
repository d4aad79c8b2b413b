import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Pool } from '../../../src/engine/pool.js';
import { poolWorkerScript } from '../../../src/engine/workerPath.js';
import { randomCsr, randomDense, sameBits } from './helpers.js';

const root = join(__dirname, '..', '..', '..');

test('worker script: the TS source beside it from tsx, pool-worker.js beside a bundle, or an override', () => {
  const src = poolWorkerScript();
  assert.deepEqual(src, { file: join(root, 'src/engine/poolWorker.ts'), ts: true });
  assert.deepEqual(poolWorkerScript(undefined, '/app/dist/cli.js'), { file: '/app/dist/pool-worker.js', ts: false });
  assert.deepEqual(poolWorkerScript('/x/w.js'), { file: '/x/w.js', ts: false });
});

test('a pool starts from the TS source under tsx, and from an esbuild bundle of poolWorker.ts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-pool-'));
  try {
    // the same settings as scripts/build.mjs uses for dist/pool-worker.js
    await build({
      entryPoints: { 'pool-worker': join(root, 'src/engine/poolWorker.ts') },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outdir: dir,
      logLevel: 'silent',
    });
    const a = randomCsr(200, 200, 0.05, 1);
    const x = randomDense(200 * 8, 2);
    const results: Float32Array[] = [];
    for (const workerScript of [undefined, join(dir, 'pool-worker.js')]) {
      const pool = await Pool.create({ threads: 2, workerScript, minParallelWork: 0 });
      try {
        const y = pool.allocF32(200 * 8);
        pool.spmm(pool.upload(a), pool.shared(x), y, 8);
        results.push(y.slice());
      } finally {
        await pool.dispose();
      }
    }
    assert.ok(sameBits(results[0], results[1]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker that cannot start rejects ready() instead of hanging', async () => {
  await assert.rejects(Pool.create({ threads: 2, workerScript: '/nonexistent/pool-worker.js' }), /pool worker 1/);
});
