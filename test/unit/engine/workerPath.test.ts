import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
  assert.deepEqual(poolWorkerScript(undefined, '/app/dist/cli.js'), {
    file: '/app/dist/pool-worker.js',
    ts: false,
  });
  assert.deepEqual(poolWorkerScript('/x/w.js'), { file: '/x/w.js', ts: false });
});

test('a pool starts from the TS source under tsx, and from an esbuild bundle of poolWorker.ts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-pool-'));
  try {
    await bundle(dir);
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

test('bundled like dist/: the engine finds pool-worker.js beside its bundle and the process exits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reclab-pool-'));
  try {
    await bundle(dir);
    // a pool that is never disposed must not keep the process alive (workers are unref'd)
    const script = `
      const { Pool } = require('./engine.js');
      (async () => {
        const pool = await Pool.create({ threads: 2, minParallelWork: 0 });
        const a = { nRows: 2, nCols: 2, indptr: Int32Array.of(0, 1, 2), indices: Int32Array.of(1, 0), values: Float32Array.of(2, 3) };
        const x = pool.shared(Float32Array.of(1, 10));
        const y = pool.allocF32(2);
        pool.spmm(pool.upload(a), x, y, 1);
        console.log(JSON.stringify(Array.from(y)));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30000,
      env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '[20,3]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The engine and its worker bundled as scripts/build.mjs bundles dist/ (CommonJS, tfjs external). */
async function bundle(dir: string): Promise<void> {
  await build({
    entryPoints: {
      engine: join(root, 'src/engine/index.ts'),
      'pool-worker': join(root, 'src/engine/poolWorker.ts'),
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: dir,
    logLevel: 'silent',
    external: [
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
    ],
  });
}

test('a worker that cannot start rejects ready() instead of hanging', async () => {
  await assert.rejects(
    Pool.create({ threads: 2, workerScript: '/nonexistent/pool-worker.js' }),
    /pool worker 1/,
  );
});
