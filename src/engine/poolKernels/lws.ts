/**
 * Pool kernels lwsForward and lwsBackward: local weighted smoothing fused row by row over a
 * graph's rows in their own CSR order (src/engine/kernels/lws.ts has the equations and the
 * arguments). Threads take the graph's cached row ranges (balanced by edges), each with its own
 * scratch rows in the backward; every row is computed whole by one thread, so the bits do not
 * depend on the split.
 */
import { OP } from '../protocol.js';
import { LWS_ADD_DRES, LWS_ADD_DW, LWS_COMPOUND } from '../kernels/lws.js';
import type { SharedHeap } from '../heap.js';
import { checkDense } from './checks.js';
import type { EdgeRows } from './edgeRows.js';
import { wordsRunner, type PoolJob, type SlotOp } from './job.js';

export const lwsForwardSlot: SlotOp = {
  op: OP.LWS_FORWARD,
  run: wordsRunner((k) => k.lwsForward as (...words: number[]) => void, 14),
};

export const lwsBackwardSlot: SlotOp = {
  op: OP.LWS_BACKWARD,
  run: wordsRunner((k) => k.lwsBackward as (...words: number[]) => void, 19),
};

/** What both passes read: the graph (its own order), its weights and sources. */
export interface LwsInputs {
  readonly rows: EdgeRows;
  /** per-edge weights [nnz] */
  readonly w: Float32Array;
  /** source rows [nOther x dim] */
  readonly x: Float32Array;
  readonly dim: number;
  /** iterations Q >= 1 */
  readonly iterations: number;
  /** the weights compound (c_q = c_{q-1}^2 d_q) */
  readonly compound: boolean;
}

/** What the forward keeps for the backward: m_0 .. m_{Q-2} and u_1 .. u_{Q-1} per row, (d, c) per edge and step. */
export interface LwsSaved {
  /** [nRows x x dim] (at least one float) */
  readonly m: Float32Array;
  /** [nRows x x dim] (at least one float) */
  readonly u: Float32Array;
  /** [nnz x x 2] (at least one float) */
  readonly edges: Float32Array;
}

/** The lengths of the saved arrays for these inputs (at least 1, so they can be allocated). */
export function lwsSavedLengths(
  rows: EdgeRows,
  dim: number,
  iterations: number,
): { m: number; edges: number } {
  const P = iterations - 1;
  return { m: Math.max(1, rows.nRows * P * dim), edges: Math.max(1, rows.nnz * P * 2) };
}

/** Scratch floats the backward needs: two rows of dim per thread. */
export function lwsScratchLength(pool: PoolJob, dim: number): number {
  return 2 * dim * pool.threads;
}

function checkAtLeast(heap: SharedHeap, a: Float32Array, n: number, name: string): void {
  if (!heap.owns(a))
    throw new Error(`${name} must live in the pool's memory (allocF32 or shared())`);
  if (a.length < n) throw new RangeError(`${name} has ${a.length} values, expected ${n}`);
}

function checkInputs(pool: PoolJob, i: LwsInputs, saved: LwsSaved): void {
  const { rows, dim, iterations } = i;
  if (!(Number.isInteger(iterations) && iterations >= 1))
    throw new RangeError(`lws: ${iterations} iterations, expected an integer >= 1`);
  if (rows.edgeAt !== undefined) throw new RangeError('lws: rows in a transposed order');
  checkDense(pool.heap, i.w, rows.nnz, 1, 'w');
  checkDense(pool.heap, i.x, rows.nOther, dim, 'x');
  const n = lwsSavedLengths(rows, dim, iterations);
  checkAtLeast(pool.heap, saved.m, n.m, 'saved m');
  checkAtLeast(pool.heap, saved.u, n.m, 'saved u');
  checkAtLeast(pool.heap, saved.edges, n.edges, 'saved edges');
}

