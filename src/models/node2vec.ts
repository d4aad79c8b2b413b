/**
 * DeepWalk and node2vec as recommenders: skip-gram with negative sampling (SGNS) over random
 * walks on the user-item graph, users and items scored by the dot product of their vectors.
 * Perozzi, Al-Rfou & Skiena, "DeepWalk: Online Learning of Social Representations", KDD 2014;
 * Grover & Leskovec, "node2vec: Scalable Feature Learning for Networks", KDD 2016. DeepWalk is
 * node2vec with p = q = 1 (uniform walks, ../graph/walks.ts).
 *
 * For every walk and every position j, the pairs (center w_j, context w_k) with 0 < |k - j| <=
 * window (node2vec eq. 2's N_S(u); DeepWalk's Algorithm 2) raise, with n_1..n_K drawn from the
 * unigram distribution of walk occurrences raised to 0.75 (Mikolov et al., NIPS 2013, eq. 4):
 *
 *   log sigma(z_c . z'_o) + sum_n log sigma(-z_c . z'_n)                              (SGNS)
 *
 * z the input vectors, z' the output ones (word2vec's syn0 and syn1neg). Optimised as word2vec.c
 * does, one pair at a time by plain SGD (sparse: only the 2 + K rows the pair touches), with its
 * schedule: the rate falls linearly with the walks processed, from lr to lr * 1e-4, over
 * `decayEpochs` passes over the corpus, then stays there; negatives equal to the context are
 * skipped; input vectors start uniform in +-0.5 / dim, output vectors at zero. The update runs
 * on the engine's pool, the `sgns` WebAssembly SIMD kernel (../engine/poolKernels/sgns.ts), over
 * tables in the pool's memory: on one thread by default, the same bits for any thread count,
 * or with `hogwild` on every thread at once without locks, as word2vec.c and the papers'
 * reference code (gensim's workers) do: faster, but no longer reproducible bit for bit (across
 * thread counts, runs, or a resume). Negatives come from word2vec's unigram table (counts^0.75
 * of the walk occurrences), drawn in the kernel from a stream keyed by the walk's position.
 *
 * Scores (hyperparameter `vectors`): "input-output" (default), z_u . z'_i, the quantity SGNS
 * fits to the co-occurrence of u and i within a window, which is what a recommendation asks;
 * "input", z_u . z_i, the vectors DeepWalk and node2vec output, which match nodes by shared
 * contexts; "shared", one table z = z' (the objective as the papers write it). On ml-100k (2
 * walks of 40 per node, window 5, d 64, 2 epochs) Recall@20 was 0.24, 0.17 and 0.11. One table
 * makes the scores a Gram matrix (positive semidefinite), a poor fit for walk co-occurrences on
 * a bipartite graph; its loss stayed at 4.15 where two tables reached 2.65.
 *
 * The walk corpus (walksPerNode walks of walkLength from every node, users and items) is
 * generated once, on the context's threads (../engine/parallelWalks.ts: the same walks for any
 * thread count), and kept: 4 bytes a node, 224 MB at the papers' setting on Gowalla. Each epoch
 * trains on it in an order drawn from the epoch's stream, blocks of WALKS_PER_BATCH walks copied
 * into the pool; beginEpoch also draws the seed of the epoch's negatives, so a resumed
 * (deterministic) run trains exactly as an uninterrupted one; a checkpoint is the two tables
 * (SGD keeps no other state, and the rate is a function of the position).
 */
import type { Rng } from '../util/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { bipartiteGraph, type BipartiteGraph } from '../graph/bipartite.js';
import type { WalkOptions } from '../graph/walks.js';
import { sgnsTables } from '../engine/kernels/sgns.js';
import { parallelWalks } from '../engine/parallelWalks.js';
import { Pool, type SgnsTables } from '../engine/pool.js';
import { sgnsNegativeTable } from '../engine/poolKernels/sgns.js';
import type { HyperDeclarations } from './hyperparameters.js';
import { EvaluationPool } from './rankers.js';
import type {
  Embeddings,
  Hyperparameters,
  ModelContext,
  ModelReport,
  TrainableModel,
} from './types.js';

export const DEEPWALK_TITLE = 'DeepWalk (skip-gram on uniform walks)';
export const DEEPWALK_PAPER =
  'Perozzi et al., DeepWalk: Online Learning of Social Representations, KDD 2014';
export const NODE2VEC_TITLE = 'node2vec (skip-gram on biased walks)';
export const NODE2VEC_PAPER =
  'Grover & Leskovec, node2vec: Scalable Feature Learning for Networks, KDD 2016';

