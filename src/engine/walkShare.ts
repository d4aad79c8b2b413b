/**
 * What a walk worker is given: the graph, the start nodes and the output as views of
 * SharedArrayBuffers (read by every thread, no copy), and its range of walks.
 */
import type { Csr } from '../data/types.js';
import type { WalkOptions } from '../graph/walks.js';

export interface WalkJob {
  readonly reclabWalks: true;
  readonly nRows: number;
  readonly indptr: SharedArrayBuffer;
  readonly indices: SharedArrayBuffer;
  readonly starts: SharedArrayBuffer;
  /** count * length int32s: walk r at r * length */
  readonly out: SharedArrayBuffer;
  readonly length: number;
  readonly walksPerNode: number;
  readonly seed: number;
  readonly p: number;
  readonly q: number;
  readonly from: number;
  readonly to: number;
}

/** An Int32Array with the same contents over shared memory. */
export function sharedCopy(a: Int32Array): Int32Array {
  const s = new Int32Array(new SharedArrayBuffer(a.length * 4));
  s.set(a);
  return s;
}

/** The graph and options a job describes. */
export function jobGraph(job: WalkJob): {
  g: Csr;
  o: WalkOptions & { readonly starts: Int32Array };
} {
  const g: Csr = {
    nRows: job.nRows,
    nCols: job.nRows,
    indptr: new Int32Array(job.indptr),
    indices: new Int32Array(job.indices),
  };
  const { length, walksPerNode, seed, p, q } = job;
  return { g, o: { length, walksPerNode, seed, p, q, starts: new Int32Array(job.starts) } };
}

/** The job's slice of the output. */
export function jobOutput(job: WalkJob): Int32Array {
  return new Int32Array(job.out, job.from * job.length * 4, (job.to - job.from) * job.length);
}
