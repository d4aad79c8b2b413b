/**
 * GRU4Rec (Hidasi, Karatzoglou, Baltrunas, Tikk: Session-based Recommendations with Recurrent
 * Neural Networks, ICLR 2016), on the autodiff tape.
 *
 * Each user's training interactions in time order are one sequence (a session, where the
 * dataset's users are sessions). The input is the current item's embedding; GRU layers carry a
 * hidden state along the sequence; the score of item i is the last layer's state h dotted with
 * item i's output vector, plus its bias (the original code's Wy, By: stored as one [h | b] row,
 * with [h | 1] on the state side, so ranking is a plain dot product).
 *
 * Training (section 3.1): session-parallel mini-batches (train/sessionParallel.ts), the hidden
 * state carried from step to step and reset when a slot starts a new session, gradients through
 * one step (the original code's truncation); scores against the batch's targets (each example's
 * target on the diagonal, the other examples' targets its negatives, popularity-based sampling,
 * except where they are the same item)
 * plus `extraSamples` items drawn by popularity^0.75; loss TOP1 or BPR (2016), TOP1-max or
 * BPR-max (Hidasi & Karatzoglou, CIKM 2018), or `ce`, the cross-entropy over all items (RecBole's
 * GRU4Rec). Adam on every parameter.
 *
 * Ranking for a user: the state after their whole training sequence; for the next-item
 * evaluation (eval/nextItem.ts), the state after each case's input sequence.
 */
import { userSequences, type Sequences } from '../data/sequences.js';
import { Pool } from '../engine/pool.js';
import type { Rng } from '../util/rng.js';
import { xavierUniform } from '../engine/tape/init.js';
import { Param } from '../engine/tape/param.js';
import { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  concatCols,
  gather,
  gruReset,
  gruUpdate,
  matmul,
  matmulNT,
  sessionLoss,
  SESSION_LOSS_OPS,
  softmaxCrossEntropy,
  type SessionLossKind,
} from '../engine/tape/ops/index.js';
import type { NextItemScorer } from '../eval/nextItem.js';
import type { TopKRanker } from '../eval/ranking.js';
import { sessionParallelPlan, type SessionParallelPlan } from '../train/sessionParallel.js';
import { drawFromCdf, popularityCdf } from '../train/samplers.js';
import { TapeAdam } from '../train/tapeAdam.js';
import { InputError } from '../util/errors.js';
import { LIGHTGCN_CODE_HYPER, type HyperDeclarations } from './hyperparameters.js';
import { dotRanker } from './rankers.js';
import { restoreParams } from './tapeModel.js';
import type { Embeddings, ModelContext, TrainableModel } from './types.js';

export const GRU4REC_TITLE = 'GRU4Rec (session-based recommendations with recurrent networks)';
export const GRU4REC_PAPER =
  'Hidasi, Karatzoglou, Baltrunas, Tikk: Session-based Recommendations with Recurrent Neural Networks, ICLR 2016';

export const SESSION_LOSSES = [...SESSION_LOSS_OPS, 'ce'] as const;

export const GRU4REC_DEFAULTS = {
  dim: 64,
  hidden: 100,
  layers: 1,
  lr: 0.002,
  batchSize: 32,
  sessionLoss: 'bpr-max' as string,
  bpreg: 1,
  extraSamples: 0,
};

export type Gru4RecHyper = typeof GRU4REC_DEFAULTS;

