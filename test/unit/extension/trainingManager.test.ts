import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainingManager, type RunOutcome } from '../../../extension/training/trainingManager.js';
import type { WorkerLike } from '../../../extension/training/workerClient.js';
import type { WorkerEvent, WorkerRequest } from '../../../extension/shared/messages.js';

class FakeWorker implements WorkerLike {
  readonly sent: WorkerRequest[] = [];
  terminated = false;
  private msg: (e: WorkerEvent) => void = () => undefined;
  private exit: (code: number, error?: Error) => void = () => undefined;
  postMessage(m: WorkerRequest): void {
    this.sent.push(m);
  }
  onMessage(f: (e: WorkerEvent) => void): void {
    this.msg = f;
  }
  onExit(f: (code: number, error?: Error) => void): void {
    this.exit = f;
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(e: WorkerEvent): void {
    this.msg(e);
  }
  die(code: number, error?: Error): void {
    this.exit(code, error);
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const m = new TrainingManager(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  const ends: RunOutcome[] = [];
  m.listen({ onEnd: (o) => ends.push(o) });
  return { m, workers, ends };
}

test('queues runs and starts the next when one finishes', () => {
  const { m, workers, ends } = setup();
  m.enqueue({ dataset: 'demo', model: 'mf', epochs: 2 }, '/ws');
  m.enqueue({ dataset: 'demo', model: 'popularity' }, '/ws');
  assert.equal(workers.length, 1, 'one worker at a time');
  assert.equal(m.queued.length, 1);
  assert.deepEqual(workers[0].sent[0], {
    type: 'train',
    config: { dataset: 'demo', model: 'mf', epochs: 2 },
    workspace: '/ws',
  });
  workers[0].emit({ type: 'started', id: 'r1', dir: '', epochs: 2, name: 'mf-demo', model: 'mf' });
  workers[0].emit({
    type: 'epoch',
    record: { epoch: 1, loss: 0.5, seconds: 1, metrics: { 'recall@20': 0.1 } },
  });
  assert.equal(m.current?.history.length, 1);
  assert.equal(m.current?.queued, 1);
  workers[0].emit({ type: 'finished', id: 'r1', metrics: { 'recall@20': 0.2 }, seconds: 3 });
  assert.ok(workers[0].terminated);
  assert.equal(ends[0].status, 'done');
  assert.equal(workers.length, 2, 'second run started');
  assert.equal(m.queued.length, 0);
});

test('cancel posts cancel to the worker and reports cancelled', () => {
  const { m, workers, ends } = setup();
  m.enqueue({ dataset: 'demo', model: 'mf' }, '/ws');
  assert.ok(m.cancel());
  assert.deepEqual(workers[0].sent[1], { type: 'cancel' });
  workers[0].emit({
    type: 'failed',
    message: 'training cancelled during epoch 1',
    cancelled: true,
  });
  assert.equal(ends[0].status, 'cancelled');
  assert.equal(m.current, null);
  assert.equal(m.cancel(), false);
});

test('a crashed worker marks its run failed on disk and the queue goes on', () => {
  const { m, workers, ends } = setup();
  const dir = mkdtempSync(join(tmpdir(), 'reclab-run-'));
  writeFileSync(
    join(dir, 'status.json'),
    JSON.stringify({ status: 'running', epoch: 1, epochs: 5 }),
  );
  m.enqueue({ dataset: 'demo', model: 'mf' }, '/ws');
  m.enqueue({ dataset: 'demo', model: 'mf' }, '/ws');
  workers[0].emit({ type: 'started', id: 'r1', dir, epochs: 5, name: 'x', model: 'mf' });
  workers[0].die(1, new Error('out of memory'));
  assert.equal(ends[0].status, 'failed');
  assert.match(ends[0].status === 'failed' ? ends[0].message : '', /crashed: out of memory/);
  const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
  assert.equal(status.status, 'failed');
  assert.match(status.error, /out of memory/);
  assert.equal(workers.length, 2, 'next run started after the crash');
  workers[1].die(0);
  assert.equal(ends[1].status, 'failed');
});

test('a listener that throws does not break training', () => {
  const { m, workers } = setup();
  m.listen({
    onChange: () => {
      throw new Error('bad listener');
    },
  });
  m.enqueue({ dataset: 'demo', model: 'mf' }, '/ws');
  workers[0].emit({ type: 'phase', phase: 'training' });
  assert.equal(m.current?.phase, 'training');
});
