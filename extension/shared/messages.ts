/**
 * The one contract between RecLab's three programs: the extension host, the job worker
 * (training and other heavy work, in a worker_threads Worker) and the webviews. Everything
 * here is plain, structured-clone-safe data; the webview bundle imports this file too, so it
 * must not import runtime code from the library or from `vscode` (type-only imports are fine).
 */
import type { PaperReference } from '../../src/eval/paperNumbers.js';
import type { DatasetOptions, ExperimentConfig } from '../../src/runs/experiment.js';
import type { SweepTag } from '../../src/runs/format.js';
import {
  COMPARE_HOST_SHAPES,
  COMPARE_WEBVIEW_SHAPES,
  type CompareHostMessage,
  type CompareWebviewMessage,
} from './compareMessages.js';
import { RELATION_HOST_SHAPES, type RelationHostMessage } from './relationMessages.js';
export type { SessionSummary, SessionView } from '../../src/runs/sessionView.js';
import type { SessionSummary, SessionView } from '../../src/runs/sessionView.js';

// ---------------------------------------------------------------- shared plain data

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted' | 'queued';

export type Phase = 'loading' | 'splitting' | 'building' | 'training' | 'testing' | 'saving';

/** One epoch as the trainer reports it (mirrors the library's EpochRecord). */
export interface EpochData {
  readonly epoch: number;
  readonly loss: number;
  readonly seconds: number;
  /** the optimizer's learning rate in this epoch, when the model reports one */
  readonly lr?: number;
  readonly metrics?: Record<string, number>;
  readonly evalSeconds?: number;
  readonly evaluatedOn?: 'valid' | 'test';
}

/** A run's learning curves in columns, for the metrics charts. */
export interface RunSeries {
  readonly id: string;
  readonly label: string;
  readonly model: string;
  readonly dataset: string;
  readonly status: RunStatus;
  readonly epochs: EpochData[];
  /** the paper's published values when the run reproduces one (e.g. LightGCN on Gowalla) */
  readonly paper?: readonly PaperReference[];
}

/** Figures of a dataset (from the library's describe()), reduced to what the inspector shows. */
export interface DatasetDescription {
  readonly name: string;
  /** label, value and what the figure means (a tooltip), in display order */
  readonly figures: ReadonlyArray<readonly [string, string, string?]>;
  /** degree histograms: bin lower bounds (powers of two) and counts */
  readonly userDegrees: Histogram;
  readonly itemDegrees: Histogram;
  /** share of interactions (y) held by the top share of items (x), both 0..1 */
  readonly longTail: { readonly x: number[]; readonly y: number[] };
  /** interactions per day, when the dataset has timestamps */
  readonly perDay?: { readonly day: string[]; readonly count: number[] };
  /** split sizes, when the dataset came with its own train/test(/validation) files */
  readonly split?: SplitSizes;
}

/** Interactions per part of the dataset's own split, and the users that have test items. */
export interface SplitSizes {
  readonly train: number;
  readonly valid?: number;
  readonly test: number;
  /** distinct users with at least one test interaction, of `users` */
  readonly testUsers: number;
  readonly users: number;
}

export interface Histogram {
  readonly bins: number[];
  readonly counts: number[];
}

export type ProjectionMethod = 'pca' | 'umap' | 'tsne';

export const PROJECTION_METHODS: readonly ProjectionMethod[] = ['pca', 'umap', 'tsne'];

export const PROJECTION_LABELS: Readonly<Record<ProjectionMethod, string>> = {
  pca: 'PCA',
  umap: 'UMAP',
  tsne: 't-SNE',
};

export const isProjectionMethod = (x: unknown): x is ProjectionMethod =>
  x === 'pca' || x === 'umap' || x === 'tsne';

/**
 * 2-D projection of a run's embeddings, columnar, one entry per point. Without `nodes` the
 * points are every node, users (0..nUsers-1) then items; with it, point k is node nodes[k]
 * (a sample, same order). Typed arrays keep 100k points to a few hundred KB on the wire.
 */
