/**
 * Adam over the parameters of a model written on the tape (src/engine/tape), dense or sparse.
 *
 * Dense (torch.optim.Adam, the LightGCN and NGCF reference codes): every element's moments
 * decay every step, gradient or not; the pool's adam kernel over each whole parameter.
 * Sparse (lazy Adam, torch.optim.SparseAdam; TwHIN's and PinSAGE's choice for large tables):
 * only the rows the step's gathers touched are updated, moments included; the others are left
 * as they are. A parameter whose gradient was dense this step (a product with the whole table)
 * gets the dense update either way. Both use the same float32 update, element by element, as
 * src/engine/kernels/adam.ts, and clear the gradients they consumed (Param.clearGrad).
 */
import { adamConstants, adamJs } from '../engine/kernels/adam.js';
import type { Pool } from '../engine/pool.js';
import type { Param } from '../engine/tape/param.js';
import { adamState, loadAdamState, type AdamOptions } from './adam.js';

export const TAPE_OPTIMIZERS = ['adam', 'sparseAdam'] as const;
export type TapeOptimizer = (typeof TAPE_OPTIMIZERS)[number];

interface Moments {
  readonly m: Float32Array;
  readonly v: Float32Array;
}

export class TapeAdam {
  lr: number;
  private t = 0;
  private readonly moments = new Map<Param, Moments>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(
    private readonly pool: Pool,
    private readonly params: readonly Param[],
    opts: AdamOptions & { readonly sparse?: boolean },
  ) {
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.sparse = opts.sparse ?? false;
    for (const p of params)
      this.moments.set(p, { m: pool.allocF32(p.size), v: pool.allocF32(p.size) });
  }

  readonly sparse: boolean;

  get steps(): number {
    return this.t;
  }

  /** One update of every parameter from its gradient, then the gradients are cleared. */
  step(): void {
    this.t++;
    const s = { lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, t: this.t };
    const c = adamConstants(s);
    const h = this.pool.heapViews();
    for (const p of this.params) {
      const { m, v } = this.moments.get(p) as Moments;
      if (this.sparse && !p.dense) {
        const cols = p.cols;
        for (const r of p.touchedRows()) {
          const i0 = r * cols;
          adamJs(
            h,
            p.data.byteOffset,
            p.grad.byteOffset,
            m.byteOffset,
            v.byteOffset,
            i0,
            i0 + cols,
            c.beta1,
            c.oneMinusBeta1,
            c.beta2,
            c.oneMinusBeta2,
            c.stepSize,
            c.sqrtC2,
            c.eps,
          );
        }
      } else this.pool.adam(p.data, p.readyGrad(), m, v, s);
      p.clearGrad();
    }
  }

  /** Moments of every parameter and the step count, for checkpoints that resume exactly. */
  state(prefix: string): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const p of this.params) {
      const { m, v } = this.moments.get(p) as Moments;
      Object.assign(out, adamState(`${prefix}.${p.name}`, m, v, this.t));
    }
    return out;
  }

  /** Restores state(prefix); a checkpoint without optimizer state restarts the moments. */
  load(prefix: string, state: Record<string, Float32Array>): void {
    for (const p of this.params) {
      const { m, v } = this.moments.get(p) as Moments;
      const t = loadAdamState(`${prefix}.${p.name}`, state, m, v);
      if (t !== undefined) this.t = t;
    }
  }
}
