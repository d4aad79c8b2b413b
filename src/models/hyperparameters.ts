/**
 * What a model's hyperparameters are: each one's type, the values it accepts, a one-line
 * description and where its default comes from (the paper or the reference code). Each model
 * declares its own beside its DEFAULTS; the registry checks every given value against them
 * before any data is read or any run folder is made, and `reclab models <name>` prints them.
 * schemas/experiment.schema.json carries the same ranges for the editor (a test keeps the two
 * in step).
 */
import { PAIR_LOSSES } from '../train/losses.js';
import { LR_SCHEDULE_DEFAULTS } from '../train/lrSchedule.js';
import type { NegativeSampler } from '../train/samplers.js';
import type { HyperValue } from './types.js';

interface Described {
  /** what it sets, in a few words */
  readonly description: string;
  /** where the default comes from: the paper (section, equation) or the reference code */
  readonly source: string;
}

export interface NumberHyper extends Described {
  readonly type: 'integer' | 'number';
  readonly min?: number;
  readonly max?: number;
  /** min itself is refused (e.g. a rate > 0) */
  readonly exclusiveMin?: boolean;
  /** max itself is refused (e.g. a dropout rate < 1) */
  readonly exclusiveMax?: boolean;
}

export interface ChoiceHyper extends Described {
  readonly type: 'enum';
  readonly choices: readonly string[];
}

/** Free text that the model parses itself (e.g. LightGCN's layer weights). */
export interface TextHyper extends Described {
  readonly type: 'string';
}

export interface FlagHyper extends Described {
  readonly type: 'boolean';
}

export type HyperDeclaration = NumberHyper | ChoiceHyper | TextHyper | FlagHyper;

type DeclarationFor<V> = V extends number
  ? NumberHyper
  : V extends string
    ? ChoiceHyper | TextHyper
    : FlagHyper;

/** One declaration per key of a model's defaults, of the kind its default value is. */
export type HyperDeclarations<D> = { readonly [K in keyof D]: DeclarationFor<D[K]> };

/** The accepted values in words, e.g. "an integer >= 1", "a number in [0, 1)", "one of a, b". */
export function describeRange(d: HyperDeclaration): string {
  switch (d.type) {
    case 'enum':
      return `one of ${d.choices.join(', ')}`;
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    default: {
      const kind = d.type === 'integer' ? 'an integer' : 'a number';
      const { min, max } = d;
      if (min !== undefined && max !== undefined)
        return `${kind} in ${d.exclusiveMin ? '(' : '['}${min}, ${max}${d.exclusiveMax ? ')' : ']'}`;
      if (min !== undefined) return `${kind} ${d.exclusiveMin ? '>' : '>='} ${min}`;
      if (max !== undefined) return `${kind} ${d.exclusiveMax ? '<' : '<='} ${max}`;
      return kind;
    }
  }
}

function inRange(d: NumberHyper, v: number): boolean {
  if (!Number.isFinite(v) || (d.type === 'integer' && !Number.isInteger(v))) return false;
  if (d.min !== undefined && (d.exclusiveMin ? v <= d.min : v < d.min)) return false;
  if (d.max !== undefined && (d.exclusiveMax ? v >= d.max : v > d.max)) return false;
  return true;
}

/**
 * The value as the model reads it, or undefined when the declaration refuses it. Text from a
 * command line is read as the declared type ("64" as a number, "true" as a flag), and a
 * number given where text is declared (`--hyper layerWeights=1`) as its text.
 */
export function acceptedValue(d: HyperDeclaration, v: HyperValue): HyperValue | undefined {
  switch (d.type) {
    case 'integer':
    case 'number': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      return typeof n === 'number' && inRange(d, n) ? n : undefined;
    }
    case 'boolean': {
      const b = v === 'true' ? true : v === 'false' ? false : v;
      return typeof b === 'boolean' ? b : undefined;
    }
    case 'enum': {
      const s = String(v);
      return typeof v !== 'boolean' && d.choices.includes(s) ? s : undefined;
    }
    case 'string':
      return typeof v === 'boolean' ? undefined : String(v);
  }
}

/** The negative samplers of train/samplers.ts, by name. */
export const NEGATIVE_SAMPLERS = [
  'uniform',
  'popularity',
] as const satisfies readonly NegativeSampler[];

/** The learning-rate schedule every Adam-trained model reads (src/train/lrSchedule.ts). */
export const LR_SCHEDULE_HYPER = {
  lrSchedule: {
    type: 'enum',
    choices: ['constant', 'cosine'],
    description: 'learning-rate schedule over epochs',
    source: 'constant as in the papers; cosine: SGDR (Loshchilov & Hutter, ICLR 2017), no restarts',
  },
  lrEpochs: {
    type: 'integer',
    min: 0,
    description: 'cosine: epochs over which lr falls to lrMin (>= 1 with cosine)',
    source: 'SGDR eq. 5 T_i; 0 with a constant rate',
  },
  lrMin: {
    type: 'number',
    min: 0,
    description: 'cosine: the rate lr falls to (at most lr)',
    source: 'SGDR eq. 5 eta_min',
  },
} as const satisfies HyperDeclarations<typeof LR_SCHEDULE_DEFAULTS>;

/** How the models trained on (user, positive, negative) triples draw and score them. */
export const PAIRWISE_HYPER = {
  loss: {
    type: 'enum',
    choices: Object.keys(PAIR_LOSSES),
    description: 'loss on (positive, negative) score pairs',
    source: 'bpr: Rendle et al., UAI 2009, eq. 4, as in the LightGCN and NGCF code',
  },
  negatives: {
    type: 'integer',
    min: 1,
    description: 'negative items drawn per positive',
    source: 'one, as in the LightGCN and NGCF code',
  },
  sampler: {
    type: 'enum',
    choices: NEGATIVE_SAMPLERS,
    description: 'how negatives are drawn: uniformly, or by popularity^0.75',
    source: "uniform: the LightGCN code's UniformSample_original",
  },
} as const satisfies HyperDeclarations<{ loss: string; negatives: number; sampler: string }>;

/**
 * Embedding training as the LightGCN reference code sets it up (gusye1234/LightGCN-PyTorch,
 * parse.py and model.py), which MF and LightGCN share.
 */
export const LIGHTGCN_CODE_HYPER = {
  dim: {
    type: 'integer',
    min: 1,
    description: 'embedding size',
    source: 'LightGCN code: --recdim 64',
  },
  lr: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'Adam learning rate',
    source: 'LightGCN code: --lr 0.001',
  },
  reg: {
    type: 'number',
    min: 0,
    description: "L2 weight on the batch's embeddings",
    source: 'LightGCN code: --decay 1e-4',
  },
  batchSize: {
    type: 'integer',
    min: 1,
    description: 'training triples per mini-batch',
    source: 'LightGCN code: --bpr_batch 2048',
  },
  initStd: {
    type: 'number',
    min: 0,
    exclusiveMin: true,
    description: 'standard deviation of the normal initialisation',
    source: 'LightGCN code: nn.init.normal_(std=0.1)',
  },
} as const satisfies HyperDeclarations<{
  dim: number;
  lr: number;
  reg: number;
  batchSize: number;
  initStd: number;
}>;