export interface EmbeddingProjection {
  readonly runId: string;
  readonly label: string;
  readonly method: ProjectionMethod;
  /** nodes in the run (the points may be a sample of them) */
  readonly nUsers: number;
  readonly nItems: number;
  /** node index of each point when the points are a sample */
  readonly nodes?: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** training-set degree of each point */
  readonly degree: Int32Array;
  /** original id of each point */
  readonly ids: string[];
  /** each point's name from the dataset's metadata (item titles, artist names; '' for none) */
  readonly labels?: string[];
  /** undirected friendships in the dataset, when it has a user-user relation */
  readonly friendships?: number;
  /** a categorical item field to colour by (e.g. the first genre), per point ('' for users) */
  readonly category?: { readonly name: string; readonly values: string[] };
  /** PCA: share of variance explained by the two components */
  readonly explained?: [number, number];
  /** UMAP / t-SNE: the parameters the layout was computed with */
  readonly params?: ProjectionParams;
  /** seconds the projection took in the worker */
  readonly seconds: number;
}

/** The embeddings panel's one selection: a user or an item, by its internal index. */
export interface EmbeddingsSelection {
  readonly kind: 'user' | 'item';
  readonly index: number;
}

/** UMAP / t-SNE settings from the panel; absent ones take the defaults (see projection.ts). */
export interface ProjectionParams {
  /** UMAP's neighbourhood size */
  readonly neighbors?: number;
  /** UMAP's minimum distance between embedded points */
  readonly minDist?: number;
  /** t-SNE's perplexity */
  readonly perplexity?: number;
  /** most nodes the layout is computed on (a sample stratified by users/items) */
  readonly sample?: number;
}

/** A training item that pulls a recommendation up, and how strongly. */
export interface Contribution {
  readonly item: string;
  readonly label?: string;
  /** its share of the paths' mass (PathReasons.items) or its cosine (UserDetail.because) */
  readonly weight: number;
}

/** What a user looks like to a run: their training items and the run's top-K for them. */
export interface UserDetail {
  readonly user: string;
  readonly userIndex: number;
  readonly trainItems: string[];
  /** names of the training items, same order, where the dataset has them */
  readonly trainLabels?: string[];
  readonly recommendations: {
    readonly item: string;
    readonly label?: string;
    readonly index: number;
    readonly hit: boolean;
    /** the training items whose embeddings are nearest its own (cosine), largest first */
    readonly because?: Contribution[];
    /** the training items its random-walk paths go through, by share of the paths' mass */
    readonly paths?: PathReasons;
  }[];
  /** how `because` was computed, in words (absent when the run has no embeddings) */
  readonly because?: string;
  /** how `paths` were computed, in words */
  readonly paths?: string;
  /** the user's friends, where the dataset has a user-user relation (lastfm-social) */
  readonly friends?: UserRef[];
}

/** Why an item is recommended by random-walk paths (src/graph/explainPaths.ts). */
export interface PathReasons {
  /** P^3[u, i]: the probability that a 3-step walk from the user ends on the item */
  readonly probability: number;
  readonly pathCount: number;
  /** the user's items by their share of the paths' mass (`weight` in [0, 1]), largest first */
  readonly items: Contribution[];
}

/** A user by original id and internal index (a point on the plot: node `index`). */
export interface UserRef {
  readonly user: string;
  readonly index: number;
}

/**
 * A run's item-item graph (the r-normalised co-occurrence of its training split, top-k per
 * row), as a CSR over items: row i's neighbours are indices[indptr[i] .. indptr[i + 1]).
 */
export interface ItemGraphData {
  readonly runId: string;
  /** original item ids, by internal index */
  readonly ids: string[];
  /** item names from the dataset's feature table, when it has them ('' where absent) */
  readonly labels?: string[];
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly weights: Float32Array;
  /** the normalisation's sender exponent and the neighbours kept per item */
  readonly r: number;
  readonly k: number;
  readonly seconds: number;
}

export interface SimilarItem {
  readonly item: string;
  readonly label?: string;
  readonly index: number;
  /** the edge's weight in the normalised graph */
  readonly weight: number;
}

/** What the embeddings panel shows for a clicked item: its most similar items. */
export interface ItemDetail {
  readonly item: string;
  readonly label?: string;
  readonly itemIndex: number;
  readonly similar: SimilarItem[];
  /** its nearest items in the embedding space (`weight` is the similarity), when it has one */
  readonly neighbours?: ItemNeighbours;
  /** the training users who have it (at most USERS_LISTED of `popularity.degree`) */
  readonly users?: string[];
  readonly popularity?: Popularity;
}

/** An item's nearest neighbours by the cosine and by the dot product of its embedding. */
export interface ItemNeighbours {
  readonly k: number;
  readonly cosine: SimilarItem[];
  readonly dot: SimilarItem[];
}

