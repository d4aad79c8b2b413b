/**
 * Pool kernel sgns: word2vec's skip-gram SGD over a block of walks (../kernels/sgns.ts), in
 * place on input / output tables in the pool's memory.
 *
 * Two modes. Deterministic: the calling thread does the whole block, pair after pair, so the
 * tables come out the same bits for any pool size (and a run resumes exactly). Hogwild (Recht
 * et al., NIPS 2011): the walks are split in contiguous ranges between the threads, which update
 * the shared tables at once without locks, as word2vec.c's threads and DeepWalk's and
 * node2vec's reference code (gensim workers) do; concurrent updates to a row may overwrite one
 * another, so the result is not reproducible bit for bit across runs or thread counts. The
 * negatives and rates do not depend on the split either way.
 */
import { SGNS_TABLE_ENTRIES } from '../kernels/sgns.js';
import { f32Bits, OP } from '../protocol.js';
import { checkDense, rowsOf } from './checks.js';
import { wordsRunner, type PoolJob, type SlotOp } from './job.js';

export const sgnsSlot: SlotOp = {
  op: OP.SGNS,
  // words 14-16 carry float32 bits (the learning rate's start, step and floor)
  run: wordsRunner((k) => k.sgns as (...words: number[]) => void, 19, [14, 15, 16]),
};

/** The tables an SGNS run updates and reads, all in the pool's memory. */
export interface SgnsTables {
  /** input vectors [nodes x dim] */
  readonly input: Float32Array;
  /** output vectors [nodes x dim]; may be `input` itself (one shared table) */
  readonly output: Float32Array;
  readonly dim: number;
  /** node ids, each present in proportion to its count^0.75 (word2vec's unigram table) */
  readonly negativeTable: Int32Array;
  /** sigma and the loss tabulated (sgnsTables() copied into the pool) */
  readonly lookup: Float32Array;
}

/** One block of walks and how to train on it. */
export interface SgnsBlock {
  /** walks [count x length] in the pool's memory, node ids or -1 after a walk's end */
  readonly walks: Int32Array;
  readonly length: number;
  readonly window: number;
  /** negatives drawn per (center, context) pair */
  readonly negatives: number;
  /** the negatives' stream: seed, and the position of the block's first walk */
  readonly seed: number;
  readonly position: number;
  /** walk k's rate is max(lrMin, lrStart - k lrStep) (word2vec's linear decay) */
  readonly lrStart: number;
  readonly lrStep: number;
  readonly lrMin: number;
}

export interface SgnsResult {
  /** the pairs' summed loss, before each pair's step */
  readonly loss: number;
  readonly pairs: number;
}

/**
 * 4-byte words per thread in the work array, in 64-byte lines: its loss (2 float64), then its
 * scratch (the gradient, dim floats, then a pair's negatives)
 */
function workFloats(dim: number, negatives: number): number {
  return 16 + Math.ceil((dim + negatives) / 16) * 16;
}

const checkedTables = new WeakMap<Int32Array, number>();

