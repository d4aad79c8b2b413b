/**
 * GRU4Rec's ranking losses over a score matrix S [B x C], C >= B, whose row r holds one
 * example's scores against C candidate items with its own target in column r (the mini-batch's
 * targets on the diagonal, extra sampled items after them). Every other column of the row is a
 * negative: the other examples' targets (popularity-based sampling, as the paper argues) and
 * the extra samples. N = C - 1 negatives per row; each loss is the mean over the B rows of:
 *
 *   sessionBpr     (Hidasi et al. 2016, 3.1.2):  1/N sum_j -log sigma(s_r - s_j)
 *   sessionTop1    (Hidasi et al. 2016, 3.1.2):  1/N sum_j [sigma(s_j - s_r) + sigma(s_j^2)]
 *   sessionBprMax  (Hidasi & Karatzoglou 2018):  -log sum_j p_j sigma(s_r - s_j) + lambda sum_j p_j s_j^2
 *   sessionTop1Max (Hidasi & Karatzoglou 2018):  sum_j p_j [sigma(s_j - s_r) + sigma(s_j^2)]
 *
 * with s_r = S[r, r], s_j = S[r, j] (j != r) and p = softmax over the row's negatives only.
 * Given the columns' item ids, a column holding the row's own target item again (another slot
 * heading for the same item) is no negative; a row left without negatives adds 0.
 * The row values are computed in float64 by rowLoss (which the references also use); the
 * backward passes are the partials written out below, checked against finite differences.
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { logistic, softplus } from './softplus.js';

export const SESSION_LOSS_OPS = ['bpr', 'top1', 'bpr-max', 'top1-max'] as const;
export type SessionLossKind = (typeof SESSION_LOSS_OPS)[number];

/** Marks row r's negatives in neg[0 .. C) (1: a negative); returns how many. */
function negativesOf(r: number, C: number, ids: ArrayLike<number> | undefined, neg: Uint8Array) {
  let n = 0;
  for (let j = 0; j < C; j++) {
    neg[j] = j !== r && (!ids || ids[j] !== ids[r]) ? 1 : 0;
    n += neg[j];
  }
  return n;
}

/** Softmax over row r's negatives (0 elsewhere), into p[0 .. C). */
function negativeSoftmax(
  s: ArrayLike<number>,
  at: number,
  C: number,
  neg: Uint8Array,
  p: Float64Array,
) {
  let max = -Infinity;
  for (let j = 0; j < C; j++) if (neg[j]) max = Math.max(max, s[at + j]);
  let z = 0;
  for (let j = 0; j < C; j++) {
    p[j] = neg[j] ? Math.exp(s[at + j] - max) : 0;
    z += p[j];
  }
  for (let j = 0; j < C; j++) p[j] /= z;
}

interface Scratch {
  readonly ids: ArrayLike<number> | undefined;
  readonly neg: Uint8Array;
  readonly p: Float64Array;
}

/** Row r's loss (float64); p is scratch of C entries. */
function rowLoss(
  kind: SessionLossKind,
  s: ArrayLike<number>,
  r: number,
  C: number,
  lambda: number,
  { ids, neg, p }: Scratch,
): number {
  const at = r * C;
  const sr = s[at + r];
  const n = negativesOf(r, C, ids, neg);
  if (n === 0) return 0;
  let acc = 0;
  if (kind === 'bpr' || kind === 'top1') {
    for (let j = 0; j < C; j++) {
      if (!neg[j]) continue;
      const sj = s[at + j];
      acc += kind === 'bpr' ? softplus(sj - sr) : logistic(sj - sr) + logistic(sj * sj);
    }
    return acc / n;
  }
  negativeSoftmax(s, at, C, neg, p);
  if (kind === 'top1-max') {
    for (let j = 0; j < C; j++) {
      const sj = s[at + j];
      if (neg[j]) acc += p[j] * (logistic(sj - sr) + logistic(sj * sj));
    }
    return acc;
  }
  let reg = 0;
  for (let j = 0; j < C; j++) {
    const sj = s[at + j];
    if (!neg[j]) continue;
    acc += p[j] * logistic(sr - sj);
    reg += p[j] * sj * sj;
  }
  return -Math.log(acc) + lambda * reg;
}