export interface Popularity {
  /** training users who have it */
  readonly degree: number;
  /** 1 for the most popular item (ties share the better rank) */
  readonly rank: number;
  readonly items: number;
}

/** What the worker adds to an item click: the embedding neighbours, users and popularity. */
export interface ItemEmbeddingDetail {
  readonly neighbours?: ItemNeighbours;
  readonly users: string[];
  readonly popularity: Popularity;
}

/** Louvain communities of a run's user-item graph (training split), for colouring the plot. */
export interface CommunitiesData {
  readonly runId: string;
  /** per node (users, then items): its community, or -1 when the sample left it out */
  readonly community: Int32Array;
  readonly count: number;
  readonly modularity: number;
  /** set when the graph was too large and a seeded sample of its users was taken */
  readonly sampledUsers?: number;
  readonly totalUsers?: number;
  readonly seconds: number;
}

/** The comparison table: one row per run, one column per metric, best per column marked. */
export interface ComparisonTable {
  readonly columns: string[];
  readonly rows: ComparisonRow[];
  /** column -> id of the row holding the best value */
  readonly best: Record<string, string>;
}

export interface ComparisonRow {
  readonly id: string;
  readonly label: string;
  readonly model: string;
  readonly dataset: string;
  readonly values: Record<string, number | null>;
}

/** The run training right now, for the dashboard and the status bar. */
export interface ActiveRun {
  readonly id: string;
  readonly label: string;
  readonly model: string;
  readonly phase: Phase;
  readonly epoch: number;
  readonly epochs: number;
  readonly batch?: { readonly batch: number; readonly batches: number; readonly loss: number };
  readonly history: EpochData[];
  readonly queued: number;
}

/**
 * A data file whose header names no column for some roles (the library's UnnamedColumnsError,
 * as data): the host asks which of the header's columns holds each role, then retries.
 */
export interface UnnamedColumns {
  readonly file: string;
  /** the header's column names, as the `columns` option takes them */
  readonly header: readonly string[];
  /** the roles without a column ("user", "item", "session") */
  readonly roles: readonly string[];
}

const isStrings = (x: unknown): x is string[] =>
  Array.isArray(x) && x.every((v) => typeof v === 'string');

export function isUnnamedColumns(x: unknown): x is UnnamedColumns {
  return (
    isRecord(x) &&
    typeof x.file === 'string' &&
    isStrings(x.header) &&
    isStrings(x.roles) &&
    x.roles.length > 0
  );
}

// ---------------------------------------------------------------- host -> worker

export type WorkerRequest =
  | {
      readonly type: 'train';
      readonly config: ExperimentConfig;
      readonly workspace: string;
      /** continue the run in this folder from its last checkpoint instead of starting one */
      readonly resumeDir?: string;
      /** the sweep point this run is, recorded in its run.json */
      readonly sweep?: SweepTag;
    }
  | {
      readonly type: 'describe';
      readonly dataset: string;
      /** how to read it (the columns the user chose for an unnamed header) */
      readonly options?: DatasetOptions;
    }
  | {
      readonly type: 'project';
      readonly runDir: string;
      readonly method: ProjectionMethod;
      readonly params?: ProjectionParams;
    }
  /** item `index`'s `k` nearest items by embedding, its users and popularity */
  | {
      readonly type: 'inspectItem';
      readonly runDir: string;
      readonly index: number;
      readonly k: number;
    }
  | {
      readonly type: 'recommend';
      readonly runDir: string;
      readonly user: string;
      readonly k: number;
    }
  /** the run's item-item graph, `k` neighbours per item */
  | { readonly type: 'itemGraph'; readonly runDir: string; readonly k: number }
  /** Louvain communities of the run's user-item graph */
  | { readonly type: 'communities'; readonly runDir: string }
  /** a next-item run's sessions (users), for a pick */
  | { readonly type: 'sessions'; readonly runDir: string }
  /** one session's items in order and the model's `k` next items */
  | {
      readonly type: 'session';
      readonly runDir: string;
      readonly session: string;
      readonly k: number;
    }
  /** stop training at the next batch */
  | { readonly type: 'cancel' };

// ---------------------------------------------------------------- worker -> host

