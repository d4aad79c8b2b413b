import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EDITOR_CLOSED,
  TrainingManager,
  type JournalEntry,
  type RunOutcome,
} from '../../../extension/training/trainingManager.js';
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

test('a failure for want of column names carries them to the listeners', () => {
  const { m, workers, ends } = setup();
  const config = { dataset: 'csv:/ws/abc.csv', model: 'mf' };
  m.enqueue(config, '/ws');
  const columns = { file: '/ws/abc.csv', header: ['a', 'b', 'c'], roles: ['user', 'item'] };
  workers[0].emit({ type: 'failed', message: 'abc.csv:1: expected …', cancelled: false, columns });
  const end = ends[0];
  assert.equal(end.status, 'failed');
  assert.ok(end.status === 'failed' && end.job.config === config);
  assert.deepEqual(end.status === 'failed' && end.columns, columns);
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

function journalled() {
  const saved: JournalEntry[][] = [];
  const workers: FakeWorker[] = [];
  const m = new TrainingManager(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    { save: (e) => saved.push([...e]) },
  );
  return { m, workers, saved, last: () => saved.at(-1) ?? [] };
}

test('the journal holds the active run (with its folder once started) and the queue, until they end', () => {
  const { m, workers, last } = journalled();
  m.enqueue({ dataset: 'demo', model: 'mf', name: 'a' }, '/ws');
  m.enqueue({ dataset: 'demo', model: 'lightgcn', name: 'b' }, '/ws');
  assert.deepEqual(
    last().map((e) => [e.label, e.run?.id, e.pid]),
    [
      ['a', undefined, process.pid],
      ['b', undefined, process.pid],
    ],
  );
  workers[0].emit({ type: 'started', id: 'r1', dir: '/ws/r1', epochs: 5, name: 'a', model: 'mf' });
  assert.deepEqual(last()[0].run, { id: 'r1', dir: '/ws/r1' });
  workers[0].emit({ type: 'finished', id: 'r1', metrics: {}, seconds: 1 });
  assert.deepEqual(
    last().map((e) => e.label),
    ['b'],
  );
  workers[1].emit({ type: 'failed', message: 'stopped', cancelled: true });
  assert.deepEqual(last(), [], 'a stopped run is not taken up again');
});

test('closing the editor marks the active run interrupted (not failed) and keeps the journal', async () => {
  const { m, workers, saved } = journalled();
  const dir = mkdtempSync(join(tmpdir(), 'reclab-run-'));
  writeFileSync(join(dir, 'status.json'), JSON.stringify({ status: 'running', epoch: 3 }));
  m.enqueue({ dataset: 'demo', model: 'mf', name: 'a' }, '/ws');
  workers[0].emit({ type: 'started', id: 'r1', dir, epochs: 9, name: 'a', model: 'mf' });
  const journal = saved.length;
  await m.shutdown();
  assert.ok(workers[0].terminated);
  const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
  assert.equal(status.status, 'interrupted');
  assert.equal(status.error, EDITOR_CLOSED);
  assert.equal(saved.length, journal, 'the journal still names the run for the next window');
  assert.equal(m.current, null);
});

test('a resumed run trains in its own folder, its curve continuing the saved epochs', () => {
  const { m, workers, last } = journalled();
  const history = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, seconds: 1 }));
  const job = m.enqueue({ dataset: 'demo', model: 'mf', epochs: 9 }, '/ws', {
    id: 'r1',
    dir: '/ws/runs/r1',
    label: 'my run',
    history,
  });
  assert.equal(job.label, 'my run');
  assert.deepEqual(workers[0].sent[0], {
    type: 'train',
    config: { dataset: 'demo', model: 'mf', epochs: 9 },
    workspace: '/ws',
    resumeDir: '/ws/runs/r1',
  });
  assert.deepEqual(last()[0].run, { id: 'r1', dir: '/ws/runs/r1' });
  assert.ok(m.has('r1'));
  assert.equal(m.current?.epoch, 3);
  // the checkpoint was at epoch 2: epoch 3 is trained again and replaces the logged one
  workers[0].emit({ type: 'epoch', record: { epoch: 3, loss: 0.2, seconds: 1 } });
  workers[0].emit({ type: 'epoch', record: { epoch: 4, loss: 0.1, seconds: 1 } });
  assert.deepEqual(
    m.current?.history.map((h) => [h.epoch, h.loss]),
    [
      [1, 1],
      [2, 0.5],
      [3, 0.2],
      [4, 0.1],
    ],
  );
});