export const VECTOR_CHOICES = ['input', 'input-output', 'shared'] as const;

/** node2vec section 4.1's setting, which it also runs DeepWalk with (d, r, l, k), and word2vec's SGD. */
export const DEEPWALK_DEFAULTS = {
  dim: 128,
  walkLength: 80,
  walksPerNode: 10,
  window: 10,
  negatives: 5,
  lr: 0.025,
  decayEpochs: 5,
  vectors: 'input-output' as string,
  hogwild: false as boolean,
} satisfies Hyperparameters;

export const NODE2VEC_DEFAULTS = { ...DEEPWALK_DEFAULTS, p: 1, q: 1 } satisfies Hyperparameters;

export type Node2VecHyper = typeof NODE2VEC_DEFAULTS;

const SETTING = 'node2vec paper section 4.1 (its setting for DeepWalk too)';

export const DEEPWALK_HYPER = {
  dim: {
    type: 'integer',
    min: 1,
    description: 'embedding size',
    source: `${SETTING}: d = 128`,
  },
  walkLength: {
    type: 'integer',
    min: 1,
    description: 'nodes per walk, the start included',
    source: `${SETTING}: l = 80 (DeepWalk's own experiments: t = 40)`,
  },
  walksPerNode: {
    type: 'integer',
    min: 1,
    description: 'walks started from every user and item',
    source: `${SETTING}: r = 10 (DeepWalk's own experiments: gamma = 80)`,
  },
  window: {
    type: 'integer',
    min: 1,
    description: 'context: nodes up to this many steps either side of the center',
    source: `${SETTING}: k = 10; DeepWalk: w = 10`,
  },
  negatives: {
    type: 'integer',
    min: 1,
    description: 'negative nodes drawn (unigram^0.75) per (center, context) pair',
    source: "node2vec's code (gensim Word2Vec, negative = 5); DeepWalk used hierarchical softmax",
  },
  lr: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'SGD rate at the start, falling linearly to lr * 1e-4',
    source: "word2vec and gensim's skip-gram alpha 0.025",
  },
  decayEpochs: {
    type: 'integer',
    min: 0,
    description: 'passes over the walks in which the rate falls to lr * 1e-4 (0: constant lr)',
    source:
      "word2vec's decay over all its iterations; gensim's iter 5 (node2vec's code runs 1: on ml-100k one pass leaves Recall@20 at a third of four's)",
  },
  vectors: {
    type: 'enum',
    choices: VECTOR_CHOICES,
    description: 'scores: input . input, input . output, or one shared table',
    source:
      'input . output, what SGNS fits: ml-100k Recall@20 0.24 against input 0.17 (the vectors DeepWalk and node2vec output) and shared 0.11',
  },
  hogwild: {
    type: 'boolean',
    description:
      'SGD on every thread at once without locks (faster; not reproducible bit for bit), else on one thread',
    source:
      "off: the same bits for any thread count and exact resume; word2vec.c and the papers' code (gensim workers) run Hogwild",
  },
} as const satisfies HyperDeclarations<typeof DEEPWALK_DEFAULTS>;

export const NODE2VEC_HYPER = {
  ...DEEPWALK_HYPER,
  p: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'return parameter: 1/p is the weight of stepping back',
    source: "node2vec's code: --p 1 (the paper grid-searches 0.25 .. 4)",
  },
  q: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'in-out parameter: 1/q is the weight of moving away',
    source: "node2vec's code: --q 1 (the paper grid-searches 0.25 .. 4)",
  },
} as const satisfies HyperDeclarations<typeof NODE2VEC_DEFAULTS>;

/**
 * Walks per mini-batch: the block the pool trains on at once (split between the threads with
 * hogwild), and the progress and cancellation granularity (256 walks at the defaults: about
 * 380k pairs).
 */
export const WALKS_PER_BATCH = 256;

/** word2vec.c's floor on the decayed rate, as a fraction of the starting rate. */
const LR_FLOOR = 1e-4;

/** Entries of the unigram table: 100 per node (word2vec.c: 1e8 in all), within [1e6, 1e8]. */
export function negativeTableSize(nodes: number): number {
  return Math.min(1e8, Math.max(1e6, 100 * nodes));
}

/** How often each node occurs in the walks: the unigram counts the negatives are drawn from. */
export function walkOccurrences(nodes: Int32Array, nRows: number): Float64Array {
  const counts = new Float64Array(nRows);
  for (let k = 0; k < nodes.length; k++) if (nodes[k] >= 0) counts[nodes[k]]++;
  return counts;
}

