/**
 * The job worker: a worker_threads Worker the extension host starts for anything heavy
 * (training, dataset figures, embedding projections, recommendations), so the editor never
 * blocks. One job per worker; the host sends one request and, while training, maybe a
 * 'cancel'. Every outcome, including a thrown error, becomes a message: the host treats the
 * worker exiting without 'finished' or 'failed' as a crash.
 */
import { parentPort } from 'node:worker_threads';
import { readRun, runExperiment } from '../../src/runs/runExperiment.js';
import {
  isProjectionMethod,
  isWorkerRequest,
  PROJECTION_LABELS,
  type WorkerEvent,
  type WorkerRequest,
} from '../shared/messages.js';
import { describeDataset } from './describe.js';
import { failureEvent } from './failure.js';
import {
  communitiesOfRun,
  inspectItem,
  itemGraphOfRun,
  projectRun,
  recommendForUser,
  sessionOfRun,
  sessionsOfRun,
} from './runJobs.js';

const port = parentPort;
if (!port) throw new Error('trainWorker.js must run as a worker thread');

const abort = new AbortController();
let busy = false;

function post(e: WorkerEvent): void {
  port?.postMessage(e);
}

// Batch events come thousands of times per epoch; the UI needs a few per second.
let lastBatchPost = 0;

async function handle(req: Exclude<WorkerRequest, { type: 'cancel' }>): Promise<void> {
  switch (req.type) {
    case 'train': {
      const r = await runExperiment(req.config, {
        workspace: req.workspace,
        ...(typeof req.resumeDir === 'string' ? { resume: readRun(req.resumeDir) } : {}),
        ...(req.sweep ? { sweep: req.sweep } : {}),
        signal: abort.signal,
        log: (message) => post({ type: 'log', message }),
        onPhase: (phase) => post({ type: 'phase', phase }),
        onStart: (s) =>
          post({
            type: 'started',
            id: s.id,
            dir: s.dir,
            epochs: s.epochs,
            name: s.name,
            model: s.model,
          }),
        onBatch: (p) => {
          const now = Date.now();
          if (now - lastBatchPost < 200 && p.batch < p.batches) return;
          lastBatchPost = now;
          post({
            type: 'batch',
            epoch: p.epoch,
            epochs: p.epochs,
            batch: p.batch,
            batches: p.batches,
            loss: p.loss,
          });
        },
        onEpoch: (record) => post({ type: 'epoch', record: { ...record } }),
      });
      post({ type: 'finished', id: r.id, metrics: r.summary.metrics, seconds: r.summary.seconds });
      return;
    }
    case 'describe':
      post({
        type: 'described',
        description: await describeDataset(req.dataset, req.options),
      });
      return;
    case 'project': {
      if (!isProjectionMethod(req.method))
        throw new Error(`unknown projection ${String(req.method)}: pca, umap or tsne`);
      const what = PROJECTION_LABELS[req.method];
      let lastPost = 0;
      const projection = await projectRun(
        req.runDir,
        req.method,
        (done, total) => {
          const now = Date.now();
          if (now - lastPost < 250 && done < total) return;
          lastPost = now;
          post({ type: 'progress', what, done, total });
        },
        req.params,
      );
      post({ type: 'projected', projection });
      return;
    }
    case 'inspectItem':
      post({ type: 'itemInspected', detail: await inspectItem(req.runDir, req.index, req.k) });
      return;
    case 'recommend':
      post({ type: 'recommended', detail: await recommendForUser(req.runDir, req.user, req.k) });
      return;
    case 'itemGraph':
      post({ type: 'itemGraphBuilt', graph: await itemGraphOfRun(req.runDir, req.k) });
      return;
    case 'communities':
      post({ type: 'communitiesFound', communities: await communitiesOfRun(req.runDir) });
      return;
    case 'sessions':
      post({ type: 'sessionsListed', sessions: await sessionsOfRun(req.runDir) });
      return;
    case 'session':
      post({ type: 'sessionShown', view: await sessionOfRun(req.runDir, req.session, req.k) });
      return;
  }
}

port.on('message', (msg: unknown) => {
  if (!isWorkerRequest(msg)) {
    post({
      type: 'failed',
      message: `worker got an unknown message: ${JSON.stringify(msg).slice(0, 200)}`,
      cancelled: false,
    });
    return;
  }
  if (msg.type === 'cancel') {
    abort.abort();
    return;
  }
  if (busy) {
    post({ type: 'failed', message: 'worker is already running a job', cancelled: false });
    return;
  }
  busy = true;
  handle(msg).then(
    () => port.close(),
    (e: unknown) => {
      post(failureEvent(e, abort.signal.aborted));
      port.close();
    },
  );
});