export type WorkerEvent =
  | { readonly type: 'log'; readonly message: string }
  | { readonly type: 'phase'; readonly phase: Phase }
  /** how far a non-training job is (a projection): `done` of `total` steps of `what` */
  | {
      readonly type: 'progress';
      readonly what: string;
      readonly done: number;
      readonly total: number;
    }
  | {
      readonly type: 'started';
      readonly id: string;
      readonly dir: string;
      readonly epochs: number;
      readonly name: string;
      readonly model: string;
    }
  | {
      readonly type: 'batch';
      readonly epoch: number;
      readonly epochs: number;
      /** 1-based: the batch just trained, of `batches` */
      readonly batch: number;
      readonly batches: number;
      readonly loss: number;
    }
  | { readonly type: 'epoch'; readonly record: EpochData }
  | {
      readonly type: 'finished';
      readonly id: string;
      readonly metrics: Record<string, number>;
      readonly seconds: number;
    }
  | { readonly type: 'described'; readonly description: DatasetDescription }
  | { readonly type: 'projected'; readonly projection: EmbeddingProjection }
  | { readonly type: 'recommended'; readonly detail: UserDetail }
  | { readonly type: 'itemInspected'; readonly detail: ItemEmbeddingDetail }
  | { readonly type: 'itemGraphBuilt'; readonly graph: ItemGraphData }
  | { readonly type: 'communitiesFound'; readonly communities: CommunitiesData }
  | { readonly type: 'sessionsListed'; readonly sessions: SessionSummary[] }
  | { readonly type: 'sessionShown'; readonly view: SessionView }
  | {
      readonly type: 'failed';
      readonly message: string;
      readonly cancelled: boolean;
      /** set when the failure is a header naming no user/item column: the host may ask */
      readonly columns?: UnnamedColumns;
    };

// ---------------------------------------------------------------- host -> webview

export type PanelKind =
  'metrics' | 'embeddings' | 'dataset' | 'compare' | 'dashboard' | 'relations';

export type HostMessage =
  | {
      readonly type: 'metrics';
      readonly runs: RunSeries[];
      readonly metric: string;
      /**
       * what the panel shows, for its webview state: a panel reused for another run must
       * come back on that run after a reload, not on the one it was opened for
       */
      readonly state?: { readonly runIds: string[]; readonly follow: boolean };
    }
  | { readonly type: 'embeddings'; readonly projection: EmbeddingProjection }
  /** a projection is being computed: the panel keeps its chart and shows the message */
  | {
      readonly type: 'projecting';
      readonly method: ProjectionMethod;
      readonly message: string;
    }
  | { readonly type: 'userDetail'; readonly detail: UserDetail }
  | { readonly type: 'itemDetail'; readonly detail: ItemDetail }
  | { readonly type: 'communities'; readonly communities: CommunitiesData }
  | { readonly type: 'dataset'; readonly description: DatasetDescription }
  | CompareHostMessage
  | RelationHostMessage
  | {
      readonly type: 'dashboard';
      readonly active: ActiveRun | null;
      /** the run trained last, as it stood at its end, while nothing is training */
      readonly last?: ActiveRun;
      readonly best: ComparisonRow[];
      readonly metric: string;
    }
  | { readonly type: 'loading'; readonly message: string }
  | { readonly type: 'error'; readonly message: string }
  /** asks the webview for its chart as SVG text or a PNG data URL */
  | { readonly type: 'exportChart'; readonly format: ChartFormat };

export type ChartFormat = 'svg' | 'png';

// ---------------------------------------------------------------- webview -> host

export type WebviewMessage =
  | { readonly type: 'ready' }
  /** the chart(s) finished rendering: lets tests and the host know the panel is usable */
  | { readonly type: 'rendered'; readonly charts: number }
  | { readonly type: 'selectUser'; readonly index: number }
  /**
   * an item clicked on the embedding plot: `index` is the item's index (not the node's);
   * `k` the embedding neighbours wanted
   */
  | { readonly type: 'selectItem'; readonly index: number; readonly k?: number }
  /** the embeddings panel's "colour by community": asks for the run's communities */
  | { readonly type: 'requestCommunities' }
  /** the embeddings panel's projection dropdown and its UMAP / t-SNE settings */
  | {
      readonly type: 'project';
      readonly method: ProjectionMethod;
      readonly params?: ProjectionParams;
    }
  | { readonly type: 'openRun'; readonly id: string }
  | { readonly type: 'requestExport'; readonly what: 'csv' | ChartFormat }
  | { readonly type: 'chartExported'; readonly format: ChartFormat; readonly data: string }
  | { readonly type: 'webviewError'; readonly message: string }
  | CompareWebviewMessage;

// ---------------------------------------------------------------- guards

