/**
 * The one place that maps a model name to its class, its paper and its default hyperparameters.
 * Adding a model is one file plus one entry here.
 */
import { InputError } from '../util/errors.js';
import { ItemKnn, ITEMKNN_DEFAULTS } from './itemknn.js';
import { LightGcn, LIGHTGCN_DEFAULTS } from './lightgcn.js';
import { MatrixFactorization, MF_DEFAULTS } from './mf.js';
import { Ngcf, NGCF_DEFAULTS } from './ngcf.js';
import { Popularity } from './popularity.js';
import type { Hyperparameters, ModelContext, Recommender } from './types.js';

export interface ModelEntry {
  readonly name: string;
  readonly title: string;
  readonly paper?: string;
  readonly trainable: boolean;
  readonly defaults: Hyperparameters;
  create(ctx: ModelContext, hyper: Hyperparameters): Recommender | Promise<Recommender>;
}

const entries: ModelEntry[] = [
  {
    name: 'popularity',
    title: 'Most popular items',
    trainable: false,
    defaults: {},
    create: (ctx) => new Popularity(ctx),
  },
  {
    name: 'itemknn',
    title: 'Item-based k-nearest neighbours',
    paper: 'Sarwar et al., Item-Based Collaborative Filtering Recommendation Algorithms, WWW 2001',
    trainable: false,
    defaults: ITEMKNN_DEFAULTS,
    create: (ctx, hyper) => new ItemKnn(ctx, hyper as Partial<typeof ITEMKNN_DEFAULTS>),
  },
  {
    name: 'mf',
    title: 'Matrix factorisation (BPR-MF)',
    paper: 'Rendle et al., BPR: Bayesian Personalized Ranking from Implicit Feedback, UAI 2009',
    trainable: true,
    defaults: MF_DEFAULTS,
    create: (ctx, hyper) => new MatrixFactorization(ctx, hyper as Partial<typeof MF_DEFAULTS>),
  },
  {
    name: 'lightgcn',
    title: 'LightGCN',
    paper:
      'He et al., LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation, SIGIR 2020',
    trainable: true,
    defaults: LIGHTGCN_DEFAULTS,
    create: (ctx, hyper) => LightGcn.create(ctx, hyper as Partial<typeof LIGHTGCN_DEFAULTS>),
  },
  {
    name: 'ngcf',
    title: 'NGCF',
    paper: 'Wang et al., Neural Graph Collaborative Filtering, SIGIR 2019',
    trainable: true,
    defaults: NGCF_DEFAULTS,
    create: (ctx, hyper) => Ngcf.create(ctx, hyper as Partial<typeof NGCF_DEFAULTS>),
  },
];

export const MODELS: ReadonlyMap<string, ModelEntry> = new Map(entries.map((e) => [e.name, e]));

export function modelEntry(name: string): ModelEntry {
  const e = MODELS.get(name.toLowerCase());
  if (!e)
    throw new InputError(
      { file: 'model', text: name },
      `a model name, one of: ${[...MODELS.keys()].join(', ')}`,
    );
  return e;
}

/** Merges given hyperparameters over the defaults, rejecting unknown names and wrong types. */
export function resolveHyper(entry: ModelEntry, given: Hyperparameters = {}): Hyperparameters {
  const out: Hyperparameters = { ...entry.defaults };
  for (const [k, v] of Object.entries(given)) {
    if (!(k in entry.defaults)) {
      throw new InputError(
        { file: `${entry.name} hyperparameters`, text: k },
        `one of: ${Object.keys(entry.defaults).join(', ') || '(none)'}`,
      );
    }
    const want = typeof entry.defaults[k];
    let value: number | string | boolean = v;
    if (want === 'number' && typeof v === 'string') value = Number(v);
    if (want === 'boolean' && typeof v === 'string') value = v === 'true';
    if (typeof value !== want || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new InputError(
        { file: `${entry.name} hyperparameters`, text: `${k}=${String(v)}` },
        `${k} to be a ${want}`,
      );
    }
    out[k] = value;
  }
  return out;
}
