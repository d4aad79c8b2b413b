/**
 * The two-stage pipeline's learned ranker, on the tape: a score for a (user, candidate) pair
 *
 *   s(u, i) = w2 . ReLU(W1 [e_u || e_i || f_ui] + b1) + e_u . e_i
 *
 * over learnable id embeddings e_u, e_i and the candidate's features f_ui (its generator rank,
 * its popularity, its user's activity: candidateExamples.ts). The dot term is matrix
 * factorisation's score, which an MLP over concatenated ids learns poorly (Rendle et al.,
 * RecSys 2020); the MLP adds what the features say. Trained with BPR on (labelled candidate,
 * other candidate of the same user) pairs + L2 on the batch's embeddings, by Adam.
 */
import type { Pool } from '../engine/pool.js';
import type { Rng } from '../util/rng.js';
import { normalFill, xavierUniform } from '../engine/tape/init.js';
import { Param } from '../engine/tape/param.js';
import { Tape } from '../engine/tape/tape.js';
import type { Tensor } from '../engine/tape/tensor.js';
import {
  add,
  bpr,
  concatCols,
  gather,
  matmul,
  relu,
  rowDot,
  scale,
  sumSquares,
} from '../engine/tape/ops/index.js';
import { TapeAdam } from '../train/tapeAdam.js';
import { CANDIDATE_FEATURES } from './candidateExamples.js';
import { paramState, restoreParams } from './tapeModel.js';

export interface CandidateMlpHyper {
  readonly dim: number;
  readonly hidden: number;
  readonly lr: number;
  readonly reg: number;
  readonly initStd: number;
}

/** Pairs (or single candidates) to score: user ids, item ids and their features, row-aligned. */
export interface CandidateRows {
  readonly users: Int32Array;
  readonly items: Int32Array;
  /** rows x CANDIDATE_FEATURES.length */
  readonly features: Float32Array;
}

const F = CANDIDATE_FEATURES.length;

export class CandidateMlp {
  private readonly params: Param[] = [];
  private readonly userEmb: Param;
  private readonly itemEmb: Param;
  private readonly w1: Param;
  private readonly b1: Param;
  private readonly w2: Param;
  private readonly adam: TapeAdam;
  private readonly tape: Tape;
  private training = false;

  constructor(
    private readonly pool: Pool,
    nUsers: number,
    nItems: number,
    private readonly hp: CandidateMlpHyper,
    rng: Rng,
  ) {
    const { dim, hidden, initStd } = hp;
    const normal = (p: Param) => normalFill(p.data, initStd, rng);
    const xavier = (p: Param) => xavierUniform(p.data, p.rows, p.cols, rng);
    this.userEmb = this.param('userEmb', nUsers, dim, normal);
    this.itemEmb = this.param('itemEmb', nItems, dim, normal);
    this.w1 = this.param('w1', 2 * dim + F, hidden, xavier);
    this.b1 = this.param('b1', 1, hidden, () => undefined);
    this.w2 = this.param('w2', hidden, 1, xavier);
    this.adam = new TapeAdam(pool, this.params, { lr: hp.lr });
    this.tape = new Tape(pool);
  }

  private param(name: string, rows: number, cols: number, init: (p: Param) => void): Param {
    const p = new Param(this.pool, name, rows, cols);
    init(p);
    this.params.push(p);
    return p;
  }

  private read(t: Tape, p: Param): Tensor {
    return this.training ? t.param(p) : t.input(p.data, p.rows, p.cols, false);
  }

  /** Scores [rows x 1] and the gathered embeddings (for the L2 term). */
  private forward(t: Tape, rows: CandidateRows) {
    const n = rows.users.length;
    const eu = gather(t, this.read(t, this.userEmb), rows.users);
    const ei = gather(t, this.read(t, this.itemEmb), rows.items);
    const f = t.constant(rows.features.subarray(0, n * F), n, F);
    const h = relu(
      t,
      matmul(t, concatCols(t, [eu, ei, f]), this.read(t, this.w1), this.read(t, this.b1)),
    );
    const score = add(t, matmul(t, h, this.read(t, this.w2)), rowDot(t, eu, ei));
    return { score, eu, ei };
  }

  /** BPR loss of positives over negatives (row-aligned) + L2; leaves gradients, no update. */
  lossAndGradient(pos: CandidateRows, neg: CandidateRows): number {
    const t = this.tape;
    t.reset();
    for (const p of this.params) p.clearGrad();
    this.training = true;
    try {
      const a = this.forward(t, pos);
      const b = this.forward(t, neg);
      let loss = bpr(t, a.score, b.score);
      if (this.hp.reg > 0) {
        const l2 = add(t, add(t, sumSquares(t, a.eu), sumSquares(t, a.ei)), sumSquares(t, b.ei));
        loss = add(t, loss, scale(t, l2, (this.hp.reg * 0.5) / Math.max(1, pos.users.length)));
      }
      t.backward(loss);
      return loss.item();
    } finally {
      this.training = false;
    }
  }

  step(pos: CandidateRows, neg: CandidateRows): number {
    const loss = this.lossAndGradient(pos, neg);
    this.adam.step();
    return loss;
  }

  get lr(): number {
    return this.adam.lr;
  }

  /** Scores of the given rows, no gradient: [rows] floats. */
  score(rows: CandidateRows): Float32Array {
    const t = new Tape(this.pool);
    try {
      return this.forward(t, rows).score.data.slice();
    } finally {
      t.dispose();
    }
  }

  state(): Record<string, Float32Array> {
    return paramState(this.params, this.adam);
  }

  load(state: Record<string, Float32Array>): void {
    restoreParams(this.params, state);
    this.adam.load('adam', state);
  }

  dispose(): void {
    this.tape.dispose();
  }
}
