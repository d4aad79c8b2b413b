/**
 * Two-stage retrieval, as recommenders are served (Covington et al., RecSys 2016; PinSAGE's
 * deployment, Ying et al., KDD 2018): a cheap generator picks each user's top-N candidates from
 * all items, then a ranker scores only those N and reorders them. Registered as the model
 * "twostage", so experiment files, the CLI and the extension train and evaluate it like any
 * other model: {"model": "twostage", "hyper": {"generator": "rp3beta", "candidates": 100,
 * "ranker": "mlp"}}.
 *
 * - generator: any model of the registry that does not train (popularity, item-kNN, PPR,
 *   P3alpha, RP3beta, GF-CF, ...), fit on the training set; its ranker's top-N (training items
 *   excluded, as at evaluation) are the candidates.
 * - ranker "mlp": CandidateMlp over id embeddings and the candidate's features, trained on
 *   labels held out of the training set (candidateExamples.ts says how that avoids leakage).
 * - ranker <model>: a trainable model of the registry with embeddings (mf, lightgcn, ...),
 *   with its own default hyperparameters, trained as usual on the whole training set; candidates are reordered by its dot product.
 *
 * The final list is always a reordering of (a subset of) the candidates, so its recall is
 * bounded by the candidates' recall (eval/stages.ts). Lists longer than N ask the generator for
 * k candidates instead.
 */
import { itemUserCsr, userItemCsr } from '../data/csr.js';
import type { Csr } from '../data/types.js';
import { Pool } from '../engine/pool.js';
import type { Rng } from '../util/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { rerankCandidates, type CandidateLists } from '../eval/stages.js';
import type { Trainable } from '../train/trainer.js';
import { InputError } from '../util/errors.js';
import {
  CANDIDATE_FEATURES,
  candidateExamples,
  candidateFeatures,
  featureStats,
  holdOutLabels,
  samplePairs,
  type CandidateExamples,
  type FeatureStats,
} from './candidateExamples.js';
import { CandidateMlp, type CandidateRows } from './candidateMlp.js';
import { LIGHTGCN_CODE_HYPER, type HyperDeclarations } from './hyperparameters.js';
import type { ModelEntry } from './registry.js';
import { TAPE_MODEL_HYPER } from './tapeModel.js';
import { isTrainable, type ModelContext, type Recommender, type TrainableModel } from './types.js';

export const TWOSTAGE_TITLE = 'Two-stage retrieval: a candidate generator, then a ranker';
export const TWOSTAGE_PAPER =
  'Covington et al., Deep Neural Networks for YouTube Recommendations, RecSys 2016';

export const TWOSTAGE_DEFAULTS = {
  generator: 'rp3beta',
  candidates: 100,
  ranker: 'mlp',
  labelShare: 0.2,
  dim: 32,
  hidden: 32,
  lr: 0.005,
  reg: 1,
  batchSize: 512,
  initStd: 0.1,
  negatives: 4,
};

export type TwoStageHyper = typeof TWOSTAGE_DEFAULTS;

/** The declarations, with the registry's generator and ranker names as the choices. */
export function twoStageHyper(
  generators: readonly string[],
  rankers: readonly string[],
): HyperDeclarations<TwoStageHyper> {
  return {
    generator: {
      type: 'enum',
      choices: generators,
      description: 'the first stage: a model that does not train, whose top-N are the candidates',
      source: 'RP3beta: the strongest graph baseline on ml-100k (npm run bench -- twoStage)',
    },
    candidates: {
      type: 'integer',
      min: 1,
      description: 'candidates N per user handed to the ranker',
      source: 'a few hundred of millions in YouTube (Covington et al.); 100 of 1682 on ml-100k',
    },
    ranker: {
      type: 'enum',
      choices: ['mlp', ...rankers],
      description: 'the second stage: the MLP on the tape, or a trainable model with embeddings',
      source: 'mlp: an MLP over ids and features, as the YouTube ranking network',
    },
    labelShare: {
      type: 'number',
      min: 0,
      max: 1,
      exclusiveMin: true,
      exclusiveMax: true,
      description: "share of each user's training items held out as the MLP's labels",
      source: 'RecLab: 0.2, as a 80/20 split',
    },
    ...LIGHTGCN_CODE_HYPER,
    // the labels are few (a fifth of train): with LightGCN's 1e-4 the id embeddings memorise
    // them within 2 epochs and the valid recall falls below the generator's
    reg: { ...LIGHTGCN_CODE_HYPER.reg, source: 'RecLab: 1 (ml-100k validation, 1e-4 to 1)' },
    hidden: {
      type: 'integer',
      min: 1,
      description: 'hidden units of the MLP ranker',
      source: 'RecLab: 32',
    },
    negatives: TAPE_MODEL_HYPER.negatives,
  };
}

