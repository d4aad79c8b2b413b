/**
 * The one place that maps a model name to its class, its paper, its default hyperparameters
 * and what each of them accepts. Adding a model is one file plus one entry here.
 */
import { learningRateSchedule, type LrScheduleHyper } from '../train/lrSchedule.js';
import { InputError } from '../util/errors.js';
import { acceptedValue, describeRange, type HyperDeclaration } from './hyperparameters.js';
import { Bspm, BSPM_DEFAULTS, BSPM_HYPER, BSPM_PAPER, BSPM_TITLE } from './bspm.js';
import { GfCf, GFCF_DEFAULTS, GFCF_HYPER, GFCF_PAPER, GFCF_TITLE } from './gfcf.js';
import {
  ItemGraph,
  ITEMGRAPH_DEFAULTS,
  ITEMGRAPH_HYPER,
  ITEMGRAPH_PAPER,
  ITEMGRAPH_TITLE,
} from './itemGraph.js';
import { ItemKnn, ITEMKNN_DEFAULTS, ITEMKNN_HYPER } from './itemknn.js';
import { LightGcn, LIGHTGCN_DEFAULTS, LIGHTGCN_HYPER, layerWeightsOf } from './lightgcn.js';
import { MatrixFactorization, MF_DEFAULTS, MF_HYPER } from './mf.js';
import {
  deepWalk,
  DEEPWALK_DEFAULTS,
  DEEPWALK_HYPER,
  DEEPWALK_PAPER,
  DEEPWALK_TITLE,
  node2vec,
  NODE2VEC_DEFAULTS,
  NODE2VEC_HYPER,
  NODE2VEC_PAPER,
  NODE2VEC_TITLE,
} from './node2vec.js';
import { Gcn, GCN_DEFAULTS, GCN_HYPER, GCN_PAPER, GCN_TITLE } from './gcn.js';
import {
  Gru4Rec,
  GRU4REC_DEFAULTS,
  GRU4REC_HYPER,
  GRU4REC_PAPER,
  GRU4REC_TITLE,
} from './gru4rec.js';
import { checkGatHyper, Gat, GAT_DEFAULTS, GAT_HYPER, GAT_PAPER, GAT_TITLE } from './gat.js';
import { Ngcf, NGCF_DEFAULTS, NGCF_HYPER } from './ngcf.js';
import { fanoutsOf, GraphSage, SAGE_DEFAULTS, SAGE_HYPER, SAGE_PAPER, SAGE_TITLE } from './sage.js';
import {
  P3Alpha,
  P3ALPHA_DEFAULTS,
  P3ALPHA_HYPER,
  P3ALPHA_PAPER,
  P3ALPHA_TITLE,
} from './p3alpha.js';
import {
  PinSage,
  PINSAGE_DEFAULTS,
  PINSAGE_HYPER,
  PINSAGE_PAPER,
  PINSAGE_TITLE,
} from './pinsage.js';
import { Popularity } from './popularity.js';
import { Ppr, PPR_DEFAULTS, PPR_HYPER, PPR_PAPER, PPR_TITLE } from './ppr.js';
import {
  RP3Beta,
  RP3BETA_DEFAULTS,
  RP3BETA_HYPER,
  RP3BETA_PAPER,
  RP3BETA_TITLE,
} from './rp3beta.js';
import { Cke, CKE_DEFAULTS, CKE_HYPER, CKE_PAPER, CKE_TITLE } from './cke.js';
import { Twhin, TWHIN_DEFAULTS, TWHIN_HYPER, TWHIN_PAPER, TWHIN_TITLE } from './twhin.js';
import {
  TwoStage,
  twoStageHyper,
  TWOSTAGE_DEFAULTS,
  TWOSTAGE_PAPER,
  TWOSTAGE_TITLE,
} from './twoStage.js';
import type { Hyperparameters, ModelContext, Recommender } from './types.js';
import {
  Vrkg4Rec,
  VRKG4REC_DEFAULTS,
  VRKG4REC_HYPER,
  VRKG4REC_PAPER,
  VRKG4REC_TITLE,
} from './vrkg4rec.js';

