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
 *
 * This class starts the threads, owns the memory and runs jobs (run()); each kernel lives in its
 * own file under ./poolKernels/, with its argument checks, its split between the threads and
 * how a thread decodes its slot, and the methods below only delegate to them. To add a kernel:
 *   1. the computation, twice: an export in ./wasm/kernels.wat (then run
 *      scripts/build-wasm.mjs) and its JS twin in ./kernels/, declared in ./kernels/types.ts
 *      (Kernels) and wired in ./kernels/jsKernels.ts and ./kernels/wasmKernels.ts;
 *   2. an op code in ./protocol.ts (OP);
 *   3. ./poolKernels/<name>.ts: the job function (checks, split, slot words) and its SlotOp;
 *   4. that SlotOp in ./poolKernels/registry.ts's list (loading it checks every OP has one);
 *   5. a one-line method here delegating to the job function, if callers want pool.<name>().
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { WeightedCsr } from '../graph/types.js';
import { partitionByNnz } from '../graph/partition.js';
import { transposeCsr } from '../graph/transpose.js';
import { SharedHeap } from './heap.js';
import { jsKernels } from './kernels/jsKernels.js';
import type { HeapViews, KernelKind, Kernels } from './kernels/types.js';
import { heapViews } from './kernels/views.js';
import { wasmKernels } from './kernels/wasmKernels.js';
import { adam } from './poolKernels/adam.js';
import type { ColumnBlock, RowOutput } from './poolKernels/checks.js';
import { dropoutMask } from './poolKernels/dropoutMask.js';
import { edgeAdd } from './poolKernels/edgeAdd.js';
import { edgeDots } from './poolKernels/edgeDots.js';
import { uploadEdgeRows, type EdgeRows } from './poolKernels/edgeRows.js';
import { edgeSoftmax } from './poolKernels/edgeSoftmax.js';
import { edgeSoftmaxBack } from './poolKernels/edgeSoftmaxBack.js';
import { edgeSpmm } from './poolKernels/edgeSpmm.js';
import { ewBinary, ewGradB, type EwOp } from './poolKernels/ewBinary.js';
import { gatherRows } from './poolKernels/gatherRows.js';
import type { DeviceCsr, PoolJob } from './poolKernels/job.js';
import { leakyRelu } from './poolKernels/leakyRelu.js';
import { leakyReluBack } from './poolKernels/leakyReluBack.js';
import { matmul } from './poolKernels/matmul.js';
import { matmulTN } from './poolKernels/matmulTN.js';
import { normalizeRows } from './poolKernels/normalizeRows.js';
import { normalizeRowsBack } from './poolKernels/normalizeRowsBack.js';
import { runSlot } from './poolKernels/registry.js';
import { softmaxXent, softmaxXentBack } from './poolKernels/softmaxXent.js';
import { transpose } from './poolKernels/transpose.js';
import { scatterRows } from './poolKernels/scatterRows.js';
import { sgns, type SgnsBlock, type SgnsResult, type SgnsTables } from './poolKernels/sgns.js';
import { spmm } from './poolKernels/spmm.js';
import { spmmRows } from './poolKernels/spmmRows.js';
import { squash } from './poolKernels/squash.js';
import { squashBack } from './poolKernels/squashBack.js';
import { lwsBackward, lwsForward } from './poolKernels/lws.js';
import { scaleRows } from './poolKernels/scaleRows.js';
import { dropNormalize, dropNormalizeBack } from './poolKernels/dropNormalize.js';
import { sumProd } from './poolKernels/sumProd.js';
import { sumProdBack, type SumProdBackOptions } from './poolKernels/sumProdBack.js';
import { zero } from './poolKernels/zero.js';
import {
  CTRL,
  ERROR_BYTES,
  HEADER,
  SLOT,
  slotView,
  takeError,
  type WorkerInit,
} from './protocol.js';
import { kernelsModule, wasmSimdSupported } from './wasm/module.js';
import { poolWorkerScript, spawnWorker } from './workerPath.js';