/** Runs over the graph's row ranges (or on the caller alone for small jobs), t the thread. */
function runLws(
  pool: PoolJob,
  i: LwsInputs,
  args: (r0: number, r1: number, t: number) => number[],
): void {
  const { rows, dim, iterations } = i;
  const parallel = rows.nnz * dim * (2 * iterations - 1) >= pool.minParallelWork;
  pool.run(parallel ? pool.threads : 1, (t, s) =>
    s.set(parallel ? args(rows.bounds[t], rows.bounds[t + 1], t) : args(0, rows.nRows, 0)),
  );
}

/** out = the smoothed rows m_{Q-1} [nRows x dim] from res [nRows x dim]; `saved` filled for the backward. */
export function lwsForward(
  pool: PoolJob,
  i: LwsInputs,
  res: Float32Array,
  out: Float32Array,
  saved: LwsSaved,
): void {
  checkInputs(pool, i, saved);
  checkDense(pool.heap, res, i.rows.nRows, i.dim, 'res');
  checkDense(pool.heap, out, i.rows.nRows, i.dim, 'out');
  const { rows } = i;
  runLws(pool, i, (r0, r1) => [
    OP.LWS_FORWARD,
    rows.rowPtr,
    rows.other,
    i.w.byteOffset,
    i.x.byteOffset,
    res.byteOffset,
    out.byteOffset,
    saved.m.byteOffset,
    saved.u.byteOffset,
    saved.edges.byteOffset,
    i.dim,
    i.iterations,
    i.compound ? LWS_COMPOUND : 0,
    r0,
    r1,
  ]);
}

/** Where the backward writes: dw [nnz], dres [nRows x dim] (written or added), mg [nnz x dim]. */
export interface LwsGradients {
  readonly g: Float32Array;
  readonly dw: Float32Array;
  readonly dres: Float32Array;
  readonly mg: Float32Array;
  /** per-edge scratch, two arrays [nnz] */
  readonly dc: Float32Array;
  readonly es: Float32Array;
  readonly addW?: boolean;
  readonly addRes?: boolean;
}

/** The gradient of lwsForward from g = d out: dw, dres and each edge's message gradient mg. */
export function lwsBackward(
  pool: PoolJob,
  i: LwsInputs,
  saved: LwsSaved,
  grads: LwsGradients,
  scratch: Float32Array,
): void {
  checkInputs(pool, i, saved);
  const { rows, dim } = i;
  checkAtLeast(pool.heap, scratch, lwsScratchLength(pool, dim), 'scratch');
  checkDense(pool.heap, grads.g, rows.nRows, dim, 'g');
  checkAtLeast(pool.heap, grads.dw, rows.nnz, 'dw');
  checkDense(pool.heap, grads.dres, rows.nRows, dim, 'dres');
  checkAtLeast(pool.heap, grads.mg, rows.nnz * dim, 'mg');
  checkAtLeast(pool.heap, grads.dc, rows.nnz, 'dc');
  checkAtLeast(pool.heap, grads.es, rows.nnz, 'es');
  const flags =
    (i.compound ? LWS_COMPOUND : 0) |
    (grads.addW ? LWS_ADD_DW : 0) |
    (grads.addRes ? LWS_ADD_DRES : 0);
  runLws(pool, i, (r0, r1, t) => [
    OP.LWS_BACKWARD,
    rows.rowPtr,
    rows.other,
    i.w.byteOffset,
    i.x.byteOffset,
    saved.m.byteOffset,
    saved.u.byteOffset,
    saved.edges.byteOffset,
    grads.g.byteOffset,
    grads.dw.byteOffset,
    grads.dres.byteOffset,
    grads.mg.byteOffset,
    grads.dc.byteOffset,
    grads.es.byteOffset,
    dim,
    i.iterations,
    flags,
    // thread t's two scratch rows
    scratch.byteOffset + t * 8 * dim,
    r0,
    r1,
  ]);
}