export interface ModelEntry {
  readonly name: string;
  readonly title: string;
  readonly paper?: string;
  readonly trainable: boolean;
  /** it trains on a knowledge graph: refused for datasets without one (lastfm-kg:, RecBole .kg) */
  readonly requiresKg?: boolean;
  readonly defaults: Hyperparameters;
  /** what each hyperparameter accepts; the same keys as `defaults` */
  readonly hyper: Readonly<Record<string, HyperDeclaration>>;
  /** rules between hyperparameters (throws InputError), checked after each one's range */
  readonly check?: (hyper: Hyperparameters) => void;
  /**
   * the model scores the next item after any item sequence (eval/nextItem.ts's NextItemScorer):
   * it can be evaluated on session datasets and by the sequential leave-one-out protocol
   */
  readonly nextItem?: boolean;
  /**
   * its scores are walks or propagation on the user-item graph, so the random-walk paths
   * behind a recommendation (graph/explainPaths.ts) are its "why"; models without it that have
   * embeddings also list the training items nearest by cosine, their own geometry
   */
  readonly scoresByGraph?: boolean;
  create(ctx: ModelContext, hyper: Hyperparameters): Recommender | Promise<Recommender>;
}

/** A cosine schedule needs lrEpochs >= 1 and lrMin <= lr (src/train/lrSchedule.ts). */
const checkSchedule = (name: string) => (hyper: Hyperparameters) => {
  learningRateSchedule(hyper as unknown as LrScheduleHyper, name);
};