type Shape = Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'>;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function hasShape(x: Record<string, unknown>, shape: Shape): boolean {
  return Object.entries(shape).every(([k, t]) =>
    t === 'object' ? isRecord(x[k]) : t === 'array' ? Array.isArray(x[k]) : typeof x[k] === t,
  );
}

// Field types per message type; messages cross a process or a sandbox boundary, so both
// sides check them before trusting the discriminant.
const WORKER_EVENT_SHAPES: Record<WorkerEvent['type'], Shape> = {
  log: { message: 'string' },
  phase: { phase: 'string' },
  progress: { what: 'string', done: 'number', total: 'number' },
  started: { id: 'string', dir: 'string', epochs: 'number', name: 'string', model: 'string' },
  batch: { epoch: 'number', epochs: 'number', batch: 'number', batches: 'number', loss: 'number' },
  epoch: { record: 'object' },
  finished: { id: 'string', metrics: 'object', seconds: 'number' },
  described: { description: 'object' },
  projected: { projection: 'object' },
  recommended: { detail: 'object' },
  itemInspected: { detail: 'object' },
  itemGraphBuilt: { graph: 'object' },
  communitiesFound: { communities: 'object' },
  sessionsListed: { sessions: 'array' },
  sessionShown: { view: 'object' },
  failed: { message: 'string', cancelled: 'boolean' },
};

const WORKER_REQUEST_SHAPES: Record<WorkerRequest['type'], Shape> = {
  train: { config: 'object', workspace: 'string' },
  describe: { dataset: 'string' },
  project: { runDir: 'string', method: 'string' },
  inspectItem: { runDir: 'string', index: 'number', k: 'number' },
  recommend: { runDir: 'string', user: 'string', k: 'number' },
  itemGraph: { runDir: 'string', k: 'number' },
  communities: { runDir: 'string' },
  sessions: { runDir: 'string' },
  session: { runDir: 'string', session: 'string', k: 'number' },
  cancel: {},
};

const WEBVIEW_MESSAGE_SHAPES: Record<WebviewMessage['type'], Shape> = {
  ready: {},
  rendered: { charts: 'number' },
  selectUser: { index: 'number' },
  selectItem: { index: 'number' },
  requestCommunities: {},
  project: { method: 'string' },
  openRun: { id: 'string' },
  requestExport: { what: 'string' },
  chartExported: { format: 'string', data: 'string' },
  webviewError: { message: 'string' },
  ...COMPARE_WEBVIEW_SHAPES,
};

const HOST_MESSAGE_SHAPES: Record<HostMessage['type'], Shape> = {
  metrics: { metric: 'string' },
  embeddings: { projection: 'object' },
  projecting: { method: 'string', message: 'string' },
  userDetail: { detail: 'object' },
  itemDetail: { detail: 'object' },
  communities: { communities: 'object' },
  dataset: { description: 'object' },
  dashboard: { metric: 'string' },
  loading: { message: 'string' },
  error: { message: 'string' },
  exportChart: { format: 'string' },
  ...COMPARE_HOST_SHAPES,
  ...RELATION_HOST_SHAPES,
};

/** Optional fields that need more than a typeof, checked when present. */
type OptionalChecks = Record<string, Record<string, (v: unknown) => boolean>>;

function guard<T extends { type: string }>(
  shapes: Record<string, Shape>,
  optional: OptionalChecks = {},
) {
  return (x: unknown): x is T =>
    isRecord(x) &&
    typeof x.type === 'string' &&
    Object.hasOwn(shapes, x.type) &&
    hasShape(x, shapes[x.type]) &&
    Object.entries(optional[x.type] ?? {}).every(([k, ok]) => x[k] === undefined || ok(x[k]));
}

export const isWorkerEvent = guard<WorkerEvent>(WORKER_EVENT_SHAPES, {
  failed: { columns: isUnnamedColumns },
});
export const isWorkerRequest = guard<WorkerRequest>(WORKER_REQUEST_SHAPES, {
  describe: { options: isRecord },
  train: { sweep: isRecord },
  project: { params: isRecord },
});
export const isWebviewMessage = guard<WebviewMessage>(WEBVIEW_MESSAGE_SHAPES, {
  project: { params: isRecord },
  selectItem: { k: (v) => typeof v === 'number' },
});
export const isHostMessage = guard<HostMessage>(HOST_MESSAGE_SHAPES);

export const isChartFormat = (x: unknown): x is ChartFormat => x === 'svg' || x === 'png';
