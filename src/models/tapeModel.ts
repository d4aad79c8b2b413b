/**
 * The base every model written on the tape extends (GCN, GraphSAGE, GAT, ...): it owns the
 * pool, the parameters and their optimizer, draws the epoch's (user, positive, negative)
 * triples, cuts them into mini-batches, scores each pair by dot product, adds the loss and
 * the L2 term, runs backward and steps Adam; it saves and restores parameters and optimizer
 * state for checkpoints and exact resume, and ranks with the pool's dot-product ranker.
 *
 * A model file then holds only what its paper says: its parameters (declared with param()),
 * batchVectors() (the forward pass to the final user and item vectors of a batch's pairs) and
 * allVectors() (the same forward pass for every user and item, for ranking). Both read
 * parameters through read(), which is a tape leaf with a gradient while training and a plain
 * input while ranking, so inference records nothing.
 *
 * Negatives come from the NegativeSampler component (src/train/negativeSampler.ts): per
 * positive (uniform, popularity), shared by a mini-batch, hard ones from the user's PPR rank
 * window, on a curriculum; a model returns vectors for a batch's shared items when it has them.
 *
 * Loss, as the LightGCN reference code and RecBole's BPR models: the mean pair loss of
 * ./batchLoss.ts (bpr, bce, or hinge with `margin`) + reg/2 (|e_u|^2 + |e_i|^2 + |e_j|^2)
 * / pairs over the vectors a model lists as regularised (its ego embeddings of the batch).
 */
