/**
 * What the Train Model quick picks produce, as pure functions: validation of the typed
 * hyperparameters and the ExperimentConfig (and the *.reclab.json text) built from them.
 */
import type { DatasetOptions, ExperimentConfig } from '../../src/runs/experiment.js';
import type { Hyperparameters } from '../../src/models/types.js';

export const DEMO_DATASET = 'demo';

export interface TrainChoice {
  readonly dataset: string;
  readonly model: string;
  readonly trainable: boolean;
  readonly epochs?: number;
  /** only the hyperparameters the user changed from the model's defaults */
  readonly hyper: Hyperparameters;
  readonly name?: string;
  /** how to read the dataset (the columns chosen for a header that does not name them) */
  readonly datasetOptions?: DatasetOptions;
}

/** The hyperparameters the picks ask for, when the model has them. */
export const KEY_HYPERPARAMETERS = ['dim', 'lr'] as const;

/** Returns an error message for the input box, or undefined when the text is acceptable. */
/**
 * The Train Model wizard's steps for a model: dataset, model, then for a trainable one its
 * epochs and each key hyperparameter it has, then how to start. Before the model is chosen
 * the wizard counts the steps of a trainable model with both key hyperparameters.
 */
export function trainSteps(
  model: { readonly trainable: boolean; readonly defaults: Hyperparameters } = {
    trainable: true,
    defaults: { dim: 64, lr: 0.001 },
  },
): string[] {
  const keys = model.trainable
    ? ['epochs', ...KEY_HYPERPARAMETERS.filter((k) => typeof model.defaults[k] === 'number')]
    : [];
  return ['dataset', 'model', ...keys, 'start'];
}

/** "Train Model (4/6): dim": the step's place among the model's steps. */
export function stepTitle(steps: readonly string[], step: string): string {
  const i = steps.indexOf(step);
  return i < 0 ? `Train Model: ${step}` : `Train Model (${i + 1}/${steps.length}): ${step}`;
}

export function validateNumber(
  text: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): string | undefined {
  const t = text.trim();
  if (t === '') return undefined; // empty keeps the default
  const v = Number(t);
  if (!Number.isFinite(v)) return `"${t}" is not a number`;
  if (opts.integer && !Number.isInteger(v)) return 'expected a whole number';
  if (opts.min !== undefined && v < opts.min) return `expected at least ${opts.min}`;
  if (opts.max !== undefined && v > opts.max) return `expected at most ${opts.max}`;
  return undefined;
}

/** The typed value, or undefined when the box was left empty or holds the default. */
export function parsedOrDefault(
  text: string | undefined,
  def: number | undefined,
): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const v = Number(text.trim());
  return v === def ? undefined : v;
}

export function toExperiment(c: TrainChoice): ExperimentConfig {
  const hyper = Object.keys(c.hyper).length ? { hyper: { ...c.hyper } } : {};
  const epochs = c.trainable && c.epochs !== undefined ? { epochs: c.epochs } : {};
  return {
    ...(c.name ? { name: c.name } : {}),
    dataset: c.dataset,
    ...(c.datasetOptions && { datasetOptions: c.datasetOptions }),
    model: c.model,
    ...epochs,
    ...hyper,
  };
}

/** Pretty JSON for a `*.reclab.json` file, pointing at the schema for completion. */
export function experimentFileText(config: ExperimentConfig, schemaRef?: string): string {
  return `${JSON.stringify(schemaRef ? { $schema: schemaRef, ...config } : config, null, 2)}\n`;
}

/** A file name for the experiment: "<model>-<dataset>.reclab.json", filesystem-safe. */
export function experimentFileName(config: ExperimentConfig): string {
  const ds =
    config.dataset
      .split(/[:/\\]/)
      .filter(Boolean)
      .pop() ?? 'data';
  return `${`${config.model}-${ds}`.replace(/[^A-Za-z0-9._-]+/g, '-')}.reclab.json`;
}

const SPEC_KINDS = /^([a-z][a-z0-9-]*):(.+)$/i;

/**
 * Makes the path inside a dataset spec absolute against `base` (the workspace folder), since
 * the worker thread cannot chdir: "recbole:data/x.inter" -> "recbole:/ws/data/x.inter" (each of
 * the comma-separated files of a lightgcn: spec).
 * Built-in names ("demo") and absolute paths pass through.
 */
export function resolveDatasetSpec(
  spec: string,
  base: string,
  isAbsolute: (p: string) => boolean,
  join: (a: string, b: string) => string,
): string {
  const m = SPEC_KINDS.exec(spec);
  // "c:\data" is a Windows path, not kind "c"
  if (m && m[1].length > 1) {
    // the generator's settings (demo:users=500,items=300) are not paths
    if (/^(demo|synthetic)$/i.test(m[1])) return spec;
    // every file of lightgcn:train.txt,test.txt[,valid.txt], not only the first
    const parts = m[2].split(',').map((p) => (isAbsolute(p) ? p : join(base, p)));
    return `${m[1]}:${parts.join(',')}`;
  }
  if (!/[/\\.]/.test(spec)) return spec; // a built-in name such as "demo"
  return isAbsolute(spec) ? spec : join(base, spec);
}
