import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/backend.js';
import { propagate } from '../src/engine/ops/propagate.js';
import { initPool } from '../src/engine/defaultPool.js';
import { randomCsr } from '../test/unit/engine/helpers.js';
async function main(): Promise<void> {
  const info = await initBackend({ prefer: [(process.argv[2] as 'wasm') ?? 'wasm'] });
  const n = Number(process.argv[3]);
  const pool = await initPool({ threads: 2 });
  console.log(info.name);
  const a = randomCsr(n, n, 20 / n, 1);
  const x = tf.randomNormal([n, 64]) as tf.Tensor2D;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const y = propagate(a, x);
    console.log('propagate', performance.now() - t);
    y.dispose();
  }
  await pool.dispose();
}
void main();