/** What training has cost, for the report: walk generation, and SGD per epoch. */
interface Timings {
  walkSeconds: number;
  walkThreads: number;
  /** nodes in the corpus (word2vec's "words" of an epoch) */
  tokens: number;
  sgdSeconds: number[];
  /** CPU seconds of the process (every thread) during the SGD: its speed on a shared machine */
  sgdCpuSeconds: number[];
  pairs: number[];
}

export class Node2Vec implements TrainableModel {
  readonly dim: number;
  readonly backend: string;
  /** input vectors z, users then items (the bipartite graph's node order), in the pool */
  readonly input: Float32Array;
  /** output vectors z' (the same array as input with vectors "shared") */
  readonly output: Float32Array;
  private readonly hp: Node2VecHyper;
  private readonly graph: BipartiteGraph;
  private readonly pool: Pool;
  private readonly threads: number;
  private readonly walkOptions: WalkOptions & { starts: Int32Array };
  private readonly walkCount: number;
  private corpus: Int32Array | undefined;
  private tables: SgnsTables | undefined;
  private readonly block: Int32Array;
  private order: Int32Array | undefined;
  private epochSeed = 0;
  private epoch = 0;
  private readonly timings: Timings;
  private readonly evaluation = new EvaluationPool();

  constructor(
    readonly name: string,
    ctx: ModelContext,
    hyper: Partial<Node2VecHyper>,
  ) {
    this.hp = { ...NODE2VEC_DEFAULTS, ...hyper };
    const { dim, vectors } = this.hp;
    if (!(VECTOR_CHOICES as readonly string[]).includes(vectors))
      throw new RangeError(`vectors must be one of ${VECTOR_CHOICES.join(', ')}, got ${vectors}`);
    this.dim = dim;
    this.graph = bipartiteGraph(ctx.trainCsr);
    const n = this.graph.nRows;
    this.threads = Math.max(1, ctx.threads);
    // workers only where hogwild will use them
    this.pool = new Pool({ threads: this.hp.hogwild ? this.threads : 1 });
    this.backend = `${this.pool.kernelKind} kernels, SGD on ${this.hp.hogwild ? `${this.threads} thread(s), hogwild` : '1 thread'}`;
    this.input = this.pool.allocF32(n * dim, false);
    for (let k = 0; k < this.input.length; k++) this.input[k] = (ctx.rng.next() - 0.5) / dim;
    this.output = vectors === 'shared' ? this.input : this.pool.allocF32(n * dim);
    this.walkOptions = {
      length: this.hp.walkLength,
      walksPerNode: this.hp.walksPerNode,
      seed: ctx.rng.nextU32(),
      p: this.hp.p,
      q: this.hp.q,
      starts: Int32Array.from({ length: n }, (_, v) => v),
    };
    this.walkCount = this.hp.walksPerNode * n;
    this.block = this.pool.allocI32(WALKS_PER_BATCH * this.hp.walkLength, false);
    this.timings = {
      walkSeconds: 0,
      walkThreads: this.threads,
      tokens: 0,
      sgdSeconds: [],
      sgdCpuSeconds: [],
      pairs: [],
    };
  }

  async beginEpoch(epoch: number, rng: Rng): Promise<void> {
    await this.pool.ready();
    // the corpus and its counts, the first epoch run (or resumed)
    this.corpus ??= await this.walkCorpus();
    this.epoch = epoch;
    this.order = rng.shuffle(Int32Array.from({ length: this.walkCount }, (_, r) => r));
    this.epochSeed = rng.nextU32();
    this.timings.sgdSeconds[epoch - 1] = 0;
    this.timings.sgdCpuSeconds[epoch - 1] = 0;
    this.timings.pairs[epoch - 1] = 0;
  }

  private async walkCorpus(): Promise<Int32Array> {
    const t = performance.now();
    const { nodes } = await parallelWalks(this.graph, this.walkOptions, this.threads);
    this.timings.walkSeconds = (performance.now() - t) / 1000;
    const counts = walkOccurrences(nodes, this.graph.nRows);
    this.timings.tokens = counts.reduce((a, c) => a + c, 0);
    const size = negativeTableSize(this.graph.nRows);
    this.tables = {
      input: this.input,
      output: this.output,
      dim: this.dim,
      negativeTable: sgnsNegativeTable(this.pool, counts, size),
      lookup: this.pool.shared(sgnsTables()),
    };
    return nodes;
  }

  batchesPerEpoch(): number {
    return this.order ? Math.ceil(this.walkCount / WALKS_PER_BATCH) : 0;
  }

  /** The rate after `walks` walks of the whole run (word2vec's linear decay, floored). */
  rateAt(walks: number): number {
    const { lr, decayEpochs } = this.hp;
    if (decayEpochs === 0) return lr;
    return lr * Math.max(LR_FLOOR, 1 - walks / (decayEpochs * this.walkCount));
  }