export type {
  ColumnBlock,
  DeviceCsr,
  EdgeRows,
  EwOp,
  RowOutput,
  SgnsBlock,
  SgnsResult,
  SgnsTables,
  SumProdBackOptions,
};

/** A job function's arguments after the pool: the signature of the method delegating to it. */
type JobArgs<F> = F extends (pool: PoolJob, ...args: infer A) => void ? A : never;
export { GEMM_CHUNK } from './poolKernels/matmulTN.js';

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

/** Atomics.load polls (about 0.1-0.3 ms) the caller makes before it sleeps on a job's end. */
const CALLER_SPIN = 100_000;

export class Pool implements PoolJob {
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
  readonly minParallelWork: number;
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

  // ---- kernels (each in ./poolKernels/<name>.ts) ------------------------------------------

  /** y = A x (rows of y = rows of A); x [A.nCols x dim], y [A.nRows x dim], both pool arrays. */
  spmm(...args: JobArgs<typeof spmm>): void {
    spmm(this, ...args);
  }

  /** y[k] = (A x)[rows[k]]: the product restricted to a list of rows; all pool arrays. */
  spmmRows(...args: JobArgs<typeof spmmRows>): void {
    spmmRows(this, ...args);
  }

  /**
   * out += A[rows]^T dy: every entry (rows[k], c) adds its weight times dy[k] into out[c], in
   * list order. Threads split the output rows (A's columns, balanced by non-zeros), each going
   * through the whole list, so every output row gets its additions in the same order from one
   * thread: the same bits for any number of threads.
   */
  scatterRows(...args: JobArgs<typeof scatterRows>): void {
    scatterRows(this, ...args);
  }

  /**
   * Sets a pool array to zero, each thread clearing its own range (for the full-size gradient
   * buffers the GCN models clear every batch: 18 MB on Gowalla, a few ms on one thread).
   */
  zero(...args: JobArgs<typeof zero>): void {
    zero(this, ...args);
  }

  /**
   * One step of dense Adam (as torch.optim.Adam: bias-corrected, eps after the square root), in
   * place: m and v (the moments, zero before step 1) and params are updated from grads, all
   * pool arrays of one length; `step.t` counts steps from 1. The elements are split in equal
   * ranges between the threads; the update is elementwise, so the bits are the same for any
   * number of threads, and the JS and WASM kernels give the same bits (float32 throughout).
   */
  adam(...args: JobArgs<typeof adam>): void {
    adam(this, ...args);
  }

  // ---- the elementwise parts of a bilinear graph layer (NGCF's eq. 7) ------------------

  /**
   * x = [a + b | a ⊙ b] row by row (with addB false, [a | a ⊙ b]): a and b [r x dim],
   * x [r x 2 dim]; all pool arrays.
   */
  sumProd(...args: JobArgs<typeof sumProd>): void {
    sumProd(this, ...args);
  }

  /**
   * The gradient of sumProd with respect to b, given a and dx = [dSum | dProd] ([r x 2 dim]):
   * dSum + dProd ⊙ a at each row i (dProd ⊙ a alone with productOnly: the gradient with
   * respect to a of sumProd without addB), written to out[i] (or out[rows[i]]: distinct rows),
   * or added there with `accumulate`. All pool arrays.
   */
  sumProdBack(...args: JobArgs<typeof sumProdBack>): void {
    sumProdBack(this, ...args);
  }

  /** y = (x > 0 ? x : slope x) ⊙ mask (no mask: 1), elementwise; all pool arrays, y may be x. */
  leakyRelu(...args: JobArgs<typeof leakyRelu>): void {
    leakyRelu(this, ...args);
  }

  /** The gradient of leakyRelu: g = (dy ⊙ mask) ⊙ (x > 0 ? 1 : slope); all pool arrays. */
  leakyReluBack(...args: JobArgs<typeof leakyReluBack>): void {
    leakyReluBack(this, ...args);
  }

