/**
 * Entry of a pool worker thread (bundled as dist/pool-worker.js; run from source through tsx
 * in tests). It instantiates the kernels over the pool's shared memory, says it is ready, then
 * sleeps on the control block and runs its slot of each job until asked to quit.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { jsKernels } from './kernels/jsKernels.js';
import type { Kernels } from './kernels/types.js';
import { heapViews } from './kernels/views.js';
import { wasmKernels } from './kernels/wasmKernels.js';
import { runSlot } from './poolKernels/registry.js';
import { CTRL, recordError, slotView, type WorkerInit } from './protocol.js';

/**
 * Atomics.load polls (well under a millisecond) a worker makes for the next job before it
 * sleeps: a training step runs its kernels back to back, and waking a sleeping thread costs
 * more than the poll (OpenMP's workers spin for a while the same way, KMP_BLOCKTIME).
 */
const WORKER_SPIN = 300_000;

function serve(init: WorkerInit): void {
  const kernels: Kernels = init.module
    ? wasmKernels(init.memory, init.module)
    : jsKernels(init.memory);
  const heap = heapViews(init.memory);
  const ctrl = new Int32Array(init.ctrl);
  const errorBuf = new Uint8Array(init.error);
  const slot = slotView(init.ctrl, init.index);
  let seen = Atomics.load(ctrl, CTRL.SEQ);
  parentPort?.postMessage({ ready: init.index });
  for (;;) {
    for (let k = 0; k < WORKER_SPIN && Atomics.load(ctrl, CTRL.SEQ) === seen; k++);
    Atomics.wait(ctrl, CTRL.SEQ, seen);
    const seq = Atomics.load(ctrl, CTRL.SEQ);
    if (seq === seen) continue; // spurious wake-up
    seen = seq;
    if (Atomics.load(ctrl, CTRL.QUIT) !== 0) return;
    try {
      runSlot(kernels, heap, slot);
    } catch (e) {
      recordError(ctrl, errorBuf, e);
    }
    if (Atomics.sub(ctrl, CTRL.PENDING, 1) === 1) Atomics.notify(ctrl, CTRL.PENDING);
  }
}

const init = workerData as Partial<WorkerInit> | null;
if (!isMainThread && init?.reclabPool) serve(init as WorkerInit);