const entries: ModelEntry[] = [
  {
    name: 'popularity',
    title: 'Most popular items',
    trainable: false,
    defaults: {},
    hyper: {},
    create: (ctx) => new Popularity(ctx),
  },
  {
    name: 'itemknn',
    title: 'Item-based k-nearest neighbours',
    paper: 'Sarwar et al., Item-Based Collaborative Filtering Recommendation Algorithms, WWW 2001',
    trainable: false,
    defaults: ITEMKNN_DEFAULTS,
    hyper: ITEMKNN_HYPER,
    create: (ctx, hyper) => new ItemKnn(ctx, hyper as Partial<typeof ITEMKNN_DEFAULTS>),
  },
  {
    name: 'ppr',
    scoresByGraph: true,
    title: PPR_TITLE,
    paper: PPR_PAPER,
    trainable: false,
    defaults: PPR_DEFAULTS,
    hyper: PPR_HYPER,
    create: (ctx, hyper) => new Ppr(ctx, hyper as Partial<typeof PPR_DEFAULTS>),
  },
  {
    name: 'p3alpha',
    scoresByGraph: true,
    title: P3ALPHA_TITLE,
    paper: P3ALPHA_PAPER,
    trainable: false,
    defaults: P3ALPHA_DEFAULTS,
    hyper: P3ALPHA_HYPER,
    create: (ctx, hyper) => new P3Alpha(ctx, hyper as Partial<typeof P3ALPHA_DEFAULTS>),
  },
  {
    name: 'rp3beta',
    scoresByGraph: true,
    title: RP3BETA_TITLE,
    paper: RP3BETA_PAPER,
    trainable: false,
    defaults: RP3BETA_DEFAULTS,
    hyper: RP3BETA_HYPER,
    create: (ctx, hyper) => new RP3Beta(ctx, hyper as Partial<typeof RP3BETA_DEFAULTS>),
  },
  {
    name: 'gfcf',
    scoresByGraph: true,
    title: GFCF_TITLE,
    paper: GFCF_PAPER,
    trainable: false,
    defaults: GFCF_DEFAULTS,
    hyper: GFCF_HYPER,
    create: (ctx, hyper) => GfCf.create(ctx, hyper as Partial<typeof GFCF_DEFAULTS>),
  },
  {
    name: 'bspm',
    scoresByGraph: true,
    title: BSPM_TITLE,
    paper: BSPM_PAPER,
    trainable: false,
    defaults: BSPM_DEFAULTS,
    hyper: BSPM_HYPER,
    create: (ctx, hyper) => Bspm.create(ctx, hyper as Partial<typeof BSPM_DEFAULTS>),
  },
  {
    name: 'itemgraph',
    scoresByGraph: true,
    title: ITEMGRAPH_TITLE,
    paper: ITEMGRAPH_PAPER,
    trainable: false,
    defaults: ITEMGRAPH_DEFAULTS,
    hyper: ITEMGRAPH_HYPER,
    create: (ctx, hyper) => new ItemGraph(ctx, hyper as Partial<typeof ITEMGRAPH_DEFAULTS>),
  },
  {
    name: 'mf',
    title: 'Matrix factorisation (BPR-MF)',
    paper: 'Rendle et al., BPR: Bayesian Personalized Ranking from Implicit Feedback, UAI 2009',
    trainable: true,
    defaults: MF_DEFAULTS,
    hyper: MF_HYPER,
    check: checkSchedule('mf'),
    create: (ctx, hyper) => MatrixFactorization.create(ctx, hyper as Partial<typeof MF_DEFAULTS>),
  },
  {
    name: 'lightgcn',
    scoresByGraph: true,
    title: 'LightGCN',
    paper:
      'He et al., LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation, SIGIR 2020',
    trainable: true,
    defaults: LIGHTGCN_DEFAULTS,
    hyper: LIGHTGCN_HYPER,
    check: (hyper) => {
      checkSchedule('lightgcn')(hyper);
      layerWeightsOf({
        layerWeights: String(hyper.layerWeights),
        gamma: String(hyper.gamma),
        layers: Number(hyper.layers),
      });
    },
    create: (ctx, hyper) => LightGcn.create(ctx, hyper as Partial<typeof LIGHTGCN_DEFAULTS>),
  },
  {
    name: 'ngcf',
    scoresByGraph: true,
    title: 'NGCF',
    paper: 'Wang et al., Neural Graph Collaborative Filtering, SIGIR 2019',
    trainable: true,
    defaults: NGCF_DEFAULTS,
    hyper: NGCF_HYPER,
    check: checkSchedule('ngcf'),
    create: (ctx, hyper) => Ngcf.create(ctx, hyper as Partial<typeof NGCF_DEFAULTS>),
  },
  {
    name: 'gru4rec',
    title: GRU4REC_TITLE,
    paper: GRU4REC_PAPER,
    trainable: true,
    defaults: GRU4REC_DEFAULTS,
    hyper: GRU4REC_HYPER,
    nextItem: true,
    create: (ctx, hyper) => Gru4Rec.create(ctx, hyper as Partial<typeof GRU4REC_DEFAULTS>),
  },
  {
    name: 'gcn',
    scoresByGraph: true,
    title: GCN_TITLE,
    paper: GCN_PAPER,
    trainable: true,
    defaults: GCN_DEFAULTS,
    hyper: GCN_HYPER,
    check: checkSchedule('gcn'),
    create: (ctx, hyper) => Gcn.create(ctx, hyper as Partial<typeof GCN_DEFAULTS>),
  },
  {
    name: 'graphsage',
    scoresByGraph: true,
    title: SAGE_TITLE,
    paper: SAGE_PAPER,
    trainable: true,
    defaults: SAGE_DEFAULTS,
    hyper: SAGE_HYPER,
    check: (hyper) => {
      checkSchedule('graphsage')(hyper);
      fanoutsOf({ fanouts: String(hyper.fanouts), layers: Number(hyper.layers) });
    },
    create: (ctx, hyper) => GraphSage.create(ctx, hyper as Partial<typeof SAGE_DEFAULTS>),
  },
  {
    name: 'pinsage',
    scoresByGraph: true,
    title: PINSAGE_TITLE,
    paper: PINSAGE_PAPER,
    trainable: true,
    defaults: PINSAGE_DEFAULTS,
    hyper: PINSAGE_HYPER,
    check: checkSchedule('pinsage'),
    create: (ctx, hyper) => PinSage.create(ctx, hyper as Partial<typeof PINSAGE_DEFAULTS>),
  },
  {
    name: 'gat',
    scoresByGraph: true,
    title: GAT_TITLE,
    paper: GAT_PAPER,
    trainable: true,
    defaults: GAT_DEFAULTS,
    hyper: GAT_HYPER,
    check: (hyper) => {
      checkSchedule('gat')(hyper);
      checkGatHyper(hyper as unknown as typeof GAT_DEFAULTS);
    },
    create: (ctx, hyper) => Gat.create(ctx, hyper as Partial<typeof GAT_DEFAULTS>),
  },
  {
    name: 'deepwalk',
    scoresByGraph: true,
    title: DEEPWALK_TITLE,
    paper: DEEPWALK_PAPER,
    trainable: true,
    defaults: DEEPWALK_DEFAULTS,
    hyper: DEEPWALK_HYPER,
    create: (ctx, hyper) => deepWalk(ctx, hyper as Partial<typeof DEEPWALK_DEFAULTS>),
  },
  {
    name: 'node2vec',
    scoresByGraph: true,
    title: NODE2VEC_TITLE,
    paper: NODE2VEC_PAPER,
    trainable: true,
    defaults: NODE2VEC_DEFAULTS,
    hyper: NODE2VEC_HYPER,
    create: (ctx, hyper) => node2vec(ctx, hyper as Partial<typeof NODE2VEC_DEFAULTS>),
  },
  {
    name: 'cke',
    title: CKE_TITLE,
    paper: CKE_PAPER,
    trainable: true,
    requiresKg: true,
    defaults: CKE_DEFAULTS,
    hyper: CKE_HYPER,
    check: checkSchedule('cke'),
    create: (ctx, hyper) => Cke.create(ctx, hyper as Partial<typeof CKE_DEFAULTS>),
  },
  {
    name: 'twhin',
    title: TWHIN_TITLE,
    paper: TWHIN_PAPER,
    trainable: true,
    defaults: TWHIN_DEFAULTS,
    hyper: TWHIN_HYPER,
    create: (ctx, hyper) => Twhin.create(ctx, hyper as Partial<typeof TWHIN_DEFAULTS>),
  },
  {
    name: 'vrkg4rec',
    title: VRKG4REC_TITLE,
    paper: VRKG4REC_PAPER,
    trainable: true,
    requiresKg: true,
    defaults: VRKG4REC_DEFAULTS,
    hyper: VRKG4REC_HYPER,
    check: checkSchedule('vrkg4rec'),
    create: (ctx, hyper) => Vrkg4Rec.create(ctx, hyper as Partial<typeof VRKG4REC_DEFAULTS>),
  },
];