  learningRate(): number {
    return this.rateAt((this.epoch - 1) * this.walkCount);
  }

  trainStep(b: number): number {
    const { order, corpus, tables } = this;
    if (!order || !corpus || !tables) throw new Error('beginEpoch must run before trainStep');
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { lr, decayEpochs, walkLength: length, window, negatives } = this.hp;
    const from = b * WALKS_PER_BATCH;
    const to = Math.min(this.walkCount, from + WALKS_PER_BATCH);
    const walks = this.block.subarray(0, (to - from) * length);
    for (let w = from; w < to; w++)
      walks.set(corpus.subarray(order[w] * length, (order[w] + 1) * length), (w - from) * length);
    const { loss, pairs } = this.pool.sgns(
      tables,
      {
        walks,
        length,
        window,
        negatives,
        seed: this.epochSeed,
        position: from,
        lrStart: this.rateAt((this.epoch - 1) * this.walkCount + from),
        lrStep: decayEpochs === 0 ? 0 : lr / (decayEpochs * this.walkCount),
        lrMin: decayEpochs === 0 ? lr : lr * LR_FLOOR,
      },
      this.hp.hogwild ? 'hogwild' : 'deterministic',
    );
    this.timings.sgdSeconds[this.epoch - 1] += (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    this.timings.sgdCpuSeconds[this.epoch - 1] += (cpu.user + cpu.system) / 1e6;
    this.timings.pairs[this.epoch - 1] += pairs;
    return pairs ? loss / pairs : 0;
  }

  /**
   * Walk and SGD seconds, and the SGD's throughput in corpus nodes per second per thread (wall
   * clock) and per CPU second (what a thread does with a core to itself).
   */
  report(): ModelReport {
    const t = this.timings;
    const sgdThreads = this.hp.hogwild ? this.threads : 1;
    const epochs = t.sgdSeconds.map((s, e) => ({
      epoch: e + 1,
      sgdSeconds: round(s, 2),
      sgdCpuSeconds: round(t.sgdCpuSeconds[e], 2),
      pairs: t.pairs[e],
      tokensPerSecondPerThread: Math.round(t.tokens / s / sgdThreads),
      tokensPerCpuSecond: Math.round(t.tokens / t.sgdCpuSeconds[e]),
    }));
    return {
      name: this.name,
      lines: [
        `walks: ${this.walkCount} of ${this.hp.walkLength} nodes (${t.tokens} in all) in ${t.walkSeconds.toFixed(2)} s on ${t.walkThreads} thread(s)`,
        ...epochs.map(
          (e) =>
            `SGD epoch ${e.epoch}: ${e.pairs} pairs in ${e.sgdSeconds} s on ${sgdThreads} thread(s) (${e.sgdCpuSeconds} CPU s), ${e.tokensPerSecondPerThread} nodes/s/thread, ${e.tokensPerCpuSecond} nodes/CPU s`,
        ),
      ],
      data: {
        walkSeconds: round(t.walkSeconds, 2),
        walkThreads: t.walkThreads,
        tokens: t.tokens,
        sgdThreads,
        hogwild: this.hp.hogwild,
        epochs,
      },
    };
  }

  embeddings(): Embeddings {
    const { nUsers } = this.graph;
    const d = this.dim;
    const items = this.hp.vectors === 'input-output' ? this.output : this.input;
    return {
      dim: d,
      users: this.input.subarray(0, nUsers * d),
      items: items.subarray(nUsers * d),
    };
  }

  ranker(threads: number): TopKRanker {
    return this.evaluation.ranker(this.embeddings(), threads);
  }

  async dispose(): Promise<void> {
    await this.evaluation.dispose();
    await this.pool.dispose();
  }

  state(): Record<string, Float32Array> {
    return this.input === this.output
      ? { input: this.input }
      : { input: this.input, output: this.output };
  }

  load(state: Record<string, Float32Array>): void {
    this.input.set(state.input);
    if (this.output !== this.input) this.output.set(state.output);
  }
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

/** DeepWalk: node2vec's model on uniform walks (p = q = 1). */
export function deepWalk(ctx: ModelContext, hyper: Partial<typeof DEEPWALK_DEFAULTS>): Node2Vec {
  return new Node2Vec('deepwalk', ctx, { ...hyper, p: 1, q: 1 });
}

export function node2vec(ctx: ModelContext, hyper: Partial<Node2VecHyper>): Node2Vec {
  return new Node2Vec('node2vec', ctx, hyper);
}
