/**
 * Pairwise and pointwise ranking losses as pure functions of scores. Each returns the loss
 * and writes dLoss/dScore, so a model only back-propagates through its own scoring function.
 */

import { logistic, softplus } from '../engine/tape/ops/softplus.js';

// the tape's loss ops and these share one softplus and one (overflow-safe) sigmoid
export { softplus };
export const sigmoid = logistic;

/**
 * BPR (Rendle et al., 2009, eq. 4 without the prior): mean over the batch of
 * -ln sigma(x_ui - x_uj) = softplus(x_uj - x_ui). Writes gradients w.r.t. pos and neg scores.
 */
export function bprLoss(
  pos: Float32Array,
  neg: Float32Array,
  gPos: Float32Array,
  gNeg: Float32Array,
): number {
  const n = pos.length;
  let loss = 0;
  for (let b = 0; b < n; b++) {
    const d = neg[b] - pos[b];
    loss += softplus(d);
    const s = sigmoid(d) / n; // d softplus(d) / d d
    gPos[b] = -s;
    gNeg[b] = s;
  }
  return loss / n;
}

/**
 * Binary cross-entropy with logits: positives labelled 1, negatives 0, averaged over all
 * scored pairs: softplus(-x) for positives, softplus(x) for negatives.
 */
export function bceLoss(
  pos: Float32Array,
  neg: Float32Array,
  gPos: Float32Array,
  gNeg: Float32Array,
): number {
  const n = pos.length + neg.length;
  let loss = 0;
  for (let b = 0; b < pos.length; b++) {
    loss += softplus(-pos[b]);
    gPos[b] = -sigmoid(-pos[b]) / n;
  }
  for (let b = 0; b < neg.length; b++) {
    loss += softplus(neg[b]);
    gNeg[b] = sigmoid(neg[b]) / n;
  }
  return loss / n;
}

/**
 * Max-margin hinge (PinSAGE, Ying et al., 2018, eq. 1): max(0, x_uj - x_ui + margin), averaged.
 */
export function marginLoss(
  pos: Float32Array,
  neg: Float32Array,
  gPos: Float32Array,
  gNeg: Float32Array,
  margin = 0.1,
): number {
  const n = pos.length;
  let loss = 0;
  for (let b = 0; b < n; b++) {
    const v = neg[b] - pos[b] + margin;
    const active = v > 0 ? 1 / n : 0;
    loss += v > 0 ? v : 0;
    gPos[b] = -active;
    gNeg[b] = active;
  }
  return loss / n;
}

export type PairLoss = typeof bprLoss;
export const PAIR_LOSSES: Record<string, PairLoss> = {
  bpr: bprLoss,
  bce: bceLoss,
  margin: marginLoss,
};