  /**
   * A dropout mask: each element 1 / (1 - rate) with probability 1 - rate (to within 2^-16),
   * else 0, from a hash of its index and the two 32-bit seeds, so the bits depend on the seeds
   * alone, not on the thread count. A pool array.
   */
  dropoutMask(...args: JobArgs<typeof dropoutMask>): void {
    dropoutMask(this, ...args);
  }

  /**
   * y[k] = x[rows[k]] for each listed row ([n x dim] x), into columns [col, col + dim) of y,
   * whose rows are `ld` floats long (default: dim, a plain [rows x dim] array). Pool arrays.
   */
  gatherRows(...args: JobArgs<typeof gatherRows>): void {
    gatherRows(this, ...args);
  }

  /**
   * Each row of x ([r x dim]) divided by its length, x / sqrt(max(|x|^2, eps)) as
   * tf.math.l2_normalize, into columns [col, col + dim) of y (rows `ld` floats long).
   */
  normalizeRows(...args: JobArgs<typeof normalizeRows>): void {
    normalizeRows(this, ...args);
  }

  /**
   * The gradient of normalizeRows with respect to x, given dy (the columns `block` of a wider
   * array): (dy - y (y . dy)) / |x| per row, with y = x / |x| (below eps, dy / sqrt(eps)),
   * written to out[i] (or out[rows[i]]: distinct rows), or added there with `accumulate`.
   */
  normalizeRowsBack(...args: JobArgs<typeof normalizeRowsBack>): void {
    normalizeRowsBack(this, ...args);
  }

  /** y = squash(x) row by row: x |x| / (1 + |x|^2), VRKG4Rec's NORM (capsule networks). */
  squash(...args: JobArgs<typeof squash>): void {
    squash(this, ...args);
  }

  /** The gradient of squash with respect to x, given dy: written to out, or added with `accumulate`. */
  squashBack(...args: JobArgs<typeof squashBack>): void {
    squashBack(this, ...args);
  }

  /** Dropout then L2 normalisation row by row (message dropout before F.normalize); see poolKernels/dropNormalize.ts. */
  dropNormalize(...args: JobArgs<typeof dropNormalize>): void {
    dropNormalize(this, ...args);
  }

  /** The gradient of dropNormalize. */
  dropNormalizeBack(...args: JobArgs<typeof dropNormalizeBack>): void {
    dropNormalizeBack(this, ...args);
  }

  /** g (+)= w x row by row in float64 rounded once (the JS loops' bits); see poolKernels/scaleRows.ts. */
  scaleRows(...args: JobArgs<typeof scaleRows>): void {
    scaleRows(this, ...args);
  }

  /** Local weighted smoothing (VRKG4Rec) fused per row over a graph's rows; see poolKernels/lws.ts. */
  lwsForward(...args: JobArgs<typeof lwsForward>): void {
    lwsForward(this, ...args);
  }

  /** The gradient of lwsForward: per-edge weight and message gradients, residual gradients. */
  lwsBackward(...args: JobArgs<typeof lwsBackward>): void {
    lwsBackward(this, ...args);
  }

  // ---- dense products ---------------------------------------------------------------------

  /**
   * c = a b (+ bias): a [m x k], b [k x n], c [m x n], bias [n]; all pool arrays. a and c may be
   * column blocks of wider arrays (blocks.a, blocks.c: rows of ld floats, from column col).
   * Threads split the rows of c; every entry is summed over k in order (see kernels/gemm.ts), so
   * the bits do not depend on the thread count.
   */
  matmul(...args: JobArgs<typeof matmul>): void {
    matmul(this, ...args);
  }

  /**
   * c = a^T b: a [r x m] (or a column block of a wider array: blocks.a), b [r x n], c [m x n];
   * all pool arrays. The sum over the r rows goes in fixed chunks of GEMM_CHUNK rows, each
   * chunk's product computed whole by one thread and the chunks added in order, so the bits do
   * not depend on the thread count either.
   */
  matmulTN(...args: JobArgs<typeof matmulTN>): void {
    matmulTN(this, ...args);
  }

