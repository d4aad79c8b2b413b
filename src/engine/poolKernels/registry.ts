/**
 * Every slot op the pool's threads can run, by op code (../protocol.ts's OP): the one table the
 * caller and the workers dispatch through. Loading it checks that each OP code has exactly one
 * runner, so a kernel registered half-way fails at once rather than in a worker mid-job.
 */
import type { HeapViews, Kernels } from '../kernels/types.js';
import { OP } from '../protocol.js';
import { rankSlice } from '../ranker/rankSlice.js';
import { adamSlot } from './adam.js';
import { dropoutMaskSlot } from './dropoutMask.js';
import { edgeAddSlot } from './edgeAdd.js';
import { edgeDotsSlot } from './edgeDots.js';
import { edgeSoftmaxSlot } from './edgeSoftmax.js';
import { edgeSoftmaxBackSlot } from './edgeSoftmaxBack.js';
import { edgeSpmmSlot } from './edgeSpmm.js';
import { ewBinarySlot, ewGradBSlot } from './ewBinary.js';
import { softmaxXentBackSlot, softmaxXentSlot } from './softmaxXent.js';
import { transposeSlot } from './transpose.js';
import { gatherRowsSlot } from './gatherRows.js';
import type { SlotOp } from './job.js';
import { leakyReluSlot } from './leakyRelu.js';
import { leakyReluBackSlot } from './leakyReluBack.js';
import { matmulSlot } from './matmul.js';
import { matmulTNSlot } from './matmulTN.js';
import { normalizeRowsSlot } from './normalizeRows.js';
import { normalizeRowsBackSlot } from './normalizeRowsBack.js';
import { scatterRowsSlot } from './scatterRows.js';
import { lwsBackwardSlot, lwsForwardSlot } from './lws.js';
import { scaleRowsSlot } from './scaleRows.js';
import { dropNormalizeBackSlot, dropNormalizeSlot } from './dropNormalize.js';
import { sgnsSlot } from './sgns.js';
import { spmmSlot } from './spmm.js';
import { squashSlot } from './squash.js';
import { squashBackSlot } from './squashBack.js';
import { spmmRowsSlot } from './spmmRows.js';
import { sumProdSlot } from './sumProd.js';
import { sumProdBackSlot } from './sumProdBack.js';
import { zeroSlot } from './zero.js';

const SLOT_OPS: readonly SlotOp[] = [
  { op: OP.NOOP, run: () => undefined },
  // the dot ranker's job (../ranker/dotRanker.ts fills its slots itself)
  { op: OP.RANK, run: (k, heap, a) => rankSlice(k, heap(), a) },
  spmmSlot,
  spmmRowsSlot,
  scatterRowsSlot,
  zeroSlot,
  adamSlot,
  sumProdSlot,
  sumProdBackSlot,
  leakyReluSlot,
  leakyReluBackSlot,
  dropoutMaskSlot,
  gatherRowsSlot,
  normalizeRowsSlot,
  normalizeRowsBackSlot,
  matmulSlot,
  matmulTNSlot,
  edgeSpmmSlot,
  edgeDotsSlot,
  edgeAddSlot,
  edgeSoftmaxSlot,
  edgeSoftmaxBackSlot,
  ewBinarySlot,
  ewGradBSlot,
  softmaxXentSlot,
  softmaxXentBackSlot,
  transposeSlot,
  sgnsSlot,
  squashSlot,
  squashBackSlot,
  lwsForwardSlot,
  lwsBackwardSlot,
  scaleRowsSlot,
  dropNormalizeSlot,
  dropNormalizeBackSlot,
];

const runners = tableOf(SLOT_OPS);

function tableOf(ops: readonly SlotOp[]): SlotOp['run'][] {
  const table: SlotOp['run'][] = [];
  for (const { op, run } of ops) {
    if (table[op]) throw new Error(`pool: op ${op} has two runners`);
    table[op] = run;
  }
  for (const [name, op] of Object.entries(OP))
    if (!table[op]) throw new Error(`pool: op ${name} (${op}) has no runner in the registry`);
  return table;
}

/** Runs one slot's job on this thread. */
export function runSlot(k: Kernels, heap: () => HeapViews, a: Uint32Array): void {
  const run = runners[a[0]];
  if (!run) throw new Error(`pool: unknown op ${a[0]}`);
  run(k, heap, a);
}