// after the others: its generator and ranker are any of them, looked up when it is built
entries.push({
  name: 'twostage',
  title: TWOSTAGE_TITLE,
  paper: TWOSTAGE_PAPER,
  trainable: true,
  defaults: TWOSTAGE_DEFAULTS,
  hyper: twoStageHyper(
    entries.filter((e) => !e.trainable).map((e) => e.name),
    entries.filter((e) => e.trainable).map((e) => e.name),
  ),
  create: (ctx, hyper) =>
    TwoStage.create(ctx, hyper as Partial<typeof TWOSTAGE_DEFAULTS>, modelEntry),
});

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

/**
 * Where a hyperparameter's value came from, for messages: one label (an experiment file's
 * path, "command line") or one per name (e.g. "--dim" for dim, the file for the rest; called
 * with "" for a rule between several, such as lrEpochs with a cosine schedule).
 */
export type HyperSource = string | ((name: string) => string);

/**
 * Merges given hyperparameters over the model's defaults, refusing unknown names and values
 * outside the declared ranges with an InputError that names `source` and the accepted values.
 * Cheap and free of I/O: callers run it before loading data or writing a run folder.
 */
export function resolveHyper(
  entry: ModelEntry,
  given: Hyperparameters = {},
  source: HyperSource = 'hyperparameters',
): Hyperparameters {
  const where = typeof source === 'string' ? () => source : source;
  const out: Hyperparameters = { ...entry.defaults };
  for (const [k, v] of Object.entries(given)) {
    const decl = Object.hasOwn(entry.hyper, k) ? entry.hyper[k] : undefined;
    if (!decl) {
      const names = Object.keys(entry.hyper);
      throw new InputError(
        { file: where(k), text: k },
        names.length
          ? `a hyperparameter of ${entry.name}, one of: ${names.join(', ')}`
          : `no hyperparameters: ${entry.name} has none`,
      );
    }
    const value = acceptedValue(decl, v);
    if (value === undefined)
      throw new InputError(
        { file: where(k), text: String(v) },
        `${entry.name} hyperparameter ${k} to be ${describeRange(decl)}`,
      );
    out[k] = value;
  }
  try {
    entry.check?.(out);
  } catch (e) {
    // the rule's own message, located where the values came from
    if (!(e instanceof InputError)) throw e;
    throw new InputError({ file: where(''), text: e.text }, e.expected);
  }
  return out;
}
