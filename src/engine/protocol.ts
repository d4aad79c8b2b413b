/**
 * How the pool's threads talk: a small shared int32 control block, no messages. The caller
 * fills one slot of arguments per thread, bumps SEQ and wakes the workers (Atomics.notify);
 * each worker runs its slot and counts PENDING down; the caller runs slot 0 itself, then
 * sleeps on PENDING. Waiting is synchronous (Atomics.wait), so a kernel can run inside a
 * synchronous tfjs kernel function. A slot's first word is its OP code; what each code runs
 * is registered in ./poolKernels/registry.ts.
 */
export const CTRL = {
  /** job sequence number; workers wait for it to change */
  SEQ: 0,
  /** workers still running the current job */
  PENDING: 1,
  /** 1 when a worker failed; the message is in the error buffer, its length in ERROR_LEN */
  ERROR: 2,
  ERROR_LEN: 3,
  /** 1 asks the workers to return */
  QUIT: 4,
} as const;

/** int32 words before the first slot, and per slot */
export const HEADER = 8;
export const SLOT = 24;
export const ERROR_BYTES = 1024;

export const OP = {
  NOOP: 0,
  SPMM: 1,
  SPMM_ROWS: 2,
  RANK: 3,
  ADAM: 4,
  SCATTER_ROWS: 5,
  ZERO: 6,
  SUM_PROD: 7,
  SUM_PROD_BACK: 8,
  LEAKY_RELU: 9,
  LEAKY_RELU_BACK: 10,
  DROPOUT_MASK: 11,
  GATHER_ROWS: 12,
  NORMALIZE_ROWS: 13,
  NORMALIZE_ROWS_BACK: 14,
  GEMM: 15,
  GEMM_TN_CHUNKS: 16,
  EDGE_SPMM: 17,
  EDGE_DOTS: 18,
  EDGE_ADD: 19,
  EDGE_SOFTMAX: 20,
  EDGE_SOFTMAX_BACK: 21,
  EW_BINARY: 22,
  EW_GRAD_B: 23,
  SOFTMAX_XENT: 24,
  SOFTMAX_XENT_BACK: 25,
  TRANSPOSE: 26,
  SGNS: 27,
  SQUASH: 28,
  SQUASH_BACK: 29,
  LWS_FORWARD: 30,
  LWS_BACKWARD: 31,
  SCALE_ROWS: 32,
  DROP_NORMALIZE: 33,
  DROP_NORMALIZE_BACK: 34,
} as const;

/** float32 <-> the bits a slot word carries (ADAM's constants) */
const bitsWord = new Uint32Array(1);
const bitsFloat = new Float32Array(bitsWord.buffer);

export function f32Bits(x: number): number {
  bitsFloat[0] = x;
  return bitsWord[0];
}

export function bitsF32(w: number): number {
  bitsWord[0] = w;
  return bitsFloat[0];
}

/** What a worker gets at start (structured-cloned; the memory and buffers are shared). */
export interface WorkerInit {
  readonly reclabPool: true;
  readonly index: number;
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module | undefined;
  readonly ctrl: SharedArrayBuffer;
  readonly error: SharedArrayBuffer;
}

/** The argument words of thread t's slot, read as unsigned (byte offsets may pass 2 GiB). */
export function slotView(ctrl: SharedArrayBuffer, t: number): Uint32Array {
  return new Uint32Array(ctrl, (HEADER + t * SLOT) * 4, SLOT);
}

/** Records the first failure of a job for the caller (later ones are dropped). */
export function recordError(ctrl: Int32Array, errorBuf: Uint8Array, e: unknown): void {
  if (Atomics.compareExchange(ctrl, CTRL.ERROR, 0, 1) !== 0) return;
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const bytes = new TextEncoder().encode(text).subarray(0, errorBuf.length);
  errorBuf.set(bytes);
  Atomics.store(ctrl, CTRL.ERROR_LEN, bytes.length);
}

/** Takes (and clears) a worker's failure message, if any. */
export function takeError(ctrl: Int32Array, errorBuf: Uint8Array): string | undefined {
  if (Atomics.load(ctrl, CTRL.ERROR) === 0) return undefined;
  const n = Atomics.load(ctrl, CTRL.ERROR_LEN);
  const text = new TextDecoder().decode(errorBuf.slice(0, n));
  Atomics.store(ctrl, CTRL.ERROR, 0);
  return text;
}
