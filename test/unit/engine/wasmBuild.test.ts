import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KERNELS_WAT_SHA256 } from '../../../src/engine/wasm/kernels.generated.js';
import { kernelsBytes, wasmSimdSupported } from '../../../src/engine/wasm/module.js';

const root = join(__dirname, '..', '..', '..');

test('kernels.generated.ts was compiled from the current kernels.wat', () => {
  const wat = readFileSync(join(root, 'src/engine/wasm/kernels.wat'), 'utf8');
  assert.equal(
    KERNELS_WAT_SHA256,
    createHash('sha256').update(wat).digest('hex'),
    'kernels.wat changed: run node scripts/build-wasm.mjs',
  );
  // and recompiling it with wabt gives exactly the committed module
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-wasm.mjs'), '--check'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
});

test('the module validates here and exports every kernel', () => {
  assert.ok(wasmSimdSupported());
  const names = WebAssembly.Module.exports(new WebAssembly.Module(kernelsBytes())).map(
    (e) => e.name,
  );
  assert.deepEqual(names.sort(), [
    'adam',
    'drop_normalize',
    'drop_normalize_back',
    'dropout_mask',
    'edge_add',
    'edge_dots',
    'edge_softmax',
    'edge_softmax_back',
    'edge_spmm',
    'ew_binary',
    'ew_grad_b',
    'gather_rows',
    'gemm',
    'gemm_tn_chunks',
    'leaky_relu',
    'leaky_relu_back',
    'lws_backward',
    'lws_forward',
    'normalize_rows',
    'normalize_rows_back',
    'scale_rows',
    'scatter_rows',
    'score',
    'sgns',
    'softmax_xent',
    'softmax_xent_back',
    'spmm',
    'spmm_rows',
    'squash',
    'squash_back',
    'sum_prod',
    'sum_prod_back',
    'topk',
    'transpose',
  ]);
});
