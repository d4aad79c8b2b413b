import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedHeap } from '../../../src/engine/heap.js';

test('heap: 64-byte aligned blocks, first fit, coalescing, top reclaimed', () => {
  const h = new SharedHeap({ initialBytes: 1 << 16 });
  const a = h.alloc(10);
  const b = h.alloc(100);
  const c = h.alloc(64);
  for (const o of [a, b, c]) assert.equal(o % 64, 0);
  assert.ok(a > 0, 'offset 0 stays a null pointer');
  assert.equal(h.usedBytes, 64 + 128 + 64);
  h.release(a);
  h.release(b); // coalesces with a: one free block of 192 bytes
  assert.equal(h.alloc(192), a);
  h.release(a);
  h.release(c); // top block: everything returns to the bump region
  assert.equal(h.usedBytes, 0);
  assert.equal(h.alloc(1000), a);
  assert.throws(() => h.release(12345), /no live block/);
});

test('heap: owns() tells its views from other arrays, across grows', () => {
  const h = new SharedHeap({ initialBytes: 1 << 16 });
  const before = h.allocF32(4);
  h.allocF32(1 << 16); // grows
  const after = h.allocI32(4);
  assert.ok(h.owns(before) && h.owns(after));
  assert.ok(!h.owns(new Float32Array(4)));
  assert.ok(!h.owns(new Float32Array(new SharedArrayBuffer(16))));
  assert.throws(() => h.free(new Float32Array(2)), /does not live/);
});