export const GRU4REC_HYPER = {
  dim: {
    ...LIGHTGCN_CODE_HYPER.dim,
    description: 'item embedding size (the GRU input)',
    source: 'RecBole GRU4Rec: embedding_size 64',
  },
  hidden: {
    type: 'integer',
    min: 1,
    description: 'GRU units per layer',
    source: 'the paper, section 4: 100 units',
  },
  layers: {
    type: 'integer',
    min: 0,
    description: 'GRU layers (0: the input embedding is the state, an item-to-item model)',
    source: 'the paper, section 4: one layer was best',
  },
  lr: { ...LIGHTGCN_CODE_HYPER.lr, source: 'tuned on the DIGINETICA sample (the paper: Adagrad)' },
  batchSize: {
    type: 'integer',
    min: 1,
    description: 'session-parallel slots per mini-batch',
    source: 'the 2018 code: batch_size 32',
  },
  sessionLoss: {
    type: 'enum',
    choices: SESSION_LOSSES,
    description:
      'ranking loss over the mini-batch: bpr, top1 (2016), bpr-max, top1-max (2018), or ce (softmax over all items)',
    source: 'bpr-max: Hidasi & Karatzoglou 2018, their best',
  },
  bpreg: {
    type: 'number',
    min: 0,
    description: 'BPR-max score regularisation lambda (sum_j p_j s_j^2)',
    source: 'the 2018 code: bpreg 1.0',
  },
  extraSamples: {
    type: 'integer',
    min: 0,
    description: 'negatives drawn by popularity^0.75 per mini-batch, beside the in-batch ones',
    source: 'the issue: in-batch negatives (the 2018 paper adds 2048)',
  },
} as const satisfies HyperDeclarations<Gru4RecHyper>;

/** One GRU layer's weights: [W_z W_r W] over the input, [U_z U_r] and U over the state. */
export interface GruWeights {
  /** [in x 3h] */
  readonly wx: Tensor;
  /** [1 x 3h] */
  readonly bx: Tensor;
  /** [h x 2h] */
  readonly uzr: Tensor;
  /** [h x h] */
  readonly u: Tensor;
}

/**
 * One GRU step for a batch of rows: x [n x in], hPrev [n x h] -> h [n x h] (section 3.1). The
 * gates' elementwise work runs in the tape's fused gruReset / gruUpdate ops (ops/gruCell.ts),
 * around the three matmuls.
 */
export function gruCell(t: Tape, x: Tensor, hPrev: Tensor, w: GruWeights): Tensor {
  // [W_z x_t | W_r x_t | W x_t] + b and [U_z h_{t-1} | U_r h_{t-1}]
  const xw = matmul(t, x, w.wx, w.bx);
  const hu = matmul(t, hPrev, w.uzr);
  // r_t = sigma(W_r x_t + U_r h_{t-1}); the product r_t ⊙ h_{t-1}
  const rh = gruReset(t, xw, hu, hPrev);
  // z_t = sigma(W_z x_t + U_z h_{t-1})
  // ĥ_t = tanh(W x_t + U (r_t ⊙ h_{t-1}))
  // h_t = (1 - z_t) h_{t-1} + z_t ĥ_t
  return gruUpdate(t, xw, hu, hPrev, matmul(t, rh, w.u));
}

interface LayerParams {
  readonly wx: Param;
  readonly bx: Param;
  readonly uzr: Param;
  readonly u: Param;
}

export class Gru4Rec implements TrainableModel, NextItemScorer {
  readonly name = 'gru4rec';
  readonly backend: string;
  readonly nItems: number;
  private readonly hp: Gru4RecHyper;
  private readonly tape: Tape;
  private readonly params: Param[] = [];
  private readonly embedding: Param;
  private readonly layerParams: LayerParams[] = [];
  /** [nItems x (state + 1)]: output vector and bias per item */
  private readonly output: Param;
  private readonly adam: TapeAdam;
  private readonly sequences: Sequences;
  private readonly stateSize: number;
  /** (users per item + 1)^0.75, cumulative, for extra samples (train/samplers.ts) */
  private readonly cdf: Float64Array;
  private training = false;
  private plan: SessionParallelPlan | undefined;
  private rng: Rng | undefined;
  /** per layer, [batchSize x hidden]: each slot's state, carried between steps */
  private carried: Float32Array[] = [];

