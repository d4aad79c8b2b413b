/**
 * An experiment: what to train on what, and how. The same object comes from a
 * `*.reclab.json` file, from CLI flags, or from the extension's quick picks; it is validated
 * against schemas/experiment.schema.json (which VS Code also uses for completion).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import schema from '../../schemas/experiment.schema.json';
import type { DatasetSpec } from '../data/spec.js';
import type { Hyperparameters } from '../models/types.js';
import type { SweepSpec } from './sweep.js';
import { errorMessage, InputError } from '../util/errors.js';

export interface ExperimentConfig {
  readonly name?: string;
  /** a dataset spec string ("demo", "lightgcn:<dir>", "movielens:<file>", a path) */
  readonly dataset: string;
  /** how to read the dataset's files where sniffing is not enough (columns, duplicates, ...) */
  readonly datasetOptions?: DatasetOptions;
  /** how to split; omitted: the dataset's given files, else a random per-user 80/10/10 split */
  readonly split?: SplitSpec;
  readonly model: string;
  readonly hyper?: Hyperparameters;
  readonly epochs?: number;
  readonly seed?: number;
  /** evaluate every N epochs (on the validation split when there is one) */
  readonly evalEvery?: number;
  /** evaluations without improvement before stopping (0: never stop early) */
  readonly patience?: number;
  /** metric deciding the best epoch */
  readonly metric?: string;
  /**
   * Where the reported epoch is chosen (see selection.ts): "valid" (the default when the split
   * has a validation part), "last" (the default for given files without one), or "test" (the
   * papers' best test epoch, labelled "(selected on test)").
   */
  readonly selectOn?: SelectOn;
  readonly ks?: number[];
  readonly threads?: number;
  /**
   * Start from the weights of another run's last epoch (a run id, id prefix, name or folder
   * under the workspace's runs) instead of a fresh initialisation; the optimizer starts afresh.
   */
  readonly initFrom?: string;
  /** hyperparameters, models or seeds to vary: run with `reclab sweep` (see sweep.ts) */
  readonly sweep?: SweepSpec;
}

/** The loader options an experiment may set (see DatasetSpec in src/data/spec.ts). */
export type DatasetOptions = Pick<
  DatasetSpec,
  'columns' | 'keepDuplicates' | 'unseenItems' | 'delimiter' | 'header'
>;

export type SplitSpec =
  | { readonly type: 'given' }
  | { readonly type: 'ratio'; readonly ratios: number[] }
  | { readonly type: 'loo'; readonly order?: 'time' | 'random'; readonly valid?: boolean }
  | { readonly type: 'temporal'; readonly ratios: number[]; readonly perUser?: boolean };

/** Where the reported epoch is chosen: best on validation, best on test, or the last epoch. */
export type SelectOn = 'valid' | 'test' | 'last';
export const SELECT_ON: readonly SelectOn[] = ['valid', 'test', 'last'];

export type ResolvedExperiment = Required<
  Omit<ExperimentConfig, 'split' | 'name' | 'initFrom' | 'selectOn' | 'datasetOptions' | 'sweep'>
> & {
  readonly datasetOptions?: DatasetOptions;
  readonly name: string;
  readonly split: SplitSpec | undefined;
  readonly initFrom?: string;
  readonly selectOn?: SelectOn;
};

export const EXPERIMENT_DEFAULTS = {
  epochs: 20,
  seed: 2020,
  evalEvery: 5,
  patience: 0,
  metric: 'recall@20',
  ks: [10, 20],
  threads: 0, // 0: one per core
} as const;

// discriminator: a split's errors are those of the branch its "type" names, not of all four
const ajv = new Ajv({
  allErrors: true,
  useDefaults: false,
  allowUnionTypes: true,
  discriminator: true,
});
const validate = ajv.compile<ExperimentConfig>(schema);

