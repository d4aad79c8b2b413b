/**
 * LightGCN's entry of the tape-step benchmark: the model on the tape (src/models/lightgcn.ts)
 * against the hand-fused forward and backward it replaced (./lightgcnFused.ts), both with the
 * paper's hyperparameters and the same initial E(0).
 */
import { Rng } from '../../src/util/rng.js';
import { LightGcn } from '../../src/models/lightgcn.js';
import { FusedLightGcn } from './lightgcnFused.js';
import type { ContendersOf } from './types.js';

export const lightgcnContenders: ContendersOf = async (data, batchSize) => {
  const ctx = (): typeof data.ctx => ({ ...data.ctx, rng: new Rng(2020) });
  const tape = await LightGcn.create(ctx(), { batchSize });
  const hand = await FusedLightGcn.create(ctx(), { batchSize });
  hand.ego.set(tape.ego);
  return {
    tape,
    hand,
    gradients: (b) => {
      tape.lossAndGradient(b);
      hand.lossAndGradient(b.users, b.pos, b.neg, 1);
      return { tape: tape.egoGrad.slice(), hand: hand.egoGrad.slice() };
    },
  };
};
