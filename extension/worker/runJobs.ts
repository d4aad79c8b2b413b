/** Jobs on a saved run that need its dataset back: embedding projections and recommendations. */
import { idCounts, rowDegrees } from '../../src/data/csr.js';
import { Rng } from '../../src/util/rng.js';
import { normalizedItemGraph } from '../../src/graph/itemCooccurrence.js';
import { nodeCommunities } from '../../src/graph/structure.js';
import { ITEMGRAPH_DEFAULTS } from '../../src/models/itemGraph.js';
import { MODELS } from '../../src/models/registry.js';
import type { RunRecord } from '../../src/runs/format.js';
import { restoreRun } from '../../src/runs/restore.js';
import {
  openNextItemRun,
  sessionList,
  showSession,
  type SessionSummary,
  type SessionView,
} from '../../src/runs/sessionView.js';
import { readRun } from '../../src/runs/store.js';
import {
  explainRecommendations,
  type RecommendationPaths,
} from '../../src/runs/explainRecommendations.js';
import { PATHS_EXPLAINED } from '../../src/runs/pathsText.js';
import type { Dataset } from '../../src/data/types.js';
import { InputError } from '../../src/util/errors.js';
import type {
  CommunitiesData,
  Contribution,
  EmbeddingProjection,
  ItemEmbeddingDetail,
  ItemGraphData,
  ProjectionMethod,
  PathReasons,
  ProjectionParams,
  SimilarItem,
  UserDetail,
  UserRef,
} from '../shared/messages.js';
import { itemCategory, itemLabels } from '../shared/similarItems.js';
import { contributingItems, nearestItems, popularityRank, rowNorms } from './neighbours.js';
import {
  gatherRows,
  pca2d,
  stratifiedSample,
  tsne2d,
  umap2d,
  type ProgressFn,
} from './projection.js';
import { effectiveParams } from '../shared/projectionParams.js';

/** Users listed for a clicked item (its degree says how many there are in all). */
export const USERS_LISTED = 100;
/** Training items named as the reason for each recommendation. */
export const REASONS_PER_ITEM = 3;

/** Seed of the sample and of UMAP/t-SNE: the run's own seed, so a run always looks the same. */
function projectionSeed(run: RunRecord): number {
  const seed = run.meta?.config.seed;
  return typeof seed === 'number' && Number.isFinite(seed) ? seed : 2020;
}

/**
 * Projects a run's user and item embeddings to 2-D: PCA on every node; UMAP and t-SNE on a
 * seeded sample stratified by users/items (SAMPLE_LIMITS), reporting their iterations.
 */