/** The split types the schema accepts, from its branches (for a wrong "type"). */
const SPLIT_TYPES = (
  schema.properties.split.oneOf as ReadonlyArray<{ properties: { type: { const: string } } }>
).map((b) => b.properties.type.const);

function describeAjvError(e: ErrorObject): string {
  const where = e.instancePath || '(top level)';
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'discriminator')
    return `${where}/${String(p.tag)} must be one of: ${SPLIT_TYPES.join(', ')}`;
  const extra =
    'additionalProperty' in p
      ? ` "${String(p.additionalProperty)}"`
      : Array.isArray(p.allowedValues)
        ? `: ${p.allowedValues.join(', ')}`
        : '';
  return `${where} ${e.message ?? 'is invalid'}${extra}`;
}

export function parseExperiment(value: unknown, file = 'experiment'): ExperimentConfig {
  if (!validate(value)) {
    const errs = (validate.errors ?? []).map(describeAjvError).join('; ');
    throw new InputError({ file }, `an experiment matching the schema: ${errs}`);
  }
  return value;
}

export function readExperimentFile(path: string): ExperimentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError({ file: path }, `a readable experiment file (${errorMessage(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(errorMessage(e));
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new InputError({ file: path, line }, `valid JSON (${errorMessage(e)})`);
  }
  return parseExperiment(json, path);
}

export function resolveExperiment(c: ExperimentConfig): ResolvedExperiment {
  return {
    ...EXPERIMENT_DEFAULTS,
    ks: [...EXPERIMENT_DEFAULTS.ks],
    hyper: {},
    ...c,
    name: c.name ?? `${c.model}-${datasetLabel(c.dataset)}`,
    split: c.split,
  };
}

const GENERIC_STEMS = /^(train|ratings|ratings_final|u|data|interactions|inter)$/i;

/**
 * A short name for a dataset spec, for default run names: the folder of a `train.*` file or of a
 * dataset directory, else the file's name without its extension (`lightgcn:d/gowalla/train.txt,
 * d/gowalla/test.txt` -> gowalla, `movielens:ml-1m/ratings.dat` -> ratings; never the test file).
 */
export function datasetLabel(spec: string): string {
  const m = /^([a-z][a-z-]*):(.*)$/i.exec(spec.trim());
  const rest = m && !/^[a-z]$/i.test(m[1]) ? m[2] : spec.trim();
  if (/^(demo|synthetic)$/i.test(m?.[1] ?? rest)) return 'demo';
  const first = rest
    .split(',')[0]
    .trim()
    .replace(/[/\\]+$/, '');
  const parts = first.split(/[/\\]/).filter(Boolean);
  const base = parts.at(-1) ?? spec;
  const stem = base.replace(/\.[^.]+$/, '') || base;
  // generic file names say nothing: the folder names the dataset (ml-1m/ratings.dat)
  if (GENERIC_STEMS.test(stem) && parts.length > 1) return parts.at(-2) as string;
  return stem;
}

/**
 * Checks what the schema cannot: split ratios sum to 1, and the metric deciding the best epoch
 * (of a model that trains) is one that is computed.
 * Called before any work, so a typo does not cost a training run.
 */
export function checkExperiment(c: ResolvedExperiment, source: string, trains = true): void {
  if (c.split && 'ratios' in c.split) {
    const sum = c.split.ratios.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9)
      throw new InputError(
        { file: source, text: `split ratios ${c.split.ratios.join(',')}` },
        `split ratios summing to 1 ([train, test] or [train, valid, test]; these sum to ${+sum.toFixed(6)})`,
      );
  }
  const k = Number(c.metric.split('@')[1]);
  // a model that does not train has no epochs to choose between: its metric is never read
  if (trains && !c.ks.includes(k))
    throw new InputError(
      { file: source, text: `metric ${c.metric}` },
      `a metric at one of the cut-offs computed (ks ${c.ks.join(',')}): e.g. ${c.metric.split('@')[0]}@${c.ks.at(-1)}, or add ${k} to ks`,
    );
}
