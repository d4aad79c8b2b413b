/**
 * Reverse-mode automatic differentiation over the engine's kernels.
 *
 * A step builds its forward pass by calling ops (./ops/*.ts) on tensors; each op computes its
 * output with the pool's kernels (or a plain loop where no kernel pays) and, when a gradient
 * must flow back, records a backward closure. backward(loss) runs the closures in reverse
 * creation order on the calling thread, each of which may start pool jobs: the order of every
 * floating-point addition is fixed by the program, so gradients are the same bits for any
 * number of threads (the pool's guarantee, kept op by op).
 *
 * Memory: every output and gradient buffer comes from an arena that reset() rewinds. A model's
 * step allocates the same sequence of buffers every time (same graph, same shapes, batches no
 * larger than the first), so after the first step nothing is allocated; a larger request only
 * replaces that one slot. Gradients of intermediate values are zeroed on their first use by an
 * op that adds into them; ops that can write instead of add (gradTarget().fresh) skip the
 * zeroing. Parameters keep their own gradient buffers (./param.ts).
 *
 * Row-sparse contributions run last: an op that adds into a few rows of x's gradient (gather's
 * backward) records with recordAfter(x, ...), which runs it right before x's own producer, after
 * every other consumer of x. A dense consumer (an SpMM's backward) then writes x's gradient
 * fresh, with no zeroing of the full buffer and no temporary to add from, and the rows are added
 * on top: what a hand-fused LightGCN backward does, without the model ordering its forward.
 */
import type { Pool } from '../pool.js';
import type { Param } from './param.js';
import { Tensor } from './tensor.js';

type Backward = () => void;

/** Arena slots grow to this factor of the request, so batches of varying size settle quickly. */
const HEADROOM = 1.25;

class Arena<T extends Float32Array | Int32Array> {
  private readonly slots: T[] = [];
  private cursor = 0;
  constructor(private readonly alloc: (n: number) => T) {}

  /** A buffer of n elements, contents undefined (whatever the slot last held). */
  take(n: number, free: (b: T) => void): T {
    let slot = this.slots[this.cursor];
    if (!slot || slot.length < n) {
      if (slot) free(slot);
      slot = this.alloc(Math.max(16, Math.ceil(n * HEADROOM)));
      this.slots[this.cursor] = slot;
    }
    this.cursor++;
    return slot.subarray(0, n) as T;
  }

  rewind(): void {
    this.cursor = 0;
  }

  /** Floats (or ints) held, for memory reports. */
  held(): number {
    return this.slots.reduce((s, b) => s + b.length, 0);
  }

  release(free: (b: T) => void): void {
    for (const s of this.slots) free(s);
    this.slots.length = 0;
    this.cursor = 0;
  }
}

export class Tape {
  private readonly f32: Arena<Float32Array>;
  private readonly i32: Arena<Int32Array>;
  private readonly backwards: Backward[] = [];
  /** recordAfter's backwards, each to run right before backwards[at] (after it all, at -1) */
  private readonly late: { at: number; run: Backward }[] = [];
  /**
   * Where recordAfter(x) runs, per tensor of this step: right before its producer's backward
   * (the producer's index), or for a leaf, after every op recorded after it (that index - 1)
   */
  private readonly lateAt = new Map<Tensor, number>();
  /** outputs made since the last record(): the next record() is their producer's */
  private readonly unrecorded: Tensor[] = [];
  /** tensors whose grad was handed out this step: their grad is cleared at reset() */
  private readonly withGrad: Tensor[] = [];
  private params = new Set<Param>();
  private ran = false;

  constructor(readonly pool: Pool) {
    this.f32 = new Arena((n) => pool.allocF32(n, false));
    this.i32 = new Arena((n) => pool.allocI32(n, false));
  }

  /** Starts a new step: forgets the recorded ops and rewinds the arena. */
  reset(): void {
    this.backwards.length = 0;
    this.late.length = 0;
    this.lateAt.clear();
    this.unrecorded.length = 0;
    for (const t of this.withGrad) t.grad = undefined;
    this.withGrad.length = 0;
    this.params.clear();
    this.f32.rewind();
    this.i32.rewind();
    this.ran = false;
  }

  /** A float buffer from the arena, valid until the next reset(); contents undefined. */
  buffer(n: number): Float32Array {
    return this.f32.take(n, (b) => this.pool.free(b));
  }

  /** Indices copied into the pool's memory (kernels read them there), valid until reset(). */
  indices(src: ArrayLike<number>): Int32Array {
    const out = this.i32.take(src.length, (b) => this.pool.free(b));
    if (src instanceof Int32Array) out.set(src);
    else for (let k = 0; k < src.length; k++) out[k] = src[k];
    return out;
  }

  /** An int buffer from the arena (an op's saved argmax), valid until reset(); contents undefined. */
  intBuffer(n: number): Int32Array {
    return this.i32.take(n, (b) => this.pool.free(b));
  }

  /** A fresh output tensor of an op; requiresGrad when any input does. */
  output(rows: number, cols: number, inputs: readonly Tensor[]): Tensor {
    const requires = inputs.some((x) => x.requiresGrad);
    const y = new Tensor(this.buffer(rows * cols), rows, cols, requires);
    if (requires) this.unrecorded.push(y);
    return y;
  }

  /** A constant (no gradient): data copied into the arena. */
  constant(data: ArrayLike<number>, rows: number, cols: number): Tensor {
    if (data.length !== rows * cols)
      throw new RangeError(`constant has ${data.length} values, not ${rows} x ${cols}`);
    const t = new Tensor(this.buffer(rows * cols), rows, cols, false);
    t.data.set(data);
    return t;
  }

