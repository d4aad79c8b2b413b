/**
 * Entry of a walk worker thread (bundled as dist/walk-worker.js; run from source through tsx in
 * tests): generates its range of walks into the shared output, says so, and exits.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { walkRows } from '../graph/walks.js';
import { jobGraph, jobOutput, type WalkJob } from './walkShare.js';

const job = workerData as Partial<WalkJob> | null;
if (!isMainThread && job?.reclabWalks) {
  const { g, o } = jobGraph(job as WalkJob);
  walkRows(g, o, job.from ?? 0, job.to ?? 0, jobOutput(job as WalkJob));
  parentPort?.postMessage({ done: true });
}
