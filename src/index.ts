/** RecLab's headless library: everything the CLI and the extension use. */
export * from './data/index.js';
export * from './eval/index.js';
export * from './models/types.js';
export { MODELS, modelEntry, resolveHyper, type ModelEntry } from './models/registry.js';
export * from './runs/format.js';
export * from './runs/store.js';
export * from './runs/experiment.js';
export * from './runs/arraysFile.js';
export {
  runExperiment,
  type ExperimentResult,
  type RunCallbacks,
  type RunOptions,
} from './runs/runExperiment.js';
export { restoreRun, readEmbeddings, type RestoredRun } from './runs/restore.js';
export {
  trainLoop,
  CancelledError,
  type EpochRecord,
  type BatchProgress,
} from './train/trainer.js';
export { Rng } from './util/rng.js';
export { InputError, RecLabError, TrainingError } from './util/errors.js';
export { VERSION } from './version.js';
