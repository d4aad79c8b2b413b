/**
 * The nodes a sampled-subgraph model (GraphSAGE, PinSAGE) computes for a mini-batch: the pairs'
 * users, positives, per-positive negatives and shared negatives, as node ids of the user-item
 * graph (users, then items offset by nUsers); and, from the rows those land on, the batch's
 * vectors in the shape the tape models' loss takes.
 */
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import { gather } from '../engine/tape/ops/index.js';
import type { BatchVectors, PairBatch } from './tapeModel.js';

/** users (n), positives (n), negatives, then shared negatives, as node ids. */
export function pairTargets(b: PairBatch, nUsers: number): Int32Array {
  const n = b.users.length;
  const nNeg = b.neg.length;
  const shared = b.shared ?? new Int32Array(0);
  const targets = new Int32Array(2 * n + nNeg + shared.length);
  targets.set(b.users);
  for (let p = 0; p < n; p++) targets[n + p] = nUsers + b.pos[p];
  for (let p = 0; p < nNeg; p++) targets[2 * n + p] = nUsers + b.neg[p];
  for (let s = 0; s < shared.length; s++) targets[2 * n + nNeg + s] = nUsers + shared[s];
  return targets;
}

/**
 * The batch's vectors: rows[k] is the row of h holding pairTargets(b)[k]; the L2 term covers
 * the id embeddings e0 of every target.
 */
export function targetVectors(
  t: Tape,
  h: Tensor,
  e0: Tensor,
  rows: Int32Array,
  targets: Int32Array,
  b: PairBatch,
): BatchVectors {
  const n = b.users.length;
  const end = 2 * n + b.neg.length;
  return {
    users: gather(t, h, rows.subarray(0, n)),
    pos: gather(t, h, rows.subarray(n, 2 * n)),
    neg: gather(t, h, rows.subarray(2 * n, end)),
    ...(b.shared && { shared: gather(t, h, rows.subarray(end)) }),
    regularized: [
      gather(t, e0, b.users),
      gather(t, e0, targets.subarray(n, 2 * n)),
      gather(t, e0, targets.subarray(2 * n)),
    ],
  };
}
