/**
 * The pair loss of one mini-batch of a tape model (./tapeModel.ts), over its per-positive
 * negatives and, when the batch has them, its shared negatives.
 *
 * Per-positive negatives alone: the mean over pairs of bpr, hinge (`margin`, PinSAGE eq. 1),
 * or BCE (each half's mean, averaged). With shared negatives (PinSAGE section 3.3) every
 * triple's user also scores the S shared items, [B x S] by one matmulNT, the user's own items
 * left out; the loss is then still the mean over every (positive, negative) pair, shared and
 * per-positive alike (PinSAGE eq. 1's expectation over the negatives), so a hard negative
 * weighs what a shared one does, and counts by what its margin or BPR term makes of it.
 */
import type { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  add,
  bce,
  bpr,
  gather,
  hinge,
  matmulNT,
  rowDot,
  scale,
  sharedNegativeLoss,
  type SharedLossKind,
} from '../engine/tape/ops/index.js';
import type { BatchVectors, PairBatch } from './tapeModel.js';

export interface LossChoice {
  readonly loss: string;
  readonly margin: number;
}

export function batchLoss(
  t: Tape,
  v: BatchVectors,
  batch: PairBatch,
  h: LossChoice,
  model: string,
): Tensor {
  const sPos = rowDot(t, v.users, v.pos);
  if (!batch.shared) {
    const sNeg = rowDot(t, v.users, v.neg);
    if (h.loss === 'bce') return pointwise(t, sPos, sNeg);
    return h.loss === 'margin' ? hinge(t, sPos, sNeg, h.margin) : bpr(t, sPos, sNeg);
  }
  if (!v.shared) throw new Error(`${model} gives no vectors for a mini-batch's shared negatives`);
  const k = batch.negatives ?? 1;
  // one row per triple: pairs q*k .. q*k + k - 1 share their user and positive
  const first =
    k > 1 ? Int32Array.from({ length: batch.users.length / k }, (_, q) => q * k) : undefined;
  const users = first ? gather(t, v.users, first) : v.users;
  const pos = first ? gather(t, sPos, first) : sPos;
  const mask = batch.sharedMask;
  const shared = sharedNegativeLoss(t, pos, matmulNT(t, users, v.shared), {
    kind: h.loss as SharedLossKind,
    margin: h.margin,
    ...(mask && { mask }),
  });
  let nShared = users.rows * v.shared.rows;
  if (mask) for (let e = 0; e < mask.length; e++) nShared -= mask[e];
  // the per-positive pairs' sum (their op's mean x their count) with the shared sum
  const nPairs = k > 0 ? v.neg.rows : 0;
  let negSum = shared;
  let pairMean: Tensor | undefined;
  if (nPairs > 0) {
    const sNeg = rowDot(t, v.users, v.neg);
    pairMean =
      h.loss === 'bce'
        ? bce(t, sNeg, t.input(t.buffer(nPairs).fill(0), nPairs, 1))
        : h.loss === 'margin'
          ? hinge(t, sPos, sNeg, h.margin)
          : bpr(t, sPos, sNeg);
    negSum = add(t, scale(t, pairMean, nPairs), shared);
  }
  const negMean = scale(t, negSum, 1 / Math.max(1, nPairs + nShared));
  if (h.loss !== 'bce') return negMean;
  const n = sPos.rows;
  const posMean = bce(t, sPos, t.input(t.buffer(n).fill(1), n, 1));
  return scale(t, add(t, posMean, negMean), 0.5);
}

/**
 * BCE over positives labelled 1 and negatives labelled 0, all 2n scores averaged together:
 * (sum over positives + sum over negatives) / 2n, i.e. the mean of the two halves' means.
 */
function pointwise(t: Tape, sPos: Tensor, sNeg: Tensor): Tensor {
  const n = sPos.rows;
  const ones = t.buffer(n).fill(1);
  const zeros = t.buffer(n).fill(0);
  const halves = add(t, bce(t, sPos, t.input(ones, n, 1)), bce(t, sNeg, t.input(zeros, n, 1)));
  return scale(t, halves, 0.5);
}