  /** A leaf over pool memory the caller keeps (an input batch, a fixed feature matrix). */
  input(data: Float32Array, rows: number, cols: number, requiresGrad = false): Tensor {
    return this.leaf(new Tensor(data, rows, cols, requiresGrad));
  }

  /** The parameter as a leaf: its gradient accumulates into param.grad. */
  param(p: Param): Tensor {
    this.params.add(p);
    const t = this.leaf(new Tensor(p.data, p.rows, p.cols, true, p));
    t.grad = p.grad;
    return t;
  }

  /** Notes a leaf's place for recordAfter: after every op recorded from now on. */
  private leaf(x: Tensor): Tensor {
    this.lateAt.set(x, this.backwards.length - 1);
    return x;
  }

  /**
   * Records an op's backward; ops call it right after making their output, only when it
   * requires a gradient.
   */
  record(backward: Backward): void {
    if (this.ran) throw new Error('the tape already ran backward: reset() before the next step');
    for (const y of this.unrecorded) this.lateAt.set(y, this.backwards.length);
    this.unrecorded.length = 0;
    this.backwards.push(backward);
  }

  /**
   * Records a backward that only adds into x's gradient (from its op's output gradient, which
   * is complete by then): it runs right before the backward of the op that made x, after every
   * other consumer of x, as if recorded when x was made. For row-sparse additions (gather), so
   * that x's dense consumers write its gradient fresh first. Tensors made outside this tape
   * count as leaves made before the step. An op that also records a backward with record()
   * calls that first.
   */
  recordAfter(x: Tensor, backward: Backward): void {
    if (this.ran) throw new Error('the tape already ran backward: reset() before the next step');
    const at = this.lateAt.get(x) ?? -1;
    // the op's output, when it records nothing else, counts as a leaf made now: whatever adds
    // to its gradient runs before this
    for (const y of this.unrecorded) this.lateAt.set(y, this.backwards.length - 1);
    this.unrecorded.length = 0;
    this.late.push({ at, run: backward });
  }

  /**
   * Where an op adds x's gradient: undefined when x needs none. An intermediate's buffer is
   * zeroed at its first use; a parameter's is marked as written in full (see gradRows for the
   * row-sparse case).
   */
  grad(x: Tensor): Float32Array | undefined {
    if (!x.requiresGrad) return undefined;
    if (x.param) {
      x.param.touchAll();
      return x.param.grad;
    }
    if (!x.grad) {
      const g = this.buffer(x.size);
      this.pool.zero(g);
      x.grad = g;
      this.withGrad.push(x);
    }
    return x.grad;
  }

  /**
   * Where an op puts x's gradient when it can either write or add: `fresh` means the buffer
   * holds nothing yet and the op must write every element (no zeroing was done). A parameter's
   * buffer is fresh when no op added into it yet this step (Param.claimWrite).
   */
  gradTarget(x: Tensor): { g: Float32Array; fresh: boolean } | undefined {
    if (!x.requiresGrad) return undefined;
    if (x.param) return { g: x.param.grad, fresh: x.param.claimWrite() };
    if (x.grad) return { g: x.grad, fresh: false };
    const g = this.buffer(x.size);
    x.grad = g;
    this.withGrad.push(x);
    return { g, fresh: true };
  }

  /**
   * x's gradient buffer for an op that adds only into the listed rows (gather's backward): a
   * parameter records the rows (row-sparse), an intermediate is zeroed in full first.
   */
  gradRows(x: Tensor, rows: Int32Array): Float32Array | undefined {
    if (!x.requiresGrad) return undefined;
    if (x.param) {
      x.param.touchRows(rows);
      return x.param.grad;
    }
    return this.grad(x);
  }

  /**
   * Runs the recorded backwards from `loss`, seeded with dLoss/dLoss = 1 (or `seed`, of the
   * output's shape, for a vector-Jacobian product).
   */
  backward(loss: Tensor, seed?: ArrayLike<number>): void {
    if (this.ran) throw new Error('backward() ran already on this step');
    if (!seed && loss.size !== 1)
      throw new RangeError(`backward() from a ${loss.shape} tensor needs a seed`);
    if (seed && seed.length !== loss.size)
      throw new RangeError(`seed of ${seed.length} values for a ${loss.shape} tensor`);
    this.ran = true;
    if (!loss.requiresGrad) return;
    const g = this.grad(loss) as Float32Array;
    if (seed) for (let k = 0; k < seed.length; k++) g[k] += seed[k];
    else g[0] += 1;
    // reverse creation order, each late backward right before backwards[at] (several at one
    // place in reverse order of recording: the sort is stable)
    const late = this.late.sort((a, b) => a.at - b.at);
    let j = late.length - 1;
    for (let k = this.backwards.length - 1; k >= 0; k--) {
      while (j >= 0 && late[j].at >= k) late[j--].run();
      this.backwards[k]();
    }
    while (j >= 0) late[j--].run();
  }

  /** Parameters read this step (what the optimizer updates). */
  usedParams(): Param[] {
    return [...this.params];
  }

  /** Arena floats held, for memory reports and the benchmark. */
  heldFloats(): number {
    return this.f32.held();
  }

  /** Frees the arena's buffers (parameters are freed by their owner). */
  dispose(): void {
    this.reset();
    this.f32.release((b) => this.pool.free(b));
    this.i32.release((b) => this.pool.free(b));
  }
}
