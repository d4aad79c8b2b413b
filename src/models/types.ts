/**
 * What a model is to the rest of RecLab: something that ranks items for users (every model),
 * and, when it learns, something the shared trainer can step through mini-batches.
 */
import type { Csr, Interactions, KnowledgeGraph } from '../data/types.js';
import type { Rng } from '../util/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import type { Trainable } from '../train/trainer.js';

/** Hyperparameter values as they appear in experiment files and on the command line. */
export type HyperValue = number | string | boolean;
export type Hyperparameters = Record<string, HyperValue>;

/** Everything a model may read when it is built: the training graph, never the test set. */
export interface ModelContext {
  readonly train: Interactions;
  /** user -> items of the training interactions */
  readonly trainCsr: Csr;
  /** item -> users of the training interactions */
  readonly trainCsrT: Csr;
  /** the dataset's user-user relation (e.g. friendships), nUsers x nUsers, when it has one */
  readonly social?: Csr;
  /** the dataset's knowledge graph (items aligned to entities), when it has one */
  readonly kg?: KnowledgeGraph;
  readonly rng: Rng;
  /** worker threads the model's kernels may use */
  readonly threads: number;
  readonly log: (message: string) => void;
}

/** Learned vectors, row-major: users [nUsers x dim], items [nItems x dim]. */
export interface Embeddings {
  readonly dim: number;
  readonly users: Float32Array;
  readonly items: Float32Array;
}

/**
 * What a model shows of what it learned, after training: lines for the log and a JSON document
 * the run keeps as <name>.json (VRKG4Rec's assignment of KG relations to virtual relations).
 */
export interface ModelReport {
  readonly name: string;
  readonly lines: readonly string[];
  readonly data: unknown;
}

export interface Recommender {
  readonly name: string;
  /** what computes it, for run metadata, e.g. "wasm-simd kernels, 2 threads" (default: plain JS) */
  readonly backend?: string;
  /** A ranker over all items; embedding models rank by dot product. */
  ranker(threads: number): TopKRanker;
  /** The vectors users and items are scored with, for models that have them. */
  embeddings?(): Embeddings;
  /** Named parameter arrays, for checkpoints; load() restores them. */
  state?(): Record<string, Float32Array>;
  load?(state: Record<string, Float32Array>): void;
  /** What it learned, in words and as a document, once training is over. */
  report?(): ModelReport;
  /** Frees worker threads or tensors. */
  dispose?(): void | Promise<void>;
}

/** A model that learns by mini-batches; the shared trainer drives it through `Trainable`. */
export interface TrainableModel extends Recommender, Trainable {}

export function isTrainable(m: Recommender): m is TrainableModel {
  return typeof (m as Partial<TrainableModel>).trainStep === 'function';
}