  private constructor(
    ctx: ModelContext,
    hyper: Gru4RecHyper,
    private readonly pool: Pool,
  ) {
    this.hp = hyper;
    if (!(SESSION_LOSSES as readonly string[]).includes(hyper.sessionLoss))
      throw new InputError(
        { file: 'gru4rec hyperparameters', text: hyper.sessionLoss },
        `sessionLoss one of ${SESSION_LOSSES.join(', ')}`,
      );
    this.nItems = ctx.train.nItems;
    this.sequences = userSequences(ctx.train);
    this.tape = new Tape(pool);
    const rng = ctx.rng;
    const param = (name: string, rows: number, cols: number, zeros = false): Param => {
      const p = new Param(pool, name, rows, cols);
      // the original code's init: U(-a, a), a = sqrt(6 / (fan_in + fan_out)); biases 0
      if (!zeros) xavierUniform(p.data, rows, cols, rng);
      this.params.push(p);
      return p;
    };
    const { dim, hidden, layers } = hyper;
    this.embedding = param('embedding', this.nItems, dim);
    for (let l = 0; l < layers; l++)
      this.layerParams.push({
        wx: param(`gru${l}.wx`, l === 0 ? dim : hidden, 3 * hidden),
        bx: param(`gru${l}.bx`, 1, 3 * hidden, true),
        uzr: param(`gru${l}.uzr`, hidden, 2 * hidden),
        u: param(`gru${l}.u`, hidden, hidden),
      });
    this.stateSize = layers > 0 ? hidden : dim;
    this.output = param('output', this.nItems, this.stateSize + 1);
    for (let i = 0; i < this.nItems; i++)
      this.output.data[i * (this.stateSize + 1) + this.stateSize] = 0;
    this.adam = new TapeAdam(pool, this.params, { lr: hyper.lr });
    this.cdf = popularityCdf(ctx.trainCsrT, 0.75);
    this.backend = `${pool.kernelKind} kernels (autodiff tape, adam), ${pool.threads} thread(s)`;
  }

  static async create(ctx: ModelContext, hyper: Partial<Gru4RecHyper> = {}): Promise<Gru4Rec> {
    const pool = await Pool.create({ threads: ctx.threads });
    try {
      return new Gru4Rec(ctx, { ...GRU4REC_DEFAULTS, ...hyper }, pool);
    } catch (e) {
      await pool.dispose();
      throw e;
    }
  }

  private read(t: Tape, p: Param): Tensor {
    return this.training ? t.param(p) : t.input(p.data, p.rows, p.cols, false);
  }

  private weights(t: Tape, l: number): GruWeights {
    const p = this.layerParams[l];
    return {
      wx: this.read(t, p.wx),
      bx: this.read(t, p.bx),
      uzr: this.read(t, p.uzr),
      u: this.read(t, p.u),
    };
  }

  /**
   * One step for n rows: their input items and each layer's previous state (rows of `states`,
   * or zeros where `fresh`); writes the new states back, returns [last state | 1] [n x (s+1)].
   */
  private step(
    t: Tape,
    items: ArrayLike<number>,
    states: readonly Float32Array[],
    rowOf: (k: number) => number,
    fresh: (k: number) => boolean,
  ): Tensor {
    const n = items.length;
    const h = this.hp.hidden;
    let x = gather(t, this.read(t, this.embedding), items);
    for (let l = 0; l < this.layerParams.length; l++) {
      const prev = t.buffer(n * h);
      for (let k = 0; k < n; k++) {
        if (fresh(k)) prev.fill(0, k * h, (k + 1) * h);
        else prev.set(states[l].subarray(rowOf(k) * h, (rowOf(k) + 1) * h), k * h);
      }
      x = gruCell(t, x, t.input(prev, n, h), this.weights(t, l));
      for (let k = 0; k < n; k++) states[l].set(x.data.subarray(k * h, (k + 1) * h), rowOf(k) * h);
    }
    return concatCols(t, [x, t.input(t.buffer(n).fill(1), n, 1)]);
  }

  beginEpoch(_epoch: number, rng: Rng): void {
    const order = Int32Array.from({ length: this.sequences.offsets.length - 1 }, (_, s) => s);
    rng.shuffle(order);
    this.rng = rng;
    this.plan = sessionParallelPlan(this.sequences, order, this.hp.batchSize);
    this.carried = this.layerParams.map(() => new Float32Array(this.hp.batchSize * this.hp.hidden));
  }

  learningRate(): number {
    return this.adam.lr;
  }

  batchesPerEpoch(): number {
    return this.plan ? this.plan.stepOffsets.length - 1 : 0;
  }

