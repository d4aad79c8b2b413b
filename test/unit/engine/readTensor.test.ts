import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/backend.js';
import { readInto, wasmTensorView } from '../../../src/engine/readTensor.js';

for (const backend of ['wasm', 'cpu'] as const) {
  test(`[${backend}] readInto copies a computed tensor's values into the given array`, async () => {
    await initBackend({ prefer: [backend] });
    const a = tf.tensor2d(
      Float32Array.from({ length: 600 }, (_, k) => Math.sin(k)),
      [20, 30],
    );
    const b = tf.tensor2d(
      Float32Array.from({ length: 900 }, (_, k) => Math.cos(k)),
      [30, 30],
    );
    const y = tf.matMul(a, b);
    const out = new Float32Array(600).fill(NaN);
    assert.equal(readInto(y, out), out);
    assert.deepEqual(out, y.dataSync());
    // wasm: a view of the backend's memory, not a copy; elsewhere the dataSync() path
    assert.equal(wasmTensorView(y) !== undefined, backend === 'wasm');
    assert.throws(() => readInto(y, new Float32Array(599)), /600 values, out 599/);
    assert.throws(() => readInto(tf.tensor1d([1, 2], 'int32'), new Float32Array(2)), /int32/);
    tf.dispose([a, b, y]);
  });
}
