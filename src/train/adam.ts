/**
 * Adam (Kingma & Ba, 2015, Algorithm 1) over a flat Float32Array, as torch.optim.Adam computes
 * it: bias-corrected moments, eps added after the square root. Dense on purpose: the reference
 * LightGCN code uses dense Adam, so moments of rows outside the batch keep decaying.
 */
export interface AdamOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
}

/** Adam's moments and step count as named arrays of a checkpoint. */
export function adamState(
  prefix: string,
  m: Float32Array,
  v: Float32Array,
  t: number,
): Record<string, Float32Array> {
  return { [`${prefix}.m`]: m, [`${prefix}.v`]: v, [`${prefix}.t`]: Float32Array.of(t) };
}

/**
 * Copies adamState(prefix, ...)'s moments into m and v and returns the step count; undefined,
 * and nothing copied, for a checkpoint without optimizer state (e.g. best-epoch weights), which
 * restarts the moments.
 */
export function loadAdamState(
  prefix: string,
  state: Record<string, Float32Array>,
  m: Float32Array,
  v: Float32Array,
): number | undefined {
  const sm = state[`${prefix}.m`];
  const sv = state[`${prefix}.v`];
  const st = state[`${prefix}.t`];
  if (!sm || !sv || !st) return undefined;
  m.set(sm);
  v.set(sv);
  return st[0];
}

export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  /** the step size; a schedule changes it between epochs */
  lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(size: number, opts: AdamOptions) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
  }

  /** Moments and step count, for checkpoints that resume training exactly. */
  state(prefix: string): Record<string, Float32Array> {
    return adamState(prefix, this.m, this.v, this.t);
  }

  load(prefix: string, state: Record<string, Float32Array>): void {
    const t = loadAdamState(prefix, state, this.m, this.v);
    if (t !== undefined) this.t = t;
  }

  /** One step: params -= lr * m_hat / (sqrt(v_hat) + eps), with grad for every parameter. */
  step(params: Float32Array, grad: Float32Array): void {
    this.t++;
    const { m, v, beta1: b1, beta2: b2, eps } = this;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    const stepSize = this.lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      const mi = (m[i] = b1 * m[i] + (1 - b1) * g);
      const vi = (v[i] = b2 * v[i] + (1 - b2) * g * g);
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
    }
  }
}