import { sortRows } from '../data/csr.js';
import { Pool } from '../engine/pool.js';
import type { Rng } from '../util/rng.js';
import { normalFill, xavierUniform } from '../engine/tape/init.js';
import { Param } from '../engine/tape/param.js';
import { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import { add, scale, sumSquares } from '../engine/tape/ops/index.js';
import type { TopKRanker } from '../eval/ranking.js';
import {
  learningRateSchedule,
  LR_SCHEDULE_DEFAULTS,
  type LearningRateAt,
} from '../train/lrSchedule.js';
import { NegativeSampler, type EpochNegatives } from '../train/negativeSampler.js';
import { TapeAdam, TAPE_OPTIMIZERS } from '../train/tapeAdam.js';
import { InputError } from '../util/errors.js';
import {
  LIGHTGCN_CODE_HYPER,
  LR_SCHEDULE_HYPER,
  type HyperDeclarations,
} from './hyperparameters.js';
import { batchLoss } from './batchLoss.js';
import { dotRanker } from './rankers.js';
import type { Embeddings, ModelContext, TrainableModel } from './types.js';

export const TAPE_LOSSES = ['bpr', 'bce', 'margin'] as const;

/** What every tape model trains with; a model spreads these into its own defaults. */
export const TAPE_MODEL_DEFAULTS = {
  dim: 64,
  lr: 0.001,
  ...LR_SCHEDULE_DEFAULTS,
  reg: 1e-4,
  batchSize: 2048,
  initStd: 0.1,
  loss: 'bpr' as string,
  /** the hinge's Delta for loss margin (PinSAGE eq. 1) */
  margin: 0.1,
  negatives: 1,
  sampler: 'uniform' as string,
  sharedNegatives: 0,
  hardNegatives: 0,
  curriculum: false as boolean,
  hardRankFrom: 0.05,
  hardRankTo: 0.2,
  optimizer: 'adam' as string,
};

export type TapeModelHyper = typeof TAPE_MODEL_DEFAULTS;

export const TAPE_MODEL_HYPER = {
  ...LIGHTGCN_CODE_HYPER,
  ...LR_SCHEDULE_HYPER,
  loss: {
    type: 'enum',
    choices: TAPE_LOSSES,
    description: 'loss on (positive, negative) score pairs: BPR, binary cross-entropy, or hinge',
    source: 'BPR: the LightGCN and NGCF papers (and their codes)',
  },
  margin: {
    type: 'number',
    min: 0,
    description: 'Delta of the hinge loss max(0, s_neg - s_pos + Delta) (loss margin)',
    source: 'PinSAGE (Ying et al. 2018) eq. 1; 0.1 as train/losses.ts',
  },
  negatives: {
    type: 'integer',
    min: 1,
    description: 'negative items drawn per positive',
    source: "1: the LightGCN code's UniformSample_original",
  },
  sampler: {
    type: 'enum',
    choices: ['uniform', 'popularity'],
    description: 'how negatives are drawn: uniformly, or by popularity^0.75',
    source: "uniform: the LightGCN code's UniformSample_original",
  },
  sharedNegatives: {
    type: 'integer',
    min: 0,
    description:
      'S > 0: one set of S negatives per mini-batch, shared by all its positives, instead of `negatives` per positive (0: per positive)',
    source: 'PinSAGE (Ying et al. 2018) section 3.3 and the CS224W notes: 500 per mini-batch',
  },
  hardNegatives: {
    type: 'integer',
    min: 0,
    description:
      "hard negatives per positive, in addition to the others: items from the user's personalized-PageRank rank window (the cap, with curriculum)",
    source: 'PinSAGE section 3.3; 0: none, as the LightGCN code',
  },
  curriculum: {
    type: 'boolean',
    description: 'epoch n draws min(n - 1, hardNegatives) hard negatives per positive',
    source: 'PinSAGE section 3.6: "at epoch n we add n - 1 hard negative items"',
  },
  hardRankFrom: {
    type: 'number',
    min: 0,
    max: 1,
    description:
      "start of the hard negatives' PPR rank window, as a fraction of the catalogue (the user's own items left out)",
    source:
      "PinSAGE's ranks 2000-5000 of billions, scaled: 0.05 of Gowalla's 40981 items is rank 2049",
  },
  hardRankTo: {
    type: 'number',
    min: 0,
    max: 1,
    description:
      "end (exclusive) of the hard negatives' PPR rank window, a fraction of the catalogue",
    source: 'PinSAGE ranks 2000-5000, scaled: 0.2 of Gowalla is rank 8196, of ml-100k 336',
  },
  optimizer: {
    type: 'enum',
    choices: TAPE_OPTIMIZERS,
    description:
      'adam: dense (every moment decays every step); sparseAdam: lazy, only the rows a batch used',
    source: 'adam: torch.optim.Adam, as the LightGCN and NGCF codes',
  },
} as const satisfies HyperDeclarations<TapeModelHyper>;

/** The pairs of one mini-batch: pair k scores users[k] against pos[k] and neg[k]. */
export interface PairBatch {
  readonly users: Int32Array;
  readonly pos: Int32Array;
  readonly neg: Int32Array;
  /**
   * pairs per (user, positive) triple: pairs q*negatives .. q*negatives + negatives-1 share
   * their user and positive (1 when absent)
   */
  readonly negatives?: number;
  /** the mini-batch's shared negatives (sharedNegatives > 0), scored against every triple */
  readonly shared?: Int32Array;
  /** [triples x shared] flags: 1 where the shared item is that triple's user's own */
  readonly sharedMask?: Uint8Array;
}

/** A forward pass's result for a batch: one row per pair, and the rows the L2 term covers. */
export interface BatchVectors {
  readonly users: Tensor;
  readonly pos: Tensor;
  readonly neg: Tensor;
  /** the shared negatives' vectors, one row per item of the batch's `shared` */
  readonly shared?: Tensor;
  readonly regularized: readonly Tensor[];
  /** what the L2 sum is divided by (default: the number of pairs) */
  readonly l2Divisor?: number;
}

export type ParamInit =
  { readonly normal: number } | { readonly xavier: true } | { readonly zeros: true };

export abstract class TapeModel<H extends TapeModelHyper> implements TrainableModel {
  abstract readonly name: string;
  readonly backend: string;
  readonly dim: number;
  readonly nUsers: number;
  readonly nItems: number;
  protected readonly hp: H;
  protected readonly tape: Tape;
  /** true inside trainStep: read() gives gradient leaves */
  protected training = false;
  private readonly params: Param[] = [];
  private adam: TapeAdam | undefined;
  private readonly lrAt: LearningRateAt;
  private readonly rng: Rng;
  /** the negatives component (uniform, popularity, shared, hard, curriculum) */
  readonly sampler: NegativeSampler;
  private triples: EpochNegatives | undefined;
  /** pair buffers of the current batch, reused */
  private pairs: { users: Int32Array; pos: Int32Array; neg: Int32Array } | undefined;

  protected constructor(
    name: string,
    ctx: ModelContext,
    hyper: H,
    protected readonly pool: Pool,
  ) {
    this.hp = hyper;
    const where = { file: `${name} hyperparameters` };
    if (!(TAPE_LOSSES as readonly string[]).includes(hyper.loss))
      throw new InputError({ ...where, text: hyper.loss }, `loss one of ${TAPE_LOSSES.join(', ')}`);
    if (!(TAPE_OPTIMIZERS as readonly string[]).includes(hyper.optimizer))
      throw new InputError(
        { ...where, text: hyper.optimizer },
        `optimizer one of ${TAPE_OPTIMIZERS.join(', ')}`,
      );
    if (!(hyper.hardRankFrom < hyper.hardRankTo))
      throw new InputError(
        { ...where, text: `hardRankFrom=${hyper.hardRankFrom} hardRankTo=${hyper.hardRankTo}` },
        'hardRankFrom < hardRankTo (the PPR rank window of hard negatives)',
      );
    this.dim = hyper.dim;
    this.nUsers = ctx.train.nUsers;
    this.nItems = ctx.train.nItems;
    this.rng = ctx.rng;
    this.lrAt = learningRateSchedule(hyper, name);
    const userItems = sortRows({ ...ctx.trainCsr, indices: ctx.trainCsr.indices.slice() });
    this.sampler = new NegativeSampler(userItems, ctx.trainCsrT, {
      ...hyper,
      sampler: hyper.sampler as 'uniform' | 'popularity',
    });
    this.tape = new Tape(pool);
    this.backend = `${pool.kernelKind} kernels (autodiff tape, ${hyper.optimizer}), ${pool.threads} thread(s)`;
  }

  /** Runs `make` with a pool of the context's threads, disposing it when construction fails. */
  static async onPool<M>(ctx: ModelContext, make: (pool: Pool) => M): Promise<M> {
    const pool = await Pool.create({ threads: ctx.threads });
    try {
      return make(pool);
    } catch (e) {
      await pool.dispose();
      throw e;
    }
  }

  /** Declares a parameter, initialised from the context's seeded stream, in declaration order. */
  protected param(name: string, rows: number, cols: number, init: ParamInit): Param {
    if (this.adam) throw new Error(`${name}: parameters are declared before training starts`);
    const p = new Param(this.pool, name, rows, cols);
    if ('normal' in init) normalFill(p.data, init.normal, this.rng);
    else if ('xavier' in init) xavierUniform(p.data, rows, cols, this.rng);
    this.params.push(p);
    return p;
  }

  /** A parameter as the forward pass reads it: with a gradient while training, plain otherwise. */
  protected read(t: Tape, p: Param): Tensor {
    return this.training ? t.param(p) : t.input(p.data, p.rows, p.cols, false);
  }

  /** The forward pass for a batch's pairs (users, positive and negative items). */
  protected abstract batchVectors(t: Tape, batch: PairBatch): BatchVectors;

  /** A further term of the step's loss (CKE's KG loss), on the same tape; none by default. */
  protected auxiliaryLoss(_t: Tape): Tensor | undefined {
    return undefined;
  }

  /** The forward pass for every user and every item: [nUsers x d] and [nItems x d]. */
  protected abstract allVectors(t: Tape): { users: Tensor; items: Tensor };

  private optimizer(): TapeAdam {
    this.adam ??= new TapeAdam(this.pool, this.params, {
      lr: this.hp.lr,
      sparse: this.hp.optimizer === 'sparseAdam',
    });
    return this.adam;
  }

  beginEpoch(epoch: number, rng: Rng): void {
    this.optimizer().lr = this.lrAt(epoch);
    this.triples = this.sampler.epoch(epoch, rng);
  }

  learningRate(): number {
    return this.optimizer().lr;
  }

  batchesPerEpoch(): number {
    return this.triples ? Math.ceil(this.triples.users.length / this.hp.batchSize) : 0;
  }

  trainStep(b: number): number {
    const tr = this.triples;
    if (!tr) throw new Error('beginEpoch must run before trainStep');
    const s = b * this.hp.batchSize;
    const e = Math.min(s + this.hp.batchSize, tr.users.length);
    const loss = this.lossAndGradient(this.pairsOf(tr, s, e, b));
    this.optimizer().step();
    return loss;
  }

  /** The batch's loss; leaves its gradient in the parameters (for tests: no update). */
  lossAndGradient(batch: PairBatch): number {
    const t = this.tape;
    t.reset();
    // this batch's gradient only, not added to one an earlier call left without a step
    for (const p of this.params) p.clearGrad();
    this.training = true;
    try {
      const v = this.batchVectors(t, batch);
      const { reg } = this.hp;
      let loss = batchLoss(t, v, batch, this.hp, this.name);
      if (reg > 0 && v.regularized.length > 0) {
        let l2 = sumSquares(t, v.regularized[0]);
        for (const r of v.regularized.slice(1)) l2 = add(t, l2, sumSquares(t, r));
        const divisor = v.l2Divisor ?? batch.users.length;
        loss = add(t, loss, scale(t, l2, (reg * 0.5) / Math.max(1, divisor)));
      }
      const aux = this.auxiliaryLoss(t);
      if (aux) loss = add(t, loss, aux);
      t.backward(loss);
      return loss.item();
    } finally {
      this.training = false;
    }
  }

  /**
   * Triples [s, e) (mini-batch b) expanded to one pair per per-positive negative (one row per
   * triple, and no negatives, when all its negatives are shared).
   */
  private pairsOf(tr: EpochNegatives, s: number, e: number, b: number): PairBatch {
    const k = Math.max(1, tr.negatives);
    const n = (e - s) * k;
    if (!this.pairs || this.pairs.users.length < n)
      this.pairs = { users: new Int32Array(n), pos: new Int32Array(n), neg: new Int32Array(n) };
    const { users, pos, neg } = this.pairs;
    for (let p = 0; p < n; p++) {
      const q = s + Math.floor(p / k);
      users[p] = tr.users[q];
      pos[p] = tr.pos[q];
      if (tr.negatives > 0) neg[p] = tr.neg[s * k + p];
    }
    const shared = tr.shared?.[b];
    return {
      users: users.subarray(0, n),
      pos: pos.subarray(0, n),
      neg: neg.subarray(0, tr.negatives > 0 ? n : 0),
      negatives: tr.negatives,
      ...(shared && {
        shared,
        sharedMask: this.sampler.sharedMask(tr.users.subarray(s, e), shared),
      }),
    };
  }

  /** Final vectors of every user and item (one forward pass, no gradient). */
  embeddings(): Embeddings {
    const t = new Tape(this.pool);
    try {
      const { users, items } = this.allVectors(t);
      return { dim: users.cols, users: users.data.slice(), items: items.data.slice() };
    } finally {
      t.dispose();
    }
  }

  ranker(threads: number): TopKRanker {
    return dotRanker(this.embeddings(), threads, this.pool);
  }

  state(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const p of this.params) out[p.name] = p.data;
    return { ...out, ...this.optimizer().state('adam') };
  }

  load(state: Record<string, Float32Array>): void {
    restoreParams(this.params, state);
    this.optimizer().load('adam', state);
  }

  async dispose(): Promise<void> {
    this.tape.dispose();
    await this.pool.dispose();
  }
}

/** Copies each parameter's array from a checkpoint's state; throws on a missing or odd-sized one. */
export function restoreParams(params: readonly Param[], state: Record<string, Float32Array>): void {
  for (const p of params) {
    const s = state[p.name];
    if (!s || s.length !== p.size)
      throw new Error(`checkpoint: parameter ${p.name} missing or not ${p.rows} x ${p.cols}`);
    p.data.set(s);
  }
}

/** Parameters and their Adam moments by name, as a checkpoint holds them (restoreParams' inverse). */
export function paramState(params: readonly Param[], adam: TapeAdam): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const p of params) out[p.name] = p.data;
  return { ...out, ...adam.state('adam') };
}