  /**
   * z = a op b (add, sub, mul; added into z with `accumulate`), [rows x cols], b of a's shape or
   * one row or one column broadcast; all pool arrays, z may be a or b. Elementwise: the same
   * bits for any split, and as the JS twin.
   */
  ewBinary(...args: JobArgs<typeof ewBinary>): void {
    ewBinary(this, ...args);
  }

  /**
   * The gradient of ewBinary with respect to a broadcast b (a row, or a column with `column`):
   * each of b's elements gets the sum, in order, of dz * a (mul), dz (add) or -dz (sub) over
   * the elements it met; written to g, or added with `accumulate`.
   */
  ewGradB(...args: JobArgs<typeof ewGradB>): void {
    ewGradB(this, ...args);
  }

  /**
   * Softmax cross-entropy's forward over rows of logits x [r x cols]: e = exp(x - the row's
   * max), stats [r x 2] = (max, sum of e). Row by row: the same bits for any split.
   */
  softmaxXent(...args: JobArgs<typeof softmaxXent>): void {
    softmaxXent(this, ...args);
  }

  /** Its gradient: dx (+)= g (e / sum - onehot(target)) per row; all pool arrays. */
  softmaxXentBack(...args: JobArgs<typeof softmaxXentBack>): void {
    softmaxXentBack(this, ...args);
  }

  /** d = s^T: s [rows x cols] -> d [cols x rows], pool arrays; threads split s's rows. */
  transpose(...args: JobArgs<typeof transpose>): void {
    transpose(this, ...args);
  }

  // ---- message passing over a fixed graph (GAT's attention) ------------------------------

  /**
   * A graph's rows in this pool's memory for the edge kernels, checked once: row r's entries
   * [indptr[r], indptr[r+1]) point at rows `other` of [nOther x .] features, through edge
   * edgeAt[p] (a transposed order) or edge p itself. Freed with the pool.
   */
  uploadEdgeRows(...args: JobArgs<typeof uploadEdgeRows>): EdgeRows {
    return uploadEdgeRows(this, ...args);
  }

  /**
   * out[r, head h] = sum over row r's entries of w[edge, h] x[other, head h] (added to out with
   * `accumulate`): w [nnz x heads], x [nOther x C], out [nRows x C]; pool arrays. Threads
   * split the rows; each output element is summed in entry order by one thread.
   */
  edgeSpmm(...args: JobArgs<typeof edgeSpmm>): void {
    edgeSpmm(this, ...args);
  }

  /** e[k, h] = <x[v, head h], y[u, head h]> per edge k = (u -> v) (added to e with `add`). */
  edgeDots(...args: JobArgs<typeof edgeDots>): void {
    edgeDots(this, ...args);
  }

  /** e[k, h] = d[v, h] + s[u, h] per edge k = (u -> v). */
  edgeAdd(...args: JobArgs<typeof edgeAdd>): void {
    edgeAdd(this, ...args);
  }

  /** a = the softmax of e over each row's edges, per head (shifted by the row's maximum). */
  edgeSoftmax(...args: JobArgs<typeof edgeSoftmax>): void {
    edgeSoftmax(this, ...args);
  }

  /** de = a (da - sum over the row of a da), per head (added to de with `accumulate`). */
  edgeSoftmaxBack(...args: JobArgs<typeof edgeSoftmaxBack>): void {
    edgeSoftmaxBack(this, ...args);
  }

  /**
   * word2vec's skip-gram SGD over a block of walks, in place on the tables: on the calling
   * thread alone ('deterministic', the same bits for any pool size) or on every thread at once
   * without locks ('hogwild', not reproducible bit for bit). Returns the pairs' loss and count.
   */
  sgns(...args: JobArgs<typeof sgns>): SgnsResult {
    return sgns(this, ...args);
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
        // a short spin before sleeping: the workers' halves of a small kernel end within tens
        // of microseconds of the caller's, and a thread woken from Atomics.wait may resume on
        // the other core, away from its caches (VRKG4Rec's steps, ~100 kernels each: 0.5 ms)
        for (let k = 0; k < CALLER_SPIN && Atomics.load(this.ctrl, CTRL.PENDING) !== 0; k++);
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
}
