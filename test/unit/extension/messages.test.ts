import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isHostMessage,
  isProjectionMethod,
  isWebviewMessage,
  isWorkerEvent,
  isWorkerRequest,
} from '../../../extension/shared/messages.js';

test('worker events: accepts well-formed, rejects wrong fields and unknown types', () => {
  assert.ok(
    isWorkerEvent({ type: 'batch', epoch: 1, epochs: 5, batch: 0, batches: 10, loss: 0.7 }),
  );
  assert.ok(isWorkerEvent({ type: 'failed', message: 'boom', cancelled: false }));
  assert.ok(isWorkerEvent({ type: 'epoch', record: { epoch: 1, loss: 0.5, seconds: 1 } }));
  assert.ok(
    !isWorkerEvent({ type: 'batch', epoch: '1', epochs: 5, batch: 0, batches: 10, loss: 0.7 }),
  );
  assert.ok(!isWorkerEvent({ type: 'failed', message: 'boom' }));
  // a header naming no user/item column comes with its columns, so the host can ask
  const columns = { file: '/ws/abc.csv', header: ['a', 'b', 'c'], roles: ['user', 'item'] };
  assert.ok(isWorkerEvent({ type: 'failed', message: 'x', cancelled: false, columns }));
  for (const bad of [
    'a,b,c',
    { ...columns, header: 'a,b,c' },
    { ...columns, header: ['a', 1] },
    { ...columns, roles: [] },
    { header: ['a'], roles: ['user'] },
  ])
    assert.ok(
      !isWorkerEvent({ type: 'failed', message: 'x', cancelled: false, columns: bad }),
      JSON.stringify(bad),
    );
  assert.ok(isWorkerEvent({ type: 'progress', what: 'UMAP', done: 10, total: 500 }));
  assert.ok(!isWorkerEvent({ type: 'progress', what: 'UMAP', done: '10', total: 500 }));
  assert.ok(!isWorkerEvent({ type: 'nope' }));
  assert.ok(!isWorkerEvent({ type: 'toString' }), 'prototype keys are not message types');
  assert.ok(!isWorkerEvent(null));
  assert.ok(!isWorkerEvent([{ type: 'log', message: 'x' }]));
});

test('worker requests', () => {
  assert.ok(
    isWorkerRequest({ type: 'train', config: { dataset: 'demo', model: 'mf' }, workspace: '/ws' }),
  );
  assert.ok(isWorkerRequest({ type: 'cancel' }));
  assert.ok(!isWorkerRequest({ type: 'train', config: 'demo', workspace: '/ws' }));
  assert.ok(!isWorkerRequest({ type: 'recommend', runDir: '/r', user: 'u' }));
  assert.ok(isWorkerRequest({ type: 'project', runDir: '/r', method: 'umap' }));
  assert.ok(!isWorkerRequest({ type: 'project', runDir: '/r' }), 'a projection names its method');
  assert.ok(isWorkerRequest({ type: 'describe', dataset: 'csv:/ws/abc.csv' }));
  const options = { columns: { user: 'a', item: 'b' } };
  assert.ok(isWorkerRequest({ type: 'describe', dataset: 'csv:/ws/abc.csv', options }));
  assert.ok(!isWorkerRequest({ type: 'describe', dataset: 'csv:/ws/abc.csv', options: 'a,b' }));
});

test('webview and host messages', () => {
  assert.ok(isWebviewMessage({ type: 'ready' }));
  assert.ok(isWebviewMessage({ type: 'selectUser', index: 3 }));
  assert.ok(!isWebviewMessage({ type: 'selectUser', index: '3' }));
  assert.ok(isWebviewMessage({ type: 'project', method: 'tsne' }));
  assert.ok(!isWebviewMessage({ type: 'project' }));
  assert.ok(isHostMessage({ type: 'projecting', method: 'umap', message: 'computing UMAP… 40%' }));
  assert.ok(isProjectionMethod('tsne') && !isProjectionMethod('t-sne'));
  assert.ok(isWebviewMessage({ type: 'chartExported', format: 'svg', data: '<svg/>' }));
  assert.ok(isHostMessage({ type: 'dashboard', active: null, best: [], metric: 'recall@20' }));
  assert.ok(isHostMessage({ type: 'exportChart', format: 'png' }));
  assert.ok(!isHostMessage({ type: 'exportChart' }));
});

test('similar items: the item-graph job, an item click and its answer', () => {
  assert.ok(isWorkerRequest({ type: 'itemGraph', runDir: '/r', k: 20 }));
  assert.ok(!isWorkerRequest({ type: 'itemGraph', runDir: '/r' }), 'the request names k');
  assert.ok(isWorkerEvent({ type: 'itemGraphBuilt', graph: { runId: 'r', ids: [] } }));
  assert.ok(!isWorkerEvent({ type: 'itemGraphBuilt', graph: 'r' }));
  assert.ok(isWebviewMessage({ type: 'selectItem', index: 4 }));
  assert.ok(!isWebviewMessage({ type: 'selectItem', index: '4' }));
  const detail = { item: 'i4', itemIndex: 4, similar: [] };
  assert.ok(isHostMessage({ type: 'itemDetail', detail }));
  assert.ok(!isHostMessage({ type: 'itemDetail' }));
});

test('community colours: the request, the job and its answer', () => {
  assert.ok(isWebviewMessage({ type: 'requestCommunities' }));
  assert.ok(isWorkerRequest({ type: 'communities', runDir: '/r' }));
  assert.ok(!isWorkerRequest({ type: 'communities' }));
  const communities = { runId: 'r', community: new Int32Array(3), count: 1, modularity: 0 };
  assert.ok(isWorkerEvent({ type: 'communitiesFound', communities }));
  assert.ok(isHostMessage({ type: 'communities', communities }));
  assert.ok(!isHostMessage({ type: 'communities', communities: 3 }));
});