/** Adds d(row r's loss)/dS[r, .] times g into dx[r * C ..). */
function rowGradient(
  kind: SessionLossKind,
  s: Float32Array,
  r: number,
  C: number,
  lambda: number,
  g: number,
  { ids, neg, p }: Scratch,
  dx: Float32Array,
): void {
  const at = r * C;
  const sr = s[at + r];
  const n = negativesOf(r, C, ids, neg);
  if (n === 0) return;
  let dr = 0;
  if (kind === 'bpr' || kind === 'top1') {
    const w = g / n;
    for (let j = 0; j < C; j++) {
      if (!neg[j]) continue;
      const sj = s[at + j];
      const a = logistic(sj - sr);
      // bpr: d softplus(sj - sr) = a; top1: a(1 - a) + sigma'(sj^2) 2 sj
      const da = kind === 'bpr' ? a : a * (1 - a);
      const b = kind === 'top1' ? logistic(sj * sj) : 0;
      dx[at + j] += w * (da + (kind === 'top1' ? b * (1 - b) * 2 * sj : 0));
      dr -= w * da;
    }
    dx[at + r] += dr;
    return;
  }
  negativeSoftmax(s, at, C, neg, p);
  if (kind === 'top1-max') {
    // F = sum p_j f_j: dF/ds_j = p_j (f_j - F) + p_j f'_j; dF/ds_r = -sum p_j a_j (1 - a_j)
    let F = 0;
    for (let j = 0; j < C; j++) {
      const sj = s[at + j];
      if (neg[j]) F += p[j] * (logistic(sj - sr) + logistic(sj * sj));
    }
    for (let j = 0; j < C; j++) {
      if (!neg[j]) continue;
      const sj = s[at + j];
      const a = logistic(sj - sr);
      const b = logistic(sj * sj);
      dx[at + j] += g * p[j] * (a + b - F + a * (1 - a) + b * (1 - b) * 2 * sj);
      dr -= p[j] * a * (1 - a);
    }
    dx[at + r] += g * dr;
    return;
  }
  // bpr-max: L = -log Z + lambda R, Z = sum p_j g_j (g_j = sigma(s_r - s_j)), R = sum p_j s_j^2;
  // dZ/ds_j = p_j (g_j - Z) - p_j g_j (1 - g_j), dZ/ds_r = sum p_j g_j (1 - g_j),
  // dR/ds_j = p_j (s_j^2 - R) + 2 p_j s_j.
  let Z = 0;
  let R = 0;
  for (let j = 0; j < C; j++) {
    if (!neg[j]) continue;
    const sj = s[at + j];
    Z += p[j] * logistic(sr - sj);
    R += p[j] * sj * sj;
  }
  for (let j = 0; j < C; j++) {
    if (!neg[j]) continue;
    const sj = s[at + j];
    const gj = logistic(sr - sj);
    const dZ = p[j] * (gj - Z) - p[j] * gj * (1 - gj);
    const dR = p[j] * (sj * sj - R) + 2 * p[j] * sj;
    dx[at + j] += g * (-dZ / Z + lambda * dR);
    dr += p[j] * gj * (1 - gj);
  }
  dx[at + r] += (g * -dr) / Z;
}

/**
 * The mean over rows of a GRU4Rec loss; `lambda` is BPR-max's score regularisation (ignored by
 * the others); `columnItems`, when given, the item id of each column (see above).
 */
export function sessionLoss(
  t: Tape,
  kind: SessionLossKind,
  scores: Tensor,
  lambda = 1,
  columnItems?: ArrayLike<number>,
): Tensor {
  const B = scores.rows;
  const C = scores.cols;
  if (!(C >= 2 && C >= B))
    throw new RangeError(`session loss of ${scores.shape}: needs columns >= rows and >= 2`);
  if (columnItems && columnItems.length !== C)
    throw new RangeError(`session loss: ${columnItems.length} column items for ${C} columns`);
  const p: Scratch = { ids: columnItems, neg: new Uint8Array(C), p: new Float64Array(C) };
  const y = t.output(1, 1, [scores]);
  let acc = 0;
  for (let r = 0; r < B; r++) acc += rowLoss(kind, scores.data, r, C, lambda, p);
  y.data[0] = acc / Math.max(1, B);
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      const dx = dy && t.grad(scores);
      if (!dy || !dx) return;
      const g = dy[0] / Math.max(1, B);
      for (let r = 0; r < B; r++) rowGradient(kind, scores.data, r, C, lambda, g, p, dx);
    });
  return y;
}

interface CaseArgs {
  readonly lambda: number;
  readonly items?: readonly number[];
}

function reference(kind: SessionLossKind, s: Matrix64, { lambda, items }: CaseArgs): Matrix64 {
  const y = matrix64(1, 1);
  const p: Scratch = { ids: items, neg: new Uint8Array(s.cols), p: new Float64Array(s.cols) };
  for (let r = 0; r < s.rows; r++) y.data[0] += rowLoss(kind, s.data, r, s.cols, lambda, p);
  y.data[0] /= s.rows;
  return y;
}

const OP_NAMES: Record<SessionLossKind, string> = {
  bpr: 'sessionBpr',
  top1: 'sessionTop1',
  'bpr-max': 'sessionBprMax',
  'top1-max': 'sessionTop1Max',
};

for (const kind of SESSION_LOSS_OPS)
  registerOp<CaseArgs>({
    name: OP_NAMES[kind],
    apply: (t, [s], a) => sessionLoss(t, kind, s, a.lambda, a.items),
    reference: ([s], a) => reference(kind, s, a),
    cases: [
      {
        label: '4 examples, in-batch negatives',
        inputs: [{ rows: 4, cols: 4 }],
        args: { lambda: 0.5 },
      },
      {
        label: '3 examples + 2 extra samples',
        inputs: [{ rows: 3, cols: 5 }],
        args: { lambda: 1 },
      },
      {
        // rows 0 and 2 head for item 7: not each other's negative; column 4 repeats row 3's item
        label: 'repeated target items',
        inputs: [{ rows: 4, cols: 5 }],
        args: { lambda: 1, items: [7, 3, 7, 9, 9] },
      },
    ],
  });