/** The second stage: scores candidate slots, trains through the shared trainer. */
interface CandidateScorer extends Trainable {
  readonly backend?: string;
  score(lists: CandidateLists): Float32Array;
  state(): Record<string, Float32Array>;
  load(state: Record<string, Float32Array>): void;
  dispose(): void | Promise<void>;
}

/** Candidate rows scored at once: 64k rows x (2 dim + 4) floats. */
const SCORE_ROWS = 65536;

/** The MLP ranker with its leakage-free examples (candidateExamples.ts). */
class MlpScorer implements CandidateScorer {
  readonly backend: string;
  private readonly trainFeatures: Float32Array;
  private pairs: { pos: Int32Array; neg: Int32Array } | undefined;

  constructor(
    private readonly mlp: CandidateMlp,
    private readonly pool: Pool,
    private readonly examples: CandidateExamples,
    trainStats: FeatureStats,
    private readonly serveStats: FeatureStats,
    private readonly hp: TwoStageHyper,
  ) {
    const { lists } = examples;
    this.trainFeatures = new Float32Array(lists.items.length * CANDIDATE_FEATURES.length);
    candidateFeatures(lists, trainStats, 0, lists.items.length, this.trainFeatures);
    this.backend = `${pool.kernelKind} kernels (autodiff tape), ${pool.threads} thread(s)`;
  }

  beginEpoch(_epoch: number, rng: Rng): void {
    this.pairs = samplePairs(this.examples, this.hp.negatives, rng);
  }

  batchesPerEpoch(): number {
    return this.pairs ? Math.ceil(this.pairs.pos.length / this.hp.batchSize) : 0;
  }

  learningRate(): number {
    return this.mlp.lr;
  }

  trainStep(b: number): number {
    if (!this.pairs) throw new Error('beginEpoch must run before trainStep');
    const s = b * this.hp.batchSize;
    const e = Math.min(s + this.hp.batchSize, this.pairs.pos.length);
    return this.mlp.step(this.rowsOf(this.pairs.pos, s, e), this.rowsOf(this.pairs.neg, s, e));
  }

  /** Training slots [s, e) of `slots` as rows: their users, items and precomputed features. */
  private rowsOf(slots: Int32Array, s: number, e: number): CandidateRows {
    const { users, items, width } = this.examples.lists;
    const f = CANDIDATE_FEATURES.length;
    const n = e - s;
    const rows = {
      users: new Int32Array(n),
      items: new Int32Array(n),
      features: new Float32Array(n * f),
    };
    for (let k = 0; k < n; k++) {
      const slot = slots[s + k];
      rows.users[k] = users[Math.floor(slot / width)];
      rows.items[k] = items[slot];
      rows.features.set(this.trainFeatures.subarray(slot * f, (slot + 1) * f), k * f);
    }
    return rows;
  }

  score(lists: CandidateLists): Float32Array {
    const { users, items, width } = lists;
    const out = new Float32Array(items.length);
    const f = CANDIDATE_FEATURES.length;
    for (let from = 0; from < items.length; from += SCORE_ROWS) {
      const to = Math.min(items.length, from + SCORE_ROWS);
      const n = to - from;
      const rows = {
        users: new Int32Array(n),
        // a -1 slot is scored as item 0 and dropped by the re-ranking
        items: Int32Array.from(items.subarray(from, to), (i) => Math.max(0, i)),
        features: new Float32Array(n * f),
      };
      for (let k = 0; k < n; k++) rows.users[k] = users[Math.floor((from + k) / width)];
      candidateFeatures(lists, this.serveStats, from, to, rows.features);
      out.set(this.mlp.score(rows), from);
    }
    return out;
  }

