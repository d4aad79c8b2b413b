/**
 * A pool of threads that run the engine's kernels over one shared WebAssembly memory.
 *
 * `threads` counts the calling thread: a pool of T threads starts T - 1 workers, and the caller
 * runs the first share of each job itself while they run theirs, then waits (synchronously, with
 * Atomics.wait: Node allows it on the main thread) for them. So a product over the pool is an
 * ordinary synchronous call, usable inside a tfjs kernel, and T = 1 means no worker at all.
 *
 * Lifetime: `await Pool.create({ threads })` (or `new Pool(...)` then `await pool.ready()`);
 * `await pool.dispose()` when done. Workers are unref'd, so a pool that is never disposed does
 * not keep a process alive either: it exits when its own work is done.
 *
 * The caller blocks while a job runs (13 ms for a Gowalla SpMM on two cores): run pools from a
 * CLI process or a worker (the extension's training worker), never on the editor's own thread.
 *
 * Determinism: every output row is computed whole by one thread, in a fixed order, so results
 * are the same bits whatever the number of threads or how rows were split.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { WeightedCsr } from '../graph/types.js';
import { partitionByNnz, partitionListByNnz } from '../graph/partition.js';
import { transposeCsr } from '../graph/transpose.js';
import { SharedHeap } from './heap.js';
import { adamConstants, type AdamStep } from './kernels/adam.js';
import { jsKernels } from './kernels/jsKernels.js';
import type { HeapViews, KernelKind, Kernels } from './kernels/types.js';
import { heapViews } from './kernels/views.js';
import { wasmKernels } from './kernels/wasmKernels.js';
import {
  CTRL,
  ERROR_BYTES,
  HEADER,
  f32Bits,
  OP,
  runSlot,
  SLOT,
  slotView,
  takeError,
  type WorkerInit,
} from './protocol.js';
import { kernelsModule, wasmSimdSupported } from './wasm/module.js';
import { poolWorkerScript, spawnWorker } from './workerPath.js';

export interface PoolOptions {
  /** threads that compute, the caller included; default: the machine's cores */
  readonly threads?: number;
  /** 'wasm' (SIMD), 'js', or 'auto': wasm where the runtime supports it (default) */
  readonly kernels?: 'auto' | 'wasm' | 'js';
  /** starting size of the shared memory (it grows on demand), MiB */
  readonly initialMemoryMB?: number;
  /** worker script, when neither the source nor the bundle layout applies */
  readonly workerScript?: string;
  /**
   * Jobs smaller than this many multiply-adds run on the calling thread alone: waking a worker
   * costs tens of microseconds. Default 2^18.
   */
  readonly minParallelWork?: number;
}

/** A sparse matrix copied into a pool's memory, with its thread split cached. */
export interface DeviceCsr {
  readonly nRows: number;
  readonly nCols: number;
  readonly nnz: number;
  readonly rowPtr: number;
  readonly col: number;
  readonly val: number;
  /** row bounds per thread for this pool's thread count */
  readonly bounds: Int32Array;
  /** column bounds per thread, balanced by the non-zeros of each column (for scatters) */
  readonly colBounds: Int32Array;
}

/** Columns [col, col + dim) of an array whose rows are `ld` floats long (default: the whole row). */
export interface ColumnBlock {
  readonly ld?: number;
  readonly col?: number;
}

/** Rows per chunk of matmulTN's sum: the unit of its split between threads. */
export const GEMM_CHUNK = 2048;

/** Where a row-by-row gradient goes: out[rows[i]] (distinct rows) or out[i]; added or written. */
export interface RowOutput {
  readonly rows?: Int32Array;
  readonly accumulate?: boolean;
}

/** sumProdBack's options: where it writes, and whether the dSum term is left out. */
export interface SumProdBackOptions extends RowOutput {
  readonly productOnly?: boolean;
}

