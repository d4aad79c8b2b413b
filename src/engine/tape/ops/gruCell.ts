/**
 * The GRU cell's elementwise work (Cho et al. 2014, as GRU4Rec's section 3.1 writes it), fused
 * around its three matmuls. With xw = x [W_z W_r W] + b ([n x 3h]) and hu = h_{t-1} [U_z U_r]
 * ([n x 2h]):
 *   gruReset:  r = sigma(xw_r + hu_r),  out = r ⊙ h_{t-1}                       [n x h]
 *   (the model multiplies out by U: cu = (r ⊙ h_{t-1}) U)
 *   gruUpdate: z = sigma(xw_z + hu_z),  ĥ = tanh(xw_h + cu),
 *              out = (1 - z) ⊙ h_{t-1} + z ⊙ ĥ                                 [n x h]
 * The paper's reset gate acts before U, so the cell cannot be one elementwise pass: these two
 * passes replace sliceCols x 6, add x 4, sigmoid x 2, tanh, sub and mul x 2 (fourteen tensors and
 * their backward loops). Each op reads its columns of xw and hu in place and keeps its gates
 * for the backward pass; a fresh gradient of xw or hu gets zeros in the columns it does not own.
 */
import { matrix64, registerOp, type Matrix64 } from '../registry.js';
import type { Tape } from '../tape.js';
import type { Tensor } from '../tensor.js';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function checkShapes(name: string, xw: Tensor, hu: Tensor, hPrev: Tensor, cu?: Tensor): number {
  const n = hPrev.rows;
  const h = hPrev.cols;
  const ok =
    xw.rows === n &&
    xw.cols === 3 * h &&
    hu.rows === n &&
    hu.cols === 2 * h &&
    (!cu || (cu.rows === n && cu.cols === h));
  if (!ok)
    throw new RangeError(
      `${name} of xw ${xw.shape}, hu ${hu.shape}, h ${hPrev.shape}${cu ? `, cu ${cu.shape}` : ''}: expected [n x 3h], [n x 2h], [n x h]${cu ? ', [n x h]' : ''}`,
    );
  return h;
}

/** Writes (fresh) or adds v at g[k]. */
type Put = (k: number, v: number) => void;

function putter(at: { g: Float32Array; fresh: boolean } | undefined): Put | undefined {
  if (!at) return undefined;
  const g = at.g;
  return at.fresh ? (k, v) => (g[k] = v) : (k, v) => (g[k] += v);
}

/** A fresh gradient of an [n x cols] tensor: zeros in the column blocks [from, from + h). */
function zeroBlocks(
  at: { g: Float32Array; fresh: boolean } | undefined,
  n: number,
  cols: number,
  h: number,
  blocks: readonly number[],
): void {
  if (!at?.fresh) return;
  for (let r = 0; r < n; r++) for (const b of blocks) at.g.fill(0, r * cols + b, r * cols + b + h);
}

/**
 * The backward's writers into the gradients of xw, hu and h_{t-1}; a fresh xw / hu gradient
 * first gets zeros in the column blocks this op does not own (`zeroX`, `zeroU`: block starts).
 */
function gateWriters(
  t: Tape,
  xw: Tensor,
  hu: Tensor,
  hPrev: Tensor,
  zeroX: readonly number[],
  zeroU: readonly number[],
): { px?: Put; pu?: Put; gh?: Put } {
  const { rows: n, cols: h } = hPrev;
  const gx = t.gradTarget(xw);
  const gu = t.gradTarget(hu);
  zeroBlocks(gx, n, 3 * h, h, zeroX);
  zeroBlocks(gu, n, 2 * h, h, zeroU);
  return { px: putter(gx), pu: putter(gu), gh: putter(t.gradTarget(hPrev)) };
}

/** r ⊙ h_{t-1}, r = sigma(xw[:, h:2h] + hu[:, h:2h]). */
export function gruReset(t: Tape, xw: Tensor, hu: Tensor, hPrev: Tensor): Tensor {
  const h = checkShapes('gruReset', xw, hu, hPrev);
  const n = hPrev.rows;
  const out = t.output(n, h, [xw, hu, hPrev]);
  const r = t.buffer(n * h);
  const X = xw.data;
  const U = hu.data;
  const H = hPrev.data;
  const O = out.data;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < h; c++) {
      const k = i * h + c;
      const g = sigmoid(X[i * 3 * h + h + c] + U[i * 2 * h + h + c]);
      r[k] = g;
      O[k] = g * H[k];
    }
  if (out.requiresGrad)
    t.record(() => {
      const d = out.grad;
      if (!d) return;
      const { px, pu, gh } = gateWriters(t, xw, hu, hPrev, [0, 2 * h], [0]);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < h; c++) {
          const k = i * h + c;
          const g = r[k];
          const dPre = d[k] * H[k] * g * (1 - g);
          px?.(i * 3 * h + h + c, dPre);
          pu?.(i * 2 * h + h + c, dPre);
          gh?.(k, d[k] * g);
        }
    });
  return out;
}

