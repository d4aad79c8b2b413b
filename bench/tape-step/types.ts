/** What `npm run bench -- tape-step` needs of one model: its taped and its hand-written step. */
import type { Rng } from '../../src/util/rng.js';
import type { BenchData } from '../common.js';

/** One batch of training triples (a negative per triple). */
export interface StepBatch {
  readonly users: Int32Array;
  readonly pos: Int32Array;
  readonly neg: Int32Array;
}

/** The part of a trainable model the benchmark drives (synchronous steps). */
export interface SteppedModel {
  beginEpoch(epoch: number, rng: Rng): void;
  batchesPerEpoch(): number;
  trainStep(b: number): number;
  dispose(): Promise<void>;
}

export interface StepContenders {
  /** the model written on the tape, and its hand-written twin, from the same initial weights */
  readonly tape: SteppedModel;
  readonly hand: SteppedModel;
  /** dLoss/dE(0) of each on the same batch from the current (equal) weights; no update */
  gradients(batch: StepBatch): { readonly tape: Float32Array; readonly hand: Float32Array };
}

/** Builds both versions of a model on the benchmark's data at the given batch size. */
export type ContendersOf = (data: BenchData, batchSize: number) => Promise<StepContenders>;