export class Pool {
  readonly threads: number;
  readonly kernelKind: KernelKind;
  readonly heap: SharedHeap;
  private readonly kernels: Kernels;
  private readonly views: () => HeapViews;
  private readonly ctrlBuf: SharedArrayBuffer;
  private readonly ctrl: Int32Array;
  private readonly errorBuf: Uint8Array;
  private readonly slots: Uint32Array[];
  private readonly workers: Worker[] = [];
  private readonly readyPromise: Promise<void>;
  private readonly minParallelWork: number;
  private readonly uploads = new WeakMap<WeightedCsr, DeviceCsr>();
  private readonly transposes = new WeakMap<WeightedCsr, WeightedCsr>();
  /** arrays upload() copied into the heap (not the caller's own heap arrays) */
  private readonly copies = new WeakMap<DeviceCsr, ArrayBufferView[]>();
  private started = false;
  private busy = false;
  private broken: string | undefined;
  private disposed = false;

  constructor(opts: PoolOptions = {}) {
    const threads = opts.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError(`threads must be a positive integer, got ${threads}`);
    this.threads = threads;
    const want = opts.kernels ?? 'auto';
    const wasm = want === 'wasm' || (want === 'auto' && wasmSimdSupported());
    if (want === 'wasm' && !wasmSimdSupported())
      throw new Error('WebAssembly SIMD is not supported by this runtime');
    this.heap = new SharedHeap({ initialBytes: (opts.initialMemoryMB ?? 16) * 1048576 });
    this.kernels = wasm ? wasmKernels(this.heap.memory) : jsKernels(this.heap.memory);
    this.kernelKind = this.kernels.kind;
    this.views = heapViews(this.heap.memory);
    this.minParallelWork = opts.minParallelWork ?? 1 << 18;
    this.ctrlBuf = new SharedArrayBuffer((HEADER + threads * SLOT) * 4);
    this.ctrl = new Int32Array(this.ctrlBuf);
    const errorShared = new SharedArrayBuffer(ERROR_BYTES);
    this.errorBuf = new Uint8Array(errorShared);
    this.slots = Array.from({ length: threads }, (_, t) => slotView(this.ctrlBuf, t));
    const script = poolWorkerScript(opts.workerScript);
    const ready: Promise<void>[] = [];
    for (let t = 1; t < threads; t++) {
      const init: WorkerInit = {
        reclabPool: true,
        index: t,
        memory: this.heap.memory,
        module: wasm ? kernelsModule() : undefined,
        ctrl: this.ctrlBuf,
        error: errorShared,
      };
      const w = spawnWorker(script, { workerData: init, name: `reclab-pool-${t}` });
      w.unref();
      this.workers.push(w);
      ready.push(
        new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', (e) =>
            reject(new Error(`pool worker ${t} failed to start from ${script.file}: ${e.message}`)),
          );
          w.once('exit', (code) =>
            reject(new Error(`pool worker ${t} exited (code ${code}) before it was ready`)),
          );
        }),
      );
      // after start-up, a dead worker would leave jobs waiting for it forever: remember why
      w.on('error', (e) => (this.broken ??= `pool worker ${t} failed: ${e.message}`));
      w.on('exit', () => {
        if (!this.disposed) this.broken ??= `pool worker ${t} exited`;
      });
    }
    this.readyPromise = Promise.all(ready).then(() => {
      this.started = true;
    });
    // a start-up failure is reported by ready(); do not let it surface as unhandled meanwhile
    this.readyPromise.catch(() => undefined);
    if (threads === 1) this.started = true;
  }

  /** A pool whose workers are up. */
  static async create(opts: PoolOptions = {}): Promise<Pool> {
    const pool = new Pool(opts);
    try {
      await pool.ready();
    } catch (e) {
      await pool.dispose();
      throw e;
    }
    return pool;
  }

  /** Resolves when every worker is up; rejects when one could not start. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  get isReady(): boolean {
    return this.started;
  }

  /** Stops the workers and drops the memory; the pool is unusable afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctrl, CTRL.QUIT, 1);
    Atomics.add(this.ctrl, CTRL.SEQ, 1);
    Atomics.notify(this.ctrl, CTRL.SEQ);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  // ---- memory -------------------------------------------------------------------------

  /**
   * A float32 array in the shared memory (zeroed unless `zero` is false, for arrays a kernel
   * overwrites whole): kernels read and write it in place.
   */
  allocF32(length: number, zero = true): Float32Array {
    return this.heap.allocF32(length, zero);
  }

  allocI32(length: number, zero = true): Int32Array {
    return this.heap.allocI32(length, zero);
  }

  /** Frees an array from allocF32/allocI32. */
  free(view: ArrayBufferView): void {
    this.heap.free(view);
  }

  /** A copy of `src` in the shared memory, or `src` itself when it already lives there. */
  shared<T extends Float32Array | Int32Array>(src: T): T {
    if (this.heap.owns(src)) return src;
    const copy = (
      src instanceof Float32Array
        ? this.allocF32(src.length, false)
        : this.allocI32(src.length, false)
    ) as T;
    copy.set(src);
    return copy;
  }

  /** Frees `view` if it is not `original` (the pair of shared()). */
  release(view: ArrayBufferView, original: ArrayBufferView): void {
    if (view !== original) this.free(view);
  }

  /**
   * The matrix in this pool's memory (copied once, then cached for as long as `m` lives).
   * The pool keeps reading the copy: to change `m` afterwards, call forget(m) first.
   */
  upload(m: WeightedCsr): DeviceCsr {
    let d = this.uploads.get(m);
    if (d) return d;
    const nnz = m.indptr[m.nRows];
    if (m.indptr[0] !== 0) throw new RangeError('CSR indptr must start at 0');
    if (m.indices.length < nnz || m.values.length < nnz)
      throw new RangeError(`CSR holds fewer than indptr[nRows] = ${nnz} entries`);
    for (let r = 0; r < m.nRows; r++)
      if (m.indptr[r + 1] < m.indptr[r]) throw new RangeError(`CSR indptr decreases at row ${r}`);
    // the kernels trust every index: check once here rather than on every product
    const colPtr = new Int32Array(m.nCols + 1);
    for (let p = 0; p < nnz; p++) {
      const c = m.indices[p];
      if (!(c >= 0 && c < m.nCols))
        throw new RangeError(`CSR entry ${p} has column ${c} outside [0, ${m.nCols})`);
      colPtr[c + 1]++;
    }
    for (let c = 0; c < m.nCols; c++) colPtr[c + 1] += colPtr[c];
    const sources = [m.indptr, m.indices.subarray(0, nnz), m.values.subarray(0, nnz)];
    const arrays = sources.map((a) => this.shared(a));
    const [rowPtr, col, val] = arrays;
    d = {
      nRows: m.nRows,
      nCols: m.nCols,
      nnz,
      rowPtr: rowPtr.byteOffset,
      col: col.byteOffset,
      val: val.byteOffset,
      bounds: partitionByNnz(m.indptr, this.threads),
      colBounds: partitionByNnz(colPtr, this.threads),
    };
    this.uploads.set(m, d);
    this.copies.set(
      d,
      arrays.filter((a, i) => a !== sources[i]),
    );
    return d;
  }

  /** Frees the copy of `m` made by upload(). */
  forget(m: WeightedCsr): void {
    const d = this.uploads.get(m);
    if (!d) return;
    this.uploads.delete(m);
    for (const a of this.copies.get(d) ?? []) this.free(a);
    this.copies.delete(d);
  }

  /** The transpose of `m`, built once and cached while `m` lives. */
  transposeOf(m: WeightedCsr): WeightedCsr {
    let t = this.transposes.get(m);
    if (!t) {
      t = transposeCsr(m);
      this.transposes.set(m, t);
    }
    return t;
  }

  // ---- kernels --------------------------------------------------------------------------

  /** y = A x (rows of y = rows of A); x [A.nCols x dim], y [A.nRows x dim], both pool arrays. */
  spmm(a: DeviceCsr, x: Float32Array, y: Float32Array, dim: number): void {
    this.checkDense(x, a.nCols, dim, 'x');
    this.checkDense(y, a.nRows, dim, 'y');
    const parallel = a.nnz * dim >= this.minParallelWork;
    this.run(parallel ? this.threads : 1, (t, s) => {
      const r0 = parallel ? a.bounds[t] : 0;
      const r1 = parallel ? a.bounds[t + 1] : a.nRows;
      s.set([OP.SPMM, a.rowPtr, a.col, a.val, x.byteOffset, y.byteOffset, dim, r0, r1]);
    });
  }

  /** y[k] = (A x)[rows[k]]: the product restricted to a list of rows; all pool arrays. */
  spmmRows(a: DeviceCsr, x: Float32Array, rows: Int32Array, y: Float32Array, dim: number): void {
    this.checkDense(x, a.nCols, dim, 'x');
    this.checkDense(y, rows.length, dim, 'y');
    this.checkRows(rows, a.nRows);
    const work = rows.length * dim * (a.nnz / Math.max(1, a.nRows));
    const parallel = work >= this.minParallelWork;
    const h = this.views();
    const bounds = parallel
      ? partitionListByNnz(
          h.i32.subarray(a.rowPtr >>> 2, (a.rowPtr >>> 2) + a.nRows + 1),
          rows,
          this.threads,
        )
      : undefined;
    this.run(parallel ? this.threads : 1, (t, s) => {
      const k0 = bounds ? bounds[t] : 0;
      const k1 = bounds ? bounds[t + 1] : rows.length;
      s.set([
        OP.SPMM_ROWS,
        a.rowPtr,
        a.col,
        a.val,
        x.byteOffset,
        y.byteOffset,
        dim,
        rows.byteOffset,
        k0,
        k1,
      ]);
    });
  }

  /**
   * out += A[rows]^T dy: every entry (rows[k], c) adds its weight times dy[k] into out[c], in
   * list order. Threads split the output rows (A's columns, balanced by non-zeros), each going
   * through the whole list, so every output row gets its additions in the same order from one
   * thread: the same bits for any number of threads.
   */
  scatterRows(
    a: DeviceCsr,
    dy: Float32Array,
    rows: Int32Array,
    out: Float32Array,
    dim: number,
  ): void {
    this.checkDense(dy, rows.length, dim, 'dy');
    this.checkDense(out, a.nCols, dim, 'out');
    this.checkRows(rows, a.nRows);
    const work = rows.length * dim * (a.nnz / Math.max(1, a.nRows));
    const parallel = work >= this.minParallelWork;
    this.run(parallel ? this.threads : 1, (t, s) => {
      const c0 = parallel ? a.colBounds[t] : 0;
      const c1 = parallel ? a.colBounds[t + 1] : a.nCols;
      s.set([
        OP.SCATTER_ROWS,
        a.rowPtr,
        a.col,
        a.val,
        dy.byteOffset,
        out.byteOffset,
        dim,
        rows.byteOffset,
        0,
        rows.length,
        c0,
        c1,
      ]);
    });
  }

  /**
   * Sets a pool array to zero, each thread clearing its own range (for the full-size gradient
   * buffers the GCN models clear every batch: 18 MB on Gowalla, a few ms on one thread).
   */
  zero(x: Float32Array): void {
    const n = x.length;
    this.checkDense(x, n, 1, 'x');
    if (n < this.minParallelWork) {
      x.fill(0);
      return;
    }
    const base = x.byteOffset >>> 2;
    this.runRanges(n, n, (i0, i1) => [OP.ZERO, base, i0, i1]);
  }

  /**
   * One step of dense Adam (as torch.optim.Adam: bias-corrected, eps after the square root), in
   * place: m and v (the moments, zero before step 1) and params are updated from grads, all
   * pool arrays of one length; `step.t` counts steps from 1. The elements are split in equal
   * ranges between the threads; the update is elementwise, so the bits are the same for any
   * number of threads, and the JS and WASM kernels give the same bits (float32 throughout).
   */
  adam(
    params: Float32Array,
    grads: Float32Array,
    m: Float32Array,
    v: Float32Array,
    step: AdamStep,
  ): void {
    const n = params.length;
    this.checkDense(params, n, 1, 'params');
    this.checkDense(grads, n, 1, 'grads');
    this.checkDense(m, n, 1, 'm');
    this.checkDense(v, n, 1, 'v');
    if (n >= 2 ** 30) throw new RangeError(`adam: ${n} elements, at most 2^30 - 1`);
    const c = adamConstants(step);
    const consts = [
      c.beta1,
      c.oneMinusBeta1,
      c.beta2,
      c.oneMinusBeta2,
      c.stepSize,
      c.sqrtC2,
      c.eps,
    ].map(f32Bits);
    // an element reads 4 floats and writes 3, with a square root and two divisions: count it
    // as 4 multiply-adds against minParallelWork
    this.runRanges(n, 4 * n, (i0, i1) => [
      OP.ADAM,
      params.byteOffset,
      grads.byteOffset,
      m.byteOffset,
      v.byteOffset,
      i0,
      i1,
      ...consts,
    ]);
  }

  // ---- the elementwise parts of a bilinear graph layer (NGCF's eq. 7) ------------------

  /**
   * x = [a + b | a ⊙ b] row by row (with addB false, [a | a ⊙ b]): a and b [r x dim],
   * x [r x 2 dim]; all pool arrays.
   */
  sumProd(a: Float32Array, b: Float32Array, x: Float32Array, dim: number, addB = true): void {
    const r = this.rowsOf(a, dim, 'a');
    this.checkDense(b, r, dim, 'b');
    this.checkDense(x, r, 2 * dim, 'x');
    this.runRows(r, r * dim, (r0, r1) => [
      OP.SUM_PROD,
      a.byteOffset,
      b.byteOffset,
      x.byteOffset,
      dim,
      r0,
      r1,
      addB ? 1 : 0,
    ]);
  }

  /**
   * The gradient of sumProd with respect to b, given a and dx = [dSum | dProd] ([r x 2 dim]):
   * dSum + dProd ⊙ a at each row i (dProd ⊙ a alone with productOnly: the gradient with
   * respect to a of sumProd without addB), written to out[i] (or out[rows[i]]: distinct rows),
   * or added there with `accumulate`. All pool arrays.
   */
  sumProdBack(
    dx: Float32Array,
    a: Float32Array,
    out: Float32Array,
    dim: number,
    opts: SumProdBackOptions = {},
  ): void {
    const r = this.rowsOf(a, dim, 'a');
    const { rows } = opts;
    this.checkDense(dx, r, 2 * dim, 'dx');
    const flags = this.rowOutput(out, r, dim, opts) | (opts.productOnly ? 4 : 0);
    this.runRows(r, r * dim, (r0, r1) => [
      OP.SUM_PROD_BACK,
      dx.byteOffset,
      a.byteOffset,
      out.byteOffset,
      rows?.byteOffset ?? 0,
      dim,
      r0,
      r1,
      flags,
    ]);
  }

  /** y = (x > 0 ? x : slope x) ⊙ mask (no mask: 1), elementwise; all pool arrays, y may be x. */
  leakyRelu(x: Float32Array, y: Float32Array, slope: number, mask?: Float32Array): void {
    const n = x.length;
    this.checkDense(y, n, 1, 'y');
    if (mask) this.checkDense(mask, n, 1, 'mask');
    this.checkDense(x, n, 1, 'x');
    const m = mask?.byteOffset ?? 0;
    const bits = f32Bits(slope);
    this.runRanges(n, n, (i0, i1) => [
      OP.LEAKY_RELU,
      x.byteOffset,
      m,
      y.byteOffset,
      i0,
      i1,
      bits,
      mask ? 1 : 0,
    ]);
  }

  /** The gradient of leakyRelu: g = (dy ⊙ mask) ⊙ (x > 0 ? 1 : slope); all pool arrays. */
  leakyReluBack(
    dy: Float32Array,
    x: Float32Array,
    g: Float32Array,
    slope: number,
    mask?: Float32Array,
  ): void {
    const n = x.length;
    this.checkDense(dy, n, 1, 'dy');
    this.checkDense(g, n, 1, 'g');
    if (mask) this.checkDense(mask, n, 1, 'mask');
    this.checkDense(x, n, 1, 'x');
    const m = mask?.byteOffset ?? 0;
    const bits = f32Bits(slope);
    this.runRanges(n, n, (i0, i1) => [
      OP.LEAKY_RELU_BACK,
      dy.byteOffset,
      m,
      x.byteOffset,
      g.byteOffset,
      i0,
      i1,
      bits,
      mask ? 1 : 0,
    ]);
  }

  /**
   * A dropout mask: each element 1 / (1 - rate) with probability 1 - rate (to within 2^-16),
   * else 0, from a hash of its index and the two 32-bit seeds, so the bits depend on the seeds
   * alone, not on the thread count. A pool array.
   */
  dropoutMask(m: Float32Array, rate: number, seeds: readonly [number, number]): void {
    const n = m.length;
    this.checkDense(m, n, 1, 'm');
    if (!(rate >= 0 && rate < 1))
      throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
    if (n >= 2 ** 30) throw new RangeError(`dropoutMask: ${n} elements, at most 2^30 - 1`);
    const keep = 1 - rate;
    const below = Math.round(keep * 65536);
    const scale = f32Bits(1 / keep);
    const [s0, s1] = seeds.map((x) => x >>> 0);
    // a hash is about 10 integer operations for 2 elements: count 4 per element
    this.runRanges(n, 4 * n, (i0, i1) => [
      OP.DROPOUT_MASK,
      m.byteOffset,
      i0,
      i1,
      s0,
      s1,
      below,
      scale,
    ]);
  }

  /**
   * y[k] = x[rows[k]] for each listed row ([n x dim] x), into columns [col, col + dim) of y,
   * whose rows are `ld` floats long (default: dim, a plain [rows x dim] array). Pool arrays.
   */
  gatherRows(
    x: Float32Array,
    rows: Int32Array,
    y: Float32Array,
    dim: number,
    block: ColumnBlock = {},
  ): void {
    this.checkRows(rows, this.rowsOf(x, dim, 'x'));
    const { ld, col } = this.checkBlock(y, rows.length, dim, block, 'y');
    this.runRows(rows.length, rows.length * dim, (k0, k1) => [
      OP.GATHER_ROWS,
      x.byteOffset,
      rows.byteOffset,
      y.byteOffset + 4 * col,
      dim,
      ld,
      k0,
      k1,
    ]);
  }

  /**
   * Each row of x ([r x dim]) divided by its length, x / sqrt(max(|x|^2, eps)) as
   * tf.math.l2_normalize, into columns [col, col + dim) of y (rows `ld` floats long).
   */
  normalizeRows(
    x: Float32Array,
    y: Float32Array,
    dim: number,
    eps: number,
    block: ColumnBlock = {},
  ): void {
    const r = this.rowsOf(x, dim, 'x');
    const { ld, col } = this.checkBlock(y, r, dim, block, 'y');
    const e = f32Bits(eps);
    this.runRows(r, r * dim, (r0, r1) => [
      OP.NORMALIZE_ROWS,
      x.byteOffset,
      y.byteOffset + 4 * col,
      dim,
      ld,
      r0,
      r1,
      e,
    ]);
  }

  /**
   * The gradient of normalizeRows with respect to x, given dy (the columns `block` of a wider
   * array): (dy - y (y . dy)) / |x| per row, with y = x / |x| (below eps, dy / sqrt(eps)),
   * written to out[i] (or out[rows[i]]: distinct rows), or added there with `accumulate`.
   */
  normalizeRowsBack(
    x: Float32Array,
    dy: Float32Array,
    out: Float32Array,
    dim: number,
    eps: number,
    opts: ColumnBlock & RowOutput = {},
  ): void {
    const r = this.rowsOf(x, dim, 'x');
    const { ld, col } = this.checkBlock(dy, r, dim, opts, 'dy');
    const { rows } = opts;
    const flags = this.rowOutput(out, r, dim, opts);
    const e = f32Bits(eps);
    this.runRows(r, r * dim, (r0, r1) => [
      OP.NORMALIZE_ROWS_BACK,
      x.byteOffset,
      dy.byteOffset + 4 * col,
      ld,
      out.byteOffset,
      rows?.byteOffset ?? 0,
      dim,
      r0,
      r1,
      e,
      flags,
    ]);
  }

  // ---- dense products ---------------------------------------------------------------------

  /**
   * c = a b (+ bias): a [m x k], b [k x n], c [m x n], bias [n]; all pool arrays. a and c may be
   * column blocks of wider arrays (blocks.a, blocks.c: rows of ld floats, from column col).
   * Threads split the rows of c; every entry is summed over k in order (see kernels/gemm.ts), so
   * the bits do not depend on the thread count.
   */
  matmul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    k: number,
    n: number,
    bias?: Float32Array,
    blocks: { readonly a?: ColumnBlock; readonly c?: ColumnBlock } = {},
  ): void {
    const lda = blocks.a?.ld ?? k;
    const m = this.rowsOf(a, lda, 'a');
    const ba = this.checkBlock(a, m, k, blocks.a ?? {}, 'a');
    const bc = this.checkBlock(c, m, n, blocks.c ?? {}, 'c');
    this.checkDense(b, k, n, 'b');
    if (bias) this.checkDense(bias, 1, n, 'bias');
    this.runRows(m, m * k * n, (m0, m1) => [
      OP.GEMM,
      a.byteOffset + 4 * ba.col,
      b.byteOffset,
      c.byteOffset + 4 * bc.col,
      k,
      n,
      m0,
      m1,
      bias?.byteOffset ?? 0,
      bias ? 1 : 0,
      ba.ld,
      bc.ld,
    ]);
  }

  /**
   * c = a^T b: a [r x m] (or a column block of a wider array: blocks.a), b [r x n], c [m x n];
   * all pool arrays. The sum over the r rows goes in fixed chunks of GEMM_CHUNK rows, each
   * chunk's product computed whole by one thread and the chunks added in order, so the bits do
   * not depend on the thread count either.
   */
  matmulTN(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    n: number,
    blocks: { readonly a?: ColumnBlock } = {},
  ): void {
    const r = this.rowsOf(a, blocks.a?.ld ?? m, 'a');
    const ba = this.checkBlock(a, r, m, blocks.a ?? {}, 'a');
    this.checkDense(b, r, n, 'b');
    this.checkDense(c, m, n, 'c');
    const chunks = Math.ceil(r / GEMM_CHUNK);
    if (chunks === 0) {
      c.fill(0);
      return;
    }
    const parts = this.allocF32(chunks * m * n, false);
    try {
      // threads take whole chunks
      this.runRows(chunks, r * m * n, (c0, c1) => [
        OP.GEMM_TN_CHUNKS,
        a.byteOffset + 4 * ba.col,
        b.byteOffset,
        parts.byteOffset,
        m,
        n,
        r,
        GEMM_CHUNK,
        c0,
        c1,
        ba.ld,
      ]);
      c.set(parts.subarray(0, m * n));
      for (let p = 1; p < chunks; p++) {
        const part = parts.subarray(p * m * n, (p + 1) * m * n);
        for (let j = 0; j < m * n; j++) c[j] += part[j];
      }
    } finally {
      this.free(parts);
    }
  }

  /**
   * An elementwise job over [0, n), `work` multiply-adds in all: one range per thread (or the
   * caller alone for small jobs), each a whole multiple of 16 floats so that, in heap arrays
   * (64-byte aligned), no two threads write the same cache line.
   */
  private runRanges(n: number, work: number, args: (i0: number, i1: number) => number[]): void {
    const threads = n > 0 && work >= this.minParallelWork ? this.threads : 1;
    const chunk = Math.ceil(n / threads / 16) * 16;
    this.run(threads, (t, s) => {
      const i0 = Math.min(n, t * chunk);
      s.set(args(i0, Math.min(n, i0 + chunk)));
    });
  }

  /**
   * A job over r rows (or other whole units), `work` multiply-adds in all: equal ranges of
   * rows per thread, or the caller alone for small jobs.
   */
  private runRows(r: number, work: number, args: (r0: number, r1: number) => number[]): void {
    const threads = work >= this.minParallelWork ? this.threads : 1;
    const per = Math.ceil(r / threads);
    this.run(threads, (t, s) => {
      const r0 = Math.min(r, t * per);
      s.set(args(r0, Math.min(r, r0 + per)));
    });
  }

  /**
   * Runs one job: fill(t, slot) writes thread t's arguments for t < active; other workers get
   * a no-op. The caller does slot 0. Throws the first failure of any thread.
   */
  run(active: number, fill: (t: number, slot: Uint32Array) => void): void {
    if (this.disposed) throw new Error('pool: used after dispose()');
    if (this.broken) throw new Error(`pool: ${this.broken}`);
    if (this.busy) throw new Error('pool: a job is already running (kernels are not re-entrant)');
    const n = Math.min(Math.max(1, active), this.threads);
    const wake = n > 1;
    if (wake && !this.started)
      throw new Error('pool: workers are not ready yet (await pool.ready() or Pool.create())');
    this.busy = true;
    try {
      for (let t = 0; t < (wake ? this.threads : 1); t++) {
        this.slots[t].fill(0);
        if (t < n) fill(t, this.slots[t]);
      }
      if (wake) {
        Atomics.store(this.ctrl, CTRL.PENDING, this.threads - 1);
        Atomics.add(this.ctrl, CTRL.SEQ, 1);
        Atomics.notify(this.ctrl, CTRL.SEQ);
      }
      let failure: unknown;
      try {
        runSlot(this.kernels, this.views, this.slots[0]);
      } catch (e) {
        failure = e;
      }
      if (wake) {
        for (
          let p = Atomics.load(this.ctrl, CTRL.PENDING);
          p !== 0;
          p = Atomics.load(this.ctrl, CTRL.PENDING)
        )
          Atomics.wait(this.ctrl, CTRL.PENDING, p);
      }
      if (failure !== undefined) throw failure;
      const workerFailure = takeError(this.ctrl, this.errorBuf);
      if (workerFailure !== undefined) throw new Error(`pool worker: ${workerFailure}`);
    } finally {
      this.busy = false;
    }
  }

  /** Heap views for drivers that prepare data in place. */
  heapViews(): HeapViews {
    return this.views();
  }

  private checkDense(a: Float32Array, rows: number, dim: number, name: string): void {
    if (!Number.isInteger(dim) || dim < 1)
      throw new RangeError(`dim must be a positive integer, got ${dim}`);
    if (!this.heap.owns(a))
      throw new Error(`${name} must live in the pool's memory (allocF32 or shared())`);
    if (a.length !== rows * dim)
      throw new RangeError(`${name} has ${a.length} values, expected ${rows} x ${dim}`);
    if (a.byteOffset % 4 !== 0) throw new RangeError(`${name} is not 4-byte aligned`);
  }

  /** The rows of a pool array of `dim` columns (checked as checkDense does). */
  private rowsOf(a: Float32Array, dim: number, name: string): number {
    const r = Math.floor(a.length / dim);
    this.checkDense(a, r, dim, name);
    return r;
  }

  /** The row length and first column of a column block of y, [r x ld], checked. */
  private checkBlock(
    y: Float32Array,
    r: number,
    dim: number,
    block: ColumnBlock,
    name: string,
  ): { ld: number; col: number } {
    const { ld = dim, col = 0 } = block;
    if (!(Number.isInteger(col) && col >= 0 && Number.isInteger(ld) && col + dim <= ld))
      throw new RangeError(`${name}: columns [${col}, ${col + dim}) do not fit rows of ${ld}`);
    this.checkDense(y, r, ld, name);
    return { ld, col };
  }

  /**
   * Checks where a row-by-row job over r rows writes (out[i], or out[rows[i]] for distinct
   * listed rows) and returns the kernels' flags: bit 0 listed rows, bit 1 accumulate.
   */
  private rowOutput(out: Float32Array, r: number, dim: number, opts: RowOutput): number {
    const { rows } = opts;
    if (rows) {
      if (rows.length !== r) throw new RangeError(`rows has ${rows.length} entries, for ${r} rows`);
      this.checkDistinctRows(rows, this.rowsOf(out, dim, 'out'));
    } else this.checkDense(out, r, dim, 'out');
    return (rows ? 1 : 0) | (opts.accumulate ? 2 : 0);
  }

  /** Rows in range and distinct: threads split the list, and two equal rows would race. */
  private checkDistinctRows(rows: Int32Array, nRows: number): void {
    this.checkRows(rows, nRows);
    const seen = new Uint8Array(nRows);
    for (let k = 0; k < rows.length; k++) {
      if (seen[rows[k]]) throw new RangeError(`rows[${k}] = ${rows[k]} is listed twice`);
      seen[rows[k]] = 1;
    }
  }

  private checkRows(rows: Int32Array, nRows: number): void {
    if (!this.heap.owns(rows))
      throw new Error("rows must live in the pool's memory (allocI32 or shared())");
    for (let k = 0; k < rows.length; k++)
      if (!(rows[k] >= 0 && rows[k] < nRows))
        throw new RangeError(`rows[${k}] = ${rows[k]} outside [0, ${nRows})`);
  }
}