/** (1 - z) ⊙ h_{t-1} + z ⊙ tanh(xw[:, 2h:3h] + cu), z = sigma(xw[:, :h] + hu[:, :h]). */
export function gruUpdate(t: Tape, xw: Tensor, hu: Tensor, hPrev: Tensor, cu: Tensor): Tensor {
  const h = checkShapes('gruUpdate', xw, hu, hPrev, cu);
  const n = hPrev.rows;
  const out = t.output(n, h, [xw, hu, hPrev, cu]);
  const z = t.buffer(n * h);
  const cand = t.buffer(n * h);
  const X = xw.data;
  const U = hu.data;
  const H = hPrev.data;
  const C = cu.data;
  const O = out.data;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < h; c++) {
      const k = i * h + c;
      const zk = sigmoid(X[i * 3 * h + c] + U[i * 2 * h + c]);
      const ck = Math.tanh(X[i * 3 * h + 2 * h + c] + C[k]);
      z[k] = zk;
      cand[k] = ck;
      // h_{t-1} + z (ĥ - h_{t-1}): the blend with one multiply
      O[k] = H[k] + zk * (ck - H[k]);
    }
  if (out.requiresGrad)
    t.record(() => {
      const d = out.grad;
      if (!d) return;
      const { px, pu, gh } = gateWriters(t, xw, hu, hPrev, [h], [h]);
      const gc = putter(t.gradTarget(cu));
      for (let i = 0; i < n; i++)
        for (let c = 0; c < h; c++) {
          const k = i * h + c;
          const zk = z[k];
          const ck = cand[k];
          const dz = d[k] * (ck - H[k]) * zk * (1 - zk);
          const dc = d[k] * zk * (1 - ck * ck);
          px?.(i * 3 * h + c, dz);
          pu?.(i * 2 * h + c, dz);
          px?.(i * 3 * h + 2 * h + c, dc);
          gc?.(k, dc);
          gh?.(k, d[k] * (1 - zk));
        }
    });
  return out;
}

/** The cell in float64, both ops' outputs: [n x h] each. */
function reference64([xw, hu, hPrev, cu]: readonly Matrix64[]): {
  reset: Matrix64;
  update: Matrix64;
} {
  const n = hPrev.rows;
  const h = hPrev.cols;
  const reset = matrix64(n, h);
  const update = matrix64(n, h);
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  for (let i = 0; i < n; i++)
    for (let c = 0; c < h; c++) {
      const k = i * h + c;
      const x = (col: number) => xw.data[i * 3 * h + col];
      const u = (col: number) => hu.data[i * 2 * h + col];
      const hk = hPrev.data[k];
      // r_t = sigma(W_r x_t + U_r h_{t-1}), then r_t ⊙ h_{t-1}
      reset.data[k] = sig(x(h + c) + u(h + c)) * hk;
      if (!cu) continue;
      // z_t = sigma(W_z x_t + U_z h_{t-1}); ĥ_t = tanh(W x_t + U (r_t ⊙ h_{t-1}))
      const z = sig(x(c) + u(c));
      const cand = Math.tanh(x(2 * h + c) + cu.data[k]);
      // h_t = (1 - z_t) h_{t-1} + z_t ĥ_t
      update.data[k] = (1 - z) * hk + z * cand;
    }
  return { reset, update };
}

const shapes = (n: number, h: number, withCu: boolean) => [
  { rows: n, cols: 3 * h },
  { rows: n, cols: 2 * h },
  { rows: n, cols: h },
  ...(withCu ? [{ rows: n, cols: h }] : []),
];

registerOp<undefined>({
  name: 'gruReset',
  apply: (t, [xw, hu, hPrev]) => gruReset(t, xw, hu, hPrev),
  reference: (inputs) => reference64(inputs).reset,
  cases: [{ label: '3 rows, h 4', inputs: shapes(3, 4, false), args: undefined }],
});

registerOp<undefined>({
  name: 'gruUpdate',
  apply: (t, [xw, hu, hPrev, cu]) => gruUpdate(t, xw, hu, hPrev, cu),
  reference: (inputs) => reference64(inputs).update,
  cases: [{ label: '3 rows, h 4', inputs: shapes(3, 4, true), args: undefined }],
});
