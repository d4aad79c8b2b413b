/**
 * What a pool kernel file sees of the pool (the Pool class meets it), and the shapes shared by
 * the kernel files: a kernel file checks its arguments, splits the job between the threads and
 * fills each thread's slot through `run`, and decodes a slot back into a Kernels call (SlotOp).
 */
import type { SharedHeap } from '../heap.js';
import type { HeapViews, Kernels } from '../kernels/types.js';
import { bitsF32 } from '../protocol.js';

export interface PoolJob {
  /** threads that compute, the caller included */
  readonly threads: number;
  /** jobs of fewer multiply-adds run on the calling thread alone */
  readonly minParallelWork: number;
  readonly heap: SharedHeap;
  heapViews(): HeapViews;
  allocF32(length: number, zero?: boolean): Float32Array;
  allocI32(length: number, zero?: boolean): Int32Array;
  free(view: ArrayBufferView): void;
  /** fill(t, slot) writes thread t's arguments for t < active; throws the first failure */
  run(active: number, fill: (t: number, slot: Uint32Array) => void): void;
}

/** How every thread runs a slot whose first word is `op`: the slot's words to a Kernels call. */
export interface SlotOp {
  readonly op: number;
  run(k: Kernels, heap: () => HeapViews, slot: Uint32Array): void;
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

/**
 * A SlotOp's runner that calls a kernel with the slot's words 1 .. n, the words at `floats`
 * (their positions in the slot) read back as float32 bits: for kernels of many arguments.
 */
export function wordsRunner(
  kernel: (k: Kernels) => (...words: number[]) => void,
  n: number,
  floats: readonly number[] = [],
): SlotOp['run'] {
  return (k, _heap, a) => {
    const words = Array.from(a.subarray(1, 1 + n));
    for (const at of floats) words[at - 1] = bitsF32(a[at]);
    kernel(k)(...words);
  };
}