  /** Step b of the epoch's plan; steps must run in order (the states carry over). */
  trainStep(b: number): number {
    const p = this.plan;
    if (!p) throw new Error('beginEpoch must run before trainStep');
    const s0 = p.stepOffsets[b];
    const s1 = p.stepOffsets[b + 1];
    const t = this.tape;
    t.reset();
    this.training = true;
    try {
      const out = this.step(
        t,
        p.inputs.subarray(s0, s1),
        this.carried,
        (k) => p.slots[s0 + k],
        (k) => p.resets[s0 + k] === 1,
      );
      const loss = this.loss(t, out, p.targets.subarray(s0, s1));
      if (!loss) return 0;
      t.backward(loss);
      this.adam.step();
      return loss.item();
    } finally {
      this.training = false;
    }
  }

  /** The step's loss; undefined for a one-example step with nothing to contrast it with. */
  private loss(t: Tape, out: Tensor, targets: Int32Array): Tensor | undefined {
    const kind = this.hp.sessionLoss;
    if (kind === 'ce')
      return softmaxCrossEntropy(t, matmulNT(t, out, this.read(t, this.output)), targets);
    const extra = this.hp.extraSamples;
    if (targets.length + extra < 2) return undefined;
    const candidates = new Int32Array(targets.length + extra);
    candidates.set(targets);
    for (let k = 0; k < extra; k++)
      candidates[targets.length + k] = drawFromCdf(this.cdf, this.rng as Rng);
    const scores = matmulNT(t, out, gather(t, this.read(t, this.output), candidates));
    return sessionLoss(t, kind as SessionLossKind, scores, this.hp.bpreg, candidates);
  }

  /** [state | 1] after each of rows [from, to) of seqs, read item by item (zeros if empty). */
  finalStates(seqs: Sequences, from: number, to: number): Float32Array {
    const n = to - from;
    const s = this.stateSize + 1;
    const out = new Float32Array(n * s);
    for (let k = 0; k < n; k++) out[k * s + this.stateSize] = 1;
    const states = this.layerParams.map(() => new Float32Array(n * this.hp.hidden));
    const len = (k: number) => seqs.offsets[from + k + 1] - seqs.offsets[from + k];
    let longest = 0;
    for (let k = 0; k < n; k++) longest = Math.max(longest, len(k));
    const t = new Tape(this.pool);
    try {
      for (let step = 0; step < longest; step++) {
        const rows: number[] = [];
        for (let k = 0; k < n; k++) if (len(k) > step) rows.push(k);
        const items = rows.map((k) => seqs.items[seqs.offsets[from + k] + step]);
        t.reset();
        const y = this.step(
          t,
          items,
          states,
          (j) => rows[j],
          () => step === 0,
        );
        rows.forEach((k, j) => out.set(y.data.subarray(j * s, (j + 1) * s), k * s));
      }
    } finally {
      t.dispose();
    }
    return out;
  }

  /** Next-item scores: [state | 1] after each input row, dotted with every item's [w | b]. */
  scoreNext(inputs: Sequences, from: number, to: number, out: Float32Array): void {
    const states = this.finalStates(inputs, from, to);
    const t = new Tape(this.pool);
    try {
      const s = this.stateSize + 1;
      const st = t.constant(states, to - from, s);
      const y = matmulNT(t, st, t.input(this.output.data, this.nItems, s));
      out.set(y.data);
    } finally {
      t.dispose();
    }
  }

  embeddings(): Embeddings {
    const n = this.sequences.offsets.length - 1;
    return {
      dim: this.stateSize + 1,
      users: this.finalStates(this.sequences, 0, n),
      items: this.output.data.slice(),
    };
  }

  ranker(threads: number): TopKRanker {
    return dotRanker(this.embeddings(), threads, this.pool);
  }

  state(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const p of this.params) out[p.name] = p.data;
    return { ...out, ...this.adam.state('adam') };
  }

  load(state: Record<string, Float32Array>): void {
    restoreParams(this.params, state);
    this.adam.load('adam', state);
  }

  async dispose(): Promise<void> {
    this.tape.dispose();
    await this.pool.dispose();
  }
}