export async function projectRun(
  runDir: string,
  method: ProjectionMethod,
  onProgress?: ProgressFn,
  wanted?: ProjectionParams,
): Promise<EmbeddingProjection> {
  const run = readRun(runDir);
  const restored = await restoreRun(run, 1);
  try {
    const e = restored.embeddings;
    if (!e) {
      throw new InputError(
        { file: runDir, text: run.meta?.model ?? run.id },
        'a run of an embedding model (mf, lightgcn, ngcf) with embeddings.bin',
      );
    }
    const t0 = performance.now();
    const nUsers = e.users.length / e.dim;
    const nItems = e.items.length / e.dim;
    const degree = new Int32Array(nUsers + nItems);
    const csr = restored.trainCsr;
    degree.set(rowDegrees(csr), 0);
    degree.set(idCounts(csr.nCols, csr.indices.subarray(0, csr.indptr[csr.nRows])), nUsers);
    const ids = [
      ...restored.dataset.userIds.ids.slice(0, nUsers),
      ...restored.dataset.itemIds.ids.slice(0, nItems),
    ];
    const features = restored.dataset.itemFeatures;
    const perNode = (itemValues?: readonly string[]) =>
      itemValues && [...new Array<string>(nUsers).fill(''), ...itemValues.slice(0, nItems)];
    const labels = perNode(itemLabels(features));
    const category = itemCategory(features);
    const categories = perNode(category?.values);
    const social = restored.dataset.social;
    const base = {
      runId: run.id,
      label: run.meta?.name ?? run.id,
      method,
      nUsers,
      nItems,
      ...(social ? { friendships: social.indptr[social.nRows] / 2 } : {}),
    };
    if (method === 'pca') {
      const p = pca2d([e.users, e.items], e.dim);
      const seconds = (performance.now() - t0) / 1000;
      return {
        ...base,
        x: p.x,
        y: p.y,
        degree,
        ids,
        ...(labels ? { labels } : {}),
        ...(category && categories
          ? { category: { name: category.name, values: categories } }
          : {}),
        explained: p.explained,
        seconds,
      };
    }
    const params = effectiveParams(method, wanted);
    const rng = new Rng(projectionSeed(run));
    const nodes = stratifiedSample(nUsers, nItems, params.sample, rng);
    const rows = gatherRows([e.users, e.items], e.dim, nodes);
    const layout =
      method === 'umap'
        ? umap2d(rows, () => rng.next(), onProgress, params)
        : tsne2d(rows, rng.nextU32(), onProgress, undefined, params.perplexity);
    const sampled = nodes.length < nUsers + nItems;
    const pick = <T>(all: T[]) => (sampled ? Array.from(nodes, (n) => all[n]) : all);
    return {
      ...base,
      ...(sampled ? { nodes } : {}),
      x: layout.x,
      y: layout.y,
      degree: sampled ? Int32Array.from(nodes, (n) => degree[n]) : degree,
      ids: pick(ids),
      ...(labels ? { labels: pick(labels) } : {}),
      ...(category && categories
        ? { category: { name: category.name, values: pick(categories) } }
        : {}),
      params,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await restored.ranker.dispose?.();
  }
}

/** Whether a run of `model` lists the cosine reasons beside the paths. */
export function cosineReasons(model: string | undefined): boolean {
  // graph models' "why" is their random-walk paths alone (ModelEntry.scoresByGraph)
  return model === undefined || !MODELS.get(model)?.scoresByGraph;
}

/** The panel's form of one item's paths. */
function pathReasons(e: RecommendationPaths): PathReasons {
  return {
    probability: e.probability,
    pathCount: e.pathCount,
    items: e.because.map((b) => ({
      item: b.item,
      ...(b.label ? { label: b.label } : {}),
      weight: b.share,
    })),
  };
}

/** User `u`'s friends when the dataset has a user-user relation (lastfm-social). */
export function friendsOf(
  ds: Pick<Dataset, 'social' | 'userIds'>,
  u: number,
): UserRef[] | undefined {
  const s = ds.social;
  if (!s || u >= s.nRows) return s ? [] : undefined;
  return Array.from(s.indices.subarray(s.indptr[u], s.indptr[u + 1]), (v) => ({
    user: ds.userIds.ids[v],
    index: v,
  }));
}

/** Training items and top-k of one user; `user` is the original id, or "#<index>". */
export async function recommendForUser(
  runDir: string,
  user: string,
  k: number,
): Promise<UserDetail> {
  const run = readRun(runDir);
  const restored = await restoreRun(run, 1);
  try {
    const ds = restored.dataset;
    const u = user.startsWith('#') ? Number(user.slice(1)) : ds.userIds.index.get(user);
    if (u === undefined || !Number.isInteger(u) || u < 0 || u >= restored.trainCsr.nRows) {
      throw new InputError(
        { file: ds.sources[0] ?? ds.name, text: user },
        'a user id present in the dataset',
      );
    }
    const top = await restored.ranker.topK(Int32Array.of(u), k, restored.exclude);
    const test = new Set<number>();
    const t = restored.split.test;
    for (let j = 0; j < t.users.length; j++) if (t.users[j] === u) test.add(t.items[j]);
    const csr = restored.trainCsr;
    const history = csr.indices.subarray(csr.indptr[u], csr.indptr[u + 1]);
    const trainItems = Array.from(history, (i) => ds.itemIds.ids[i]);
    const labels = itemLabels(ds.itemFeatures);
    const labelOf = (i: number) => (labels?.[i] ? { label: labels[i] } : {});
    // the cosine is the geometry of a factorisation; a graph model's score is made of the
    // walks the paths list, so it gets the paths alone (see cosineReasons)
    const e = cosineReasons(run.meta?.model) ? restored.embeddings : undefined;
    const norms = e && rowNorms(e.items, e.dim);
    const because = (i: number): Contribution[] | undefined =>
      e && norms
        ? contributingItems(e.items, e.dim, history, i, REASONS_PER_ITEM, norms).map((c) => ({
            item: ds.itemIds.ids[c.index],
            ...labelOf(c.index),
            weight: c.score,
          }))
        : undefined;
    const items = [...top].filter((i) => i >= 0);
    const explained = explainRecommendations(csr, ds, u, items, { reasons: REASONS_PER_ITEM });
    const recommendations = items.map((i, r) => {
      const why = because(i);
      return {
        item: ds.itemIds.ids[i],
        ...labelOf(i),
        index: i,
        hit: test.has(i),
        ...(why ? { because: why } : {}),
        paths: pathReasons(explained[r]),
      };
    });
    const friends = friendsOf(ds, u);
    return {
      user: ds.userIds.ids[u],
      userIndex: u,
      trainItems,
      ...(labels ? { trainLabels: Array.from(history, (i) => labels[i] ?? '') } : {}),
      recommendations,
      ...(e
        ? {
            because:
              'the training items whose embeddings are most similar (cosine) to the recommended item’s',
          }
        : {}),
      paths: PATHS_EXPLAINED,
      ...(friends ? { friends } : {}),
    };
  } finally {
    await restored.ranker.dispose?.();
  }
}

/**
 * The item-item graph of a run's training split, `k` neighbours per item: the itemgraph
 * model's r-normalised co-occurrence (its r, LightGCN's symmetric 0.5, unless the run is an
 * itemgraph run with its own r), whatever model the run trained, so any run can list an
 * item's similar items.
 */
export async function itemGraphOfRun(runDir: string, k: number): Promise<ItemGraphData> {
  const run = readRun(runDir);
  const restored = await restoreRun(run, 1);
  await restored.ranker.dispose?.();
  const t0 = performance.now();
  const hyperR = run.meta?.model === 'itemgraph' ? run.meta.config.hyper : undefined;
  const ownR =
    typeof hyperR === 'object' && hyperR !== null ? (hyperR as { r?: unknown }).r : undefined;
  const r = typeof ownR === 'number' ? ownR : ITEMGRAPH_DEFAULTS.r;
  const g = normalizedItemGraph(restored.trainCsr, { r, k });
  const ds = restored.dataset;
  const nItems = restored.trainCsr.nCols;
  const labels = itemLabels(ds.itemFeatures)?.slice(0, nItems);
  return {
    runId: run.id,
    ids: ds.itemIds.ids.slice(0, nItems),
    ...(labels ? { labels } : {}),
    indptr: g.indptr,
    indices: g.indices,
    weights: g.values,
    r,
    k,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Louvain communities of a run's user-item graph (its training split), seeded by the run's
 * seed; above structure.ts's edge budget, on a seeded sample of users (the rest get -1).
 */
export async function communitiesOfRun(runDir: string): Promise<CommunitiesData> {
  const run = readRun(runDir);
  const restored = await restoreRun(run, 1);
  await restored.ranker.dispose?.();
  const t0 = performance.now();
  const rng = new Rng(projectionSeed(run));
  const c = nodeCommunities(restored.trainCsr, { rng: () => rng.next() });
  return { runId: run.id, ...c, seconds: (performance.now() - t0) / 1000 };
}

/** A next-item run's sessions (its dataset's users), with their lengths and split parts. */
export async function sessionsOfRun(runDir: string): Promise<SessionSummary[]> {
  const r = await openNextItemRun(readRun(runDir));
  await r.model.dispose?.();
  return sessionList(r);
}

/** One session of a next-item run and the model's k next items after it. */
export async function sessionOfRun(
  runDir: string,
  session: string,
  k: number,
): Promise<SessionView> {
  const r = await openNextItemRun(readRun(runDir));
  try {
    return await showSession(r, session, k);
  } finally {
    await r.model.dispose?.();
  }
}

/**
 * What an item click shows beside the item-item graph: the `k` items nearest to item `index`
 * in the run's embedding space (cosine and dot; absent for runs without embeddings), the
 * training users who have it, and its popularity.
 */
export async function inspectItem(
  runDir: string,
  index: number,
  k: number,
): Promise<ItemEmbeddingDetail> {
  const run = readRun(runDir);
  const restored = await restoreRun(run, 1);
  await restored.ranker.dispose?.();
  const ds = restored.dataset;
  const csr = restored.trainCsr;
  if (!Number.isInteger(index) || index < 0 || index >= csr.nCols)
    throw new InputError({ file: runDir, text: String(index) }, `an item index below ${csr.nCols}`);
  const degrees = idCounts(csr.nCols, csr.indices.subarray(0, csr.indptr[csr.nRows]));
  const users: string[] = [];
  for (let u = 0; u < csr.nRows && users.length < USERS_LISTED; u++) {
    for (let p = csr.indptr[u]; p < csr.indptr[u + 1]; p++) {
      if (csr.indices[p] !== index) continue;
      users.push(ds.userIds.ids[u]);
      break;
    }
  }
  const labels = itemLabels(ds.itemFeatures);
  const e = restored.embeddings;
  const listed = (scored: { index: number; score: number }[]): SimilarItem[] =>
    scored.map((s) => ({
      item: ds.itemIds.ids[s.index],
      index: s.index,
      weight: s.score,
      ...(labels?.[s.index] ? { label: labels[s.index] } : {}),
    }));
  const neighbours = e && {
    k,
    cosine: listed(nearestItems(e.items, e.dim, index, k, 'cosine')),
    dot: listed(nearestItems(e.items, e.dim, index, k, 'dot')),
  };
  return {
    ...(neighbours ? { neighbours } : {}),
    users,
    popularity: { degree: degrees[index], rank: popularityRank(degrees, index), items: csr.nCols },
  };
}
