import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, describeBackend, initBackend } from '../../../src/engine/backend.js';

test('initBackend: tensorflow is looked for, wasm really initialises in Node, the choice is recorded', async () => {
  const lines: string[] = [];
  const info = await initBackend({ log: (m) => lines.push(m) });
  // tfjs-node cannot be installed here; where it is, it wins
  const tfNode = info.attempts.find((a) => a.name === 'tensorflow');
  assert.ok(tfNode);
  if (!tfNode.ok) {
    assert.equal(tfNode.reason, 'not installed');
    assert.equal(info.name, 'wasm');
    assert.equal(info.wasmSimd, true);
  }
  assert.equal(tf.getBackend(), info.name);
  assert.deepEqual(backendInfo(), info);
  assert.equal(lines.length, 1);
  assert.match(lines[0], new RegExp(`^tfjs backend ${info.name}`));
  assert.equal(describeBackend(info), lines[0]);
});

test('initBackend honours a preference, cpu being the last resort', async () => {
  const info = await initBackend({ prefer: ['cpu'] });
  assert.equal(info.name, 'cpu');
  assert.deepEqual(
    info.attempts.map((a) => a.name),
    ['cpu'],
  );
  assert.equal(tf.getBackend(), 'cpu');
});
