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
 * skipped; input vectors start uniform in +-0.5 / dim, output vectors at zero.
 *
 * Scores (hyperparameter `vectors`): "input-output" (default), z_u . z'_i, the quantity SGNS
 * fits to the co-occurrence of u and i within a window, which is what a recommendation asks;
 * "input", z_u . z_i, the vectors DeepWalk and node2vec output, which match nodes by shared
 * contexts; "shared", one table z = z' (the objective as the papers write it). On ml-100k (2
 * walks of 40 per node, window 5, d 64, 2 epochs) Recall@20 was 0.24, 0.17 and 0.11. One table
 * makes the scores a Gram matrix (positive semidefinite), a poor fit for walk co-occurrences on
 * a bipartite graph; its loss stayed at 4.15 where two tables reached 2.65.
 *
 * The walk corpus (walksPerNode walks of walkLength from every node, users and items) is not
 * stored: walk r is regenerated when its batch comes, the same walk each epoch since it is keyed
 * by (seed, start, walk index). beginEpoch draws the epoch's walk order and negatives from the
 * epoch's stream, so a resumed run trains exactly as an uninterrupted one; a checkpoint is the
 * two tables (SGD keeps no other state, and the rate is a function of the position).
 */
import type { Csr } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { AliasTable } from '../graph/alias.js';
import { bipartiteGraph, type BipartiteGraph } from '../graph/bipartite.js';
import { walkRows, type WalkOptions } from '../graph/walks.js';
import type { HyperDeclarations } from './hyperparameters.js';
import { EvaluationPool } from './rankers.js';
import type { Embeddings, Hyperparameters, ModelContext, TrainableModel } from './types.js';

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
 * Walks per mini-batch: progress and cancellation granularity only, since SGD steps per pair
 * (64 walks at the defaults: about 95k pairs, 1.5 s on the shared 2-core machine).
 */
export const WALKS_PER_BATCH = 64;

/** word2vec.c's floor on the decayed rate, as a fraction of the starting rate. */
const LR_FLOOR = 1e-4;

/**
 * The (center, context) pairs of one walk with the given window into centers / contexts, in
 * training order (centers left to right, each center's contexts left to right); returns how
 * many. A walk ends at its first -1. The arrays need room for length * 2 * window pairs.
 */
export function windowPairs(
  walk: Int32Array,
  window: number,
  centers: Int32Array,
  contexts: Int32Array,
): number {
  let n = walk.indexOf(-1);
  if (n < 0) n = walk.length;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const hi = Math.min(n - 1, j + window);
    for (let k = Math.max(0, j - window); k <= hi; k++) {
      if (k === j) continue;
      centers[count] = walk[j];
      contexts[count++] = walk[k];
    }
  }
  return count;
}

/**
 * One SGNS step on the pair (center, context) with negatives negs[0..count): ascends the
 * objective above by lr times its gradient (the output rows one after the other, the input row
 * last with the sum of its terms, as word2vec.c) and returns the pair's loss, minus the
 * objective, before the step. `scratch` holds dim numbers.
 */
export function sgnsStep(
  input: Float32Array,
  output: Float32Array,
  dim: number,
  center: number,
  context: number,
  negs: Int32Array,
  count: number,
  lr: number,
  scratch: Float32Array,
): number {
  const h = center * dim;
  scratch.fill(0);
  let loss = 0;
  for (let n = -1; n < count; n++) {
    const target = n < 0 ? context : negs[n];
    if (n >= 0 && target === context) continue;
    const label = n < 0 ? 1 : 0;
    const t = target * dim;
    let x = 0;
    for (let k = 0; k < dim; k++) x += input[h + k] * output[t + k];
    // -log sigma(x) for the positive, -log sigma(-x) for a negative, without overflow
    const m = label ? -x : x;
    loss += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
    // d/dx of log sigma(+-x): label - sigma(x)
    const g = (label - 1 / (1 + Math.exp(-x))) * lr;
    for (let k = 0; k < dim; k++) {
      scratch[k] += g * output[t + k];
      output[t + k] += g * input[h + k];
    }
  }
  for (let k = 0; k < dim; k++) input[h + k] += scratch[k];
  return loss;
}