export function sgns(
  pool: PoolJob,
  t: SgnsTables,
  b: SgnsBlock,
  mode: 'deterministic' | 'hogwild',
): SgnsResult {
  const { dim } = t;
  const nodes = rowsOf(pool.heap, t.input, dim, 'input');
  checkDense(pool.heap, t.output, nodes, dim, 'output');
  checkDense(pool.heap, t.lookup, 2 * SGNS_TABLE_ENTRIES, 1, 'lookup');
  checkNegativeTable(pool, t.negativeTable, nodes);
  const { walks, length, window, negatives } = b;
  for (const [name, v] of Object.entries({ length, window, negatives }))
    if (!(Number.isInteger(v) && v >= 1 && v < 2 ** 20))
      throw new RangeError(`sgns: ${name} must be an integer in [1, 2^20), got ${v}`);
  if (!pool.heap.owns(walks)) throw new Error("walks must live in the pool's memory (allocI32)");
  const count = Math.floor(walks.length / length);
  if (walks.length !== count * length)
    throw new RangeError(`walks has ${walks.length} nodes, not a multiple of length ${length}`);
  if (count >= 2 ** 24) throw new RangeError(`sgns: ${count} walks in a block, at most 2^24 - 1`);
  for (let k = 0; k < walks.length; k++)
    if (!(walks[k] >= -1 && walks[k] < nodes))
      throw new RangeError(`walks[${k}] = ${walks[k]} is neither -1 nor a node in [0, ${nodes})`);
  // a pair touches 1 + negatives rows three times: count it as that many multiply-adds per float
  const work = count * length * 2 * window * (1 + negatives) * 3 * dim;
  const threads =
    mode === 'hogwild' && count > 1 && work >= pool.minParallelWork ? pool.threads : 1;
  const per = Math.ceil(count / threads);
  const stride = workFloats(dim, negatives);
  const scratch = pool.allocF32(threads * stride, false);
  const rate = [b.lrStart, b.lrStep, b.lrMin].map(f32Bits);
  try {
    pool.run(threads, (th, s) => {
      const k0 = Math.min(count, th * per);
      const own = scratch.byteOffset + th * stride * 4;
      s.set([
        OP.SGNS,
        walks.byteOffset,
        length,
        k0,
        Math.min(count, k0 + per),
        window,
        t.input.byteOffset,
        t.output.byteOffset,
        dim,
        t.negativeTable.byteOffset,
        t.negativeTable.length,
        negatives,
        b.seed >>> 0,
        b.position >>> 0,
        ...rate,
        t.lookup.byteOffset,
        own + 64,
        own,
      ]);
    });
    const sums = new Float64Array(scratch.buffer, scratch.byteOffset, (threads * stride) / 2);
    let loss = 0;
    let pairs = 0;
    for (let th = 0; th < threads; th++) {
      loss += sums[(th * stride) / 2];
      pairs += sums[(th * stride) / 2 + 1];
    }
    return { loss, pairs };
  } finally {
    pool.free(scratch);
  }
}

/** A negative table of node ids in [0, nodes), checked once per (table, nodes). */
function checkNegativeTable(pool: PoolJob, table: Int32Array, nodes: number): void {
  if (!pool.heap.owns(table))
    throw new Error("negativeTable must live in the pool's memory (allocI32)");
  if (table.length < 1 || table.length >= 2 ** 31)
    throw new RangeError(`negativeTable has ${table.length} entries, expected [1, 2^31)`);
  if (checkedTables.get(table) === nodes) return;
  for (let k = 0; k < table.length; k++)
    if (!(table[k] >= 0 && table[k] < nodes))
      throw new RangeError(`negativeTable[${k}] = ${table[k]} outside [0, ${nodes})`);
  checkedTables.set(table, nodes);
}

/**
 * word2vec's unigram table in the pool's memory: `size` entries, node v filling a run of them
 * in proportion to counts[v]^0.75 (Mikolov et al. 2013, section 2.2; word2vec.c's
 * InitUnigramTable, whose table has 1e8 entries), so a uniform index draws a negative.
 */
export function sgnsNegativeTable(pool: PoolJob, counts: Float64Array, size: number): Int32Array {
  if (!(Number.isInteger(size) && size >= 1 && size < 2 ** 31))
    throw new RangeError(`negative table size must be an integer in [1, 2^31), got ${size}`);
  const weights = Float64Array.from(counts, (c) => {
    if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`counts hold ${c}`);
    return c ** 0.75;
  });
  const total = weights.reduce((a, w) => a + w, 0);
  if (!(total > 0)) throw new RangeError('negative table: every count is 0');
  const table = pool.allocI32(size, false);
  let cum = 0;
  let start = 0;
  let last = 0;
  for (let v = 0; v < weights.length; v++) {
    if (weights[v] === 0) continue;
    cum += weights[v];
    const end = Math.min(size, Math.round((cum / total) * size));
    table.fill(v, start, end);
    start = Math.max(start, end);
    last = v;
  }
  // rounding may leave the last entry or two: the last node with a count takes them
  table.fill(last, start, size);
  return table;
}