  state(): Record<string, Float32Array> {
    return this.mlp.state();
  }

  load(state: Record<string, Float32Array>): void {
    this.mlp.load(state);
  }

  async dispose(): Promise<void> {
    this.mlp.dispose();
    await this.pool.dispose();
  }
}

/** A trainable model of the registry as the ranker: trained as usual, scoring by dot product. */
class ModelScorer implements CandidateScorer {
  readonly backend?: string;

  constructor(
    private readonly model: TrainableModel,
    private readonly lr: number,
  ) {
    this.backend = model.backend;
  }

  beginEpoch(epoch: number, rng: Rng) {
    return this.model.beginEpoch(epoch, rng);
  }

  batchesPerEpoch(): number {
    return this.model.batchesPerEpoch();
  }

  learningRate(): number {
    return this.model.learningRate?.() ?? this.lr;
  }

  trainStep(b: number) {
    return this.model.trainStep(b);
  }

  score(lists: CandidateLists): Float32Array {
    const e = this.model.embeddings?.();
    if (!e) throw new Error(`${this.model.name} has no embeddings to score candidates with`);
    const { users, items, width } = lists;
    const out = new Float32Array(items.length);
    for (let s = 0; s < items.length; s++) {
      const i = items[s];
      if (i < 0) continue;
      const u = users[Math.floor(s / width)];
      let dot = 0;
      for (let d = 0; d < e.dim; d++) dot += e.users[u * e.dim + d] * e.items[i * e.dim + d];
      out[s] = dot;
    }
    return out;
  }

  state(): Record<string, Float32Array> {
    return this.model.state?.() ?? {};
  }

  load(state: Record<string, Float32Array>): void {
    this.model.load?.(state);
  }

  async dispose(): Promise<void> {
    await this.model.dispose?.();
  }
}

/** Seconds spent in each stage, added up over a ranker's calls. */
export interface StageSeconds {
  generate: number;
  rank: number;
}

/** The pipeline as a TopKRanker: generator top-max(N, k), then the scorer's reordering. */
class TwoStageRanker implements TopKRanker {
  readonly seconds: StageSeconds = { generate: 0, rank: 0 };

  constructor(
    private readonly generator: TopKRanker,
    private readonly scorer: CandidateScorer,
    private readonly n: number,
  ) {}

  async topK(users: Int32Array, k: number, exclude: readonly Csr[]): Promise<Int32Array> {
    const t0 = performance.now();
    const width = Math.max(this.n, k);
    const lists = { users, width, items: await this.generator.topK(users, width, exclude) };
    const t1 = performance.now();
    const out = rerankCandidates(lists, this.scorer.score(lists), k);
    this.seconds.generate += (t1 - t0) / 1000;
    this.seconds.rank += (performance.now() - t1) / 1000;
    return out;
  }

  async dispose(): Promise<void> {
    await this.generator.dispose?.();
  }
}

export class TwoStage implements TrainableModel {
  readonly name = 'twostage';
  readonly backend: string;

  private constructor(
    readonly generator: Recommender,
    private readonly scorer: CandidateScorer,
    readonly hp: TwoStageHyper,
  ) {
    this.backend = `${generator.name} candidates, ranked by ${hp.ranker}: ${scorer.backend ?? 'js'}`;
  }

  static async create(
    ctx: ModelContext,
    given: Partial<TwoStageHyper>,
    lookup: (name: string) => ModelEntry,
  ): Promise<TwoStage> {
    const hp = { ...TWOSTAGE_DEFAULTS, ...given };
    const where = { file: 'twostage hyperparameters' };
    const genEntry = lookup(hp.generator);
    if (genEntry.trainable)
      throw new InputError(
        { ...where, text: `generator ${hp.generator}` },
        'a generator that does not train (its candidates are fit on the training set once)',
      );
    const scorer =
      hp.ranker === 'mlp'
        ? await mlpScorer(ctx, hp, genEntry)
        : await modelScorer(ctx, hp, lookup(hp.ranker), where.file);
    try {
      const generator = await genEntry.create({ ...ctx, rng: ctx.rng.fork() }, genEntry.defaults);
      return new TwoStage(generator, scorer, hp);
    } catch (e) {
      await scorer.dispose();
      throw e;
    }
  }