/** How often each node occurs in the walks: the unigram counts the negatives are drawn from. */
export function walkOccurrences(g: Csr, o: WalkOptions & { starts: Int32Array }): Float64Array {
  const counts = new Float64Array(g.nRows);
  const total = o.walksPerNode * o.starts.length;
  const chunk = 4096;
  const buf = new Int32Array(chunk * o.length);
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(total, from + chunk);
    walkRows(g, o, from, to, buf);
    for (let k = 0; k < (to - from) * o.length; k++) if (buf[k] >= 0) counts[buf[k]]++;
  }
  return counts;
}

/** Unigram^0.75 over the nodes (Mikolov et al. 2013, section 2.2). */
export function negativeTable(counts: Float64Array): AliasTable {
  return new AliasTable(Float64Array.from(counts, (c) => c ** 0.75));
}

export class Node2Vec implements TrainableModel {
  readonly dim: number;
  /** input vectors z, users then items (the bipartite graph's node order) */
  readonly input: Float32Array;
  /** output vectors z' (the same array as input with vectors "shared") */
  readonly output: Float32Array;
  private readonly hp: Node2VecHyper;
  private readonly graph: BipartiteGraph;
  private readonly walkOptions: WalkOptions & { starts: Int32Array };
  private readonly walkCount: number;
  private negatives: AliasTable | undefined;
  private order: Int32Array | undefined;
  private epochRng: Rng | undefined;
  private epoch = 0;
  private readonly walk: Int32Array;
  private readonly centers: Int32Array;
  private readonly contexts: Int32Array;
  private readonly negs: Int32Array;
  private readonly scratch: Float32Array;
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
    this.input = new Float32Array(n * dim);
    for (let k = 0; k < this.input.length; k++) this.input[k] = (ctx.rng.next() - 0.5) / dim;
    this.output = vectors === 'shared' ? this.input : new Float32Array(n * dim);
    this.walkOptions = {
      length: this.hp.walkLength,
      walksPerNode: this.hp.walksPerNode,
      seed: ctx.rng.nextU32(),
      p: this.hp.p,
      q: this.hp.q,
      starts: Int32Array.from({ length: n }, (_, v) => v),
    };
    this.walkCount = this.hp.walksPerNode * n;
    this.walk = new Int32Array(this.hp.walkLength);
    this.centers = new Int32Array(this.hp.walkLength * 2 * this.hp.window);
    this.contexts = new Int32Array(this.centers.length);
    this.negs = new Int32Array(this.hp.negatives);
    this.scratch = new Float32Array(dim);
  }

  beginEpoch(epoch: number, rng: Rng): void {
    // the corpus's counts: one pass over the walks, the first epoch run (or resumed)
    this.negatives ??= negativeTable(walkOccurrences(this.graph, this.walkOptions));
    this.epoch = epoch;
    this.epochRng = rng;
    this.order = rng.shuffle(Int32Array.from({ length: this.walkCount }, (_, r) => r));
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
    const { order, negatives, epochRng: rng } = this;
    if (!order || !negatives || !rng) throw new Error('beginEpoch must run before trainStep');
    const { dim, window } = this.hp;
    const k = this.negs.length;
    const from = b * WALKS_PER_BATCH;
    const to = Math.min(this.walkCount, from + WALKS_PER_BATCH);
    const { input, output, negs, scratch, walk, centers, contexts } = this;
    let loss = 0;
    let pairs = 0;
    for (let w = from; w < to; w++) {
      const r = order[w];
      walkRows(this.graph, this.walkOptions, r, r + 1, walk);
      const lr = this.rateAt((this.epoch - 1) * this.walkCount + w);
      const count = windowPairs(walk, window, centers, contexts);
      for (let c = 0; c < count; c++) {
        for (let s = 0; s < k; s++) negs[s] = negatives.sample(rng);
        loss += sgnsStep(input, output, dim, centers[c], contexts[c], negs, k, lr, scratch);
      }
      pairs += count;
    }
    return pairs ? loss / pairs : 0;
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

  dispose(): Promise<void> {
    return this.evaluation.dispose();
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

/** DeepWalk: node2vec's model on uniform walks (p = q = 1). */
export function deepWalk(ctx: ModelContext, hyper: Partial<typeof DEEPWALK_DEFAULTS>): Node2Vec {
  return new Node2Vec('deepwalk', ctx, { ...hyper, p: 1, q: 1 });
}

export function node2vec(ctx: ModelContext, hyper: Partial<Node2VecHyper>): Node2Vec {
  return new Node2Vec('node2vec', ctx, hyper);
}
