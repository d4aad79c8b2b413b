/**
 * The pair losses of a mini-batch whose negatives are shared (PinSAGE, Ying et al. 2018,
 * section 3.3: one set of negatives per mini-batch for all its positives): pos [B x 1] holds
 * each positive's score, neg [B x S] each positive's user against each shared negative
 * (matmulNT of the users by the negatives), and the output [1 x 1] is the SUM over the entries
 * not masked of
 *   bpr:    softplus(neg[b, s] - pos[b])            (-ln sigma(x_ui - x_uj), BPR eq. 4)
 *   margin: max(0, neg[b, s] - pos[b] + margin)     (PinSAGE eq. 1)
 *   bce:    softplus(neg[b, s])                     (-ln(1 - sigma(x_uj)), the negatives' half)
 * A sum, not a mean, so the caller can average it with the per-positive negatives' pairs.
 * mask[b * S + s] = 1 drops an entry: a shared negative that is a positive of row b's user.
 */
import { matrix64, registerOp } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';
import { logistic, softplus } from './softplus.js';

export type SharedLossKind = 'bpr' | 'margin' | 'bce';

export interface SharedLossArgs {
  readonly kind: SharedLossKind;
  readonly margin?: number;
  /** B * S flags, 1: leave the entry out */
  readonly mask?: Uint8Array;
}

/** The loss of one entry, given d = neg - pos (bce: d = neg). */
function lossOf(kind: SharedLossKind, d: number, margin: number): number {
  return kind === 'margin' ? Math.max(0, d + margin) : softplus(d);
}

/** d loss / d neg of one entry, given d as lossOf. */
function slopeOf(kind: SharedLossKind, d: number, margin: number): number {
  return kind === 'margin' ? (d + margin > 0 ? 1 : 0) : logistic(d);
}

export function sharedNegativeLoss(
  t: Tape,
  pos: Tensor,
  neg: Tensor,
  { kind, margin = 0, mask }: SharedLossArgs,
): Tensor {
  const B = neg.rows;
  const S = neg.cols;
  if (pos.rows !== B || pos.cols !== 1)
    throw new RangeError(`sharedNegativeLoss: positives ${pos.shape} for negatives ${neg.shape}`);
  if (mask && mask.length !== B * S)
    throw new RangeError(`sharedNegativeLoss: a mask of ${mask.length} for ${neg.shape}`);
  const withPos = kind !== 'bce';
  const y = t.output(1, 1, withPos ? [pos, neg] : [neg]);
  const P = pos.data;
  const N = neg.data;
  let acc = 0;
  for (let b = 0; b < B; b++) {
    const p = withPos ? P[b] : 0;
    for (let s = 0; s < S; s++) {
      const k = b * S + s;
      if (mask && mask[k]) continue;
      acc += lossOf(kind, N[k] - p, margin);
    }
  }
  y.data[0] = acc;
  if (y.requiresGrad)
    t.record(() => {
      const dy = y.grad;
      if (!dy) return;
      const dp = withPos ? t.grad(pos) : undefined;
      const dn = t.grad(neg);
      const g = dy[0];
      for (let b = 0; b < B; b++) {
        const p = withPos ? P[b] : 0;
        let rowGrad = 0;
        for (let s = 0; s < S; s++) {
          const k = b * S + s;
          if (mask && mask[k]) continue;
          const gk = g * slopeOf(kind, N[k] - p, margin);
          if (dn) dn[k] += gk;
          rowGrad += gk;
        }
        if (dp) dp[b] -= rowGrad;
      }
    });
  return y;
}

/** A 4 x 3 case's mask: two entries left out. */
const CHECK_MASK = Uint8Array.from([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);

registerOp<SharedLossArgs>({
  name: 'sharedNegativeLoss',
  apply: (t, [p, n], args) => sharedNegativeLoss(t, p, n, args),
  reference: ([p, n], { kind, margin = 0, mask }) => {
    const y = matrix64(1, 1);
    for (let b = 0; b < n.rows; b++)
      for (let s = 0; s < n.cols; s++) {
        const k = b * n.cols + s;
        if (mask?.[k]) continue;
        const v = n.data[k];
        y.data[0] +=
          kind === 'bpr'
            ? softplus(v - p.data[b])
            : kind === 'bce'
              ? softplus(v)
              : Math.max(0, v - p.data[b] + margin);
      }
    return y;
  },
  cases: (['bpr', 'margin', 'bce'] as const).map((kind) => ({
    label: `${kind}, 4 positives x 3 shared negatives, 2 masked`,
    inputs: [
      { rows: 4, cols: 1 },
      { rows: 4, cols: 3 },
    ],
    args: { kind, margin: 0.5, mask: CHECK_MASK },
  })),
});