  beginEpoch(epoch: number, rng: Rng) {
    return this.scorer.beginEpoch(epoch, rng);
  }

  batchesPerEpoch(): number {
    return this.scorer.batchesPerEpoch();
  }

  trainStep(b: number) {
    return this.scorer.trainStep(b);
  }

  learningRate(): number {
    return this.scorer.learningRate?.() ?? this.hp.lr;
  }

  ranker(threads: number): TopKRanker & { readonly seconds: StageSeconds } {
    return new TwoStageRanker(this.generator.ranker(threads), this.scorer, this.hp.candidates);
  }

  state(): Record<string, Float32Array> {
    return this.scorer.state();
  }

  load(state: Record<string, Float32Array>): void {
    this.scorer.load(state);
  }

  async dispose(): Promise<void> {
    await this.scorer.dispose();
    await this.generator.dispose?.();
  }
}

/** Every user's top-n of `ranker`, training items (`exclude`) left out. */
async function allCandidates(ranker: TopKRanker, n: number, exclude: Csr): Promise<CandidateLists> {
  const users = Int32Array.from({ length: exclude.nRows }, (_, u) => u);
  try {
    return { users, width: n, items: await ranker.topK(users, n, [exclude]) };
  } finally {
    await ranker.dispose?.();
  }
}

/**
 * The MLP's examples: labels held out of train, the generator fit on the rest and its
 * candidates for the rest, features of the rest (for training) and of all train (for serving).
 */
async function mlpScorer(
  ctx: ModelContext,
  hp: TwoStageHyper,
  genEntry: ModelEntry,
): Promise<MlpScorer> {
  const { kept, labels } = holdOutLabels(ctx.trainCsr, hp.labelShare, ctx.rng.fork());
  const keptCsr = userItemCsr(kept);
  const keptCtx: ModelContext = {
    ...ctx,
    train: kept,
    trainCsr: keptCsr,
    trainCsrT: itemUserCsr(kept),
    rng: ctx.rng.fork(),
  };
  const keptGenerator = await genEntry.create(keptCtx, genEntry.defaults);
  let lists: CandidateLists;
  try {
    lists = await allCandidates(keptGenerator.ranker(ctx.threads), hp.candidates, keptCsr);
  } finally {
    await keptGenerator.dispose?.();
  }
  const examples = candidateExamples(lists, labels);
  ctx.log(
    `twostage: ${examples.positives.length} of ${labels.indices.length} held-out labels are among the ${hp.generator} candidates (the MLP's positives)`,
  );
  const rng = ctx.rng.fork();
  const pool = await Pool.create({ threads: ctx.threads });
  try {
    const mlp = new CandidateMlp(pool, ctx.train.nUsers, ctx.train.nItems, hp, rng);
    const trainStats = featureStats(keptCsr, hp.candidates);
    const serveStats = featureStats(ctx.trainCsr, hp.candidates);
    return new MlpScorer(mlp, pool, examples, trainStats, serveStats, hp);
  } catch (e) {
    await pool.dispose();
    throw e;
  }
}

/**
 * A registry model as the ranker, with its own defaults: the pipeline's dim, lr, reg, ... are
 * the MLP's (reg 1 would stop MF from learning at all).
 */
async function modelScorer(
  ctx: ModelContext,
  hp: TwoStageHyper,
  entry: ModelEntry,
  file: string,
): Promise<ModelScorer> {
  const model = await entry.create({ ...ctx, rng: ctx.rng.fork() }, entry.defaults);
  if (!isTrainable(model) || !model.embeddings) {
    await model.dispose?.();
    throw new InputError(
      { file, text: `ranker ${entry.name}` },
      'mlp or a trainable model with embeddings (mf, lightgcn, ...)',
    );
  }
  return new ModelScorer(model, hp.lr);
}
