/** Jobs on a saved run that need its dataset back: embedding projections and recommendations. */
import { idCounts, rowDegrees } from '../../src/data/csr.js';
import { Rng } from '../../src/util/rng.js';
import { normalizedItemGraph } from '../../src/graph/itemCooccurrence.js';
import { nodeCommunities } from '../../src/graph/structure.js';
import { ITEMGRAPH_DEFAULTS } from '../../src/models/itemGraph.js';
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
import { InputError } from '../../src/util/errors.js';
import type {
  CommunitiesData,
  EmbeddingProjection,
  ItemGraphData,
  ProjectionMethod,
  UserDetail,
} from '../shared/messages.js';
import { itemLabels } from '../shared/similarItems.js';
import {
  gatherRows,
  pca2d,
  SAMPLE_LIMITS,
  stratifiedSample,
  tsne2d,
  umap2d,
  type ProgressFn,
} from './projection.js';

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
    const base = { runId: run.id, label: run.meta?.name ?? run.id, method, nUsers, nItems };
    if (method === 'pca') {
      const p = pca2d([e.users, e.items], e.dim);
      const seconds = (performance.now() - t0) / 1000;
      return { ...base, x: p.x, y: p.y, degree, ids, explained: p.explained, seconds };
    }
    const rng = new Rng(projectionSeed(run));
    const nodes = stratifiedSample(nUsers, nItems, SAMPLE_LIMITS[method], rng);
    const rows = gatherRows([e.users, e.items], e.dim, nodes);
    const layout =
      method === 'umap'
        ? umap2d(rows, () => rng.next(), onProgress)
        : tsne2d(rows, rng.nextU32(), onProgress);
    const sampled = nodes.length < nUsers + nItems;
    return {
      ...base,
      ...(sampled ? { nodes } : {}),
      x: layout.x,
      y: layout.y,
      degree: sampled ? Int32Array.from(nodes, (n) => degree[n]) : degree,
      ids: sampled ? Array.from(nodes, (n) => ids[n]) : ids,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await restored.ranker.dispose?.();
  }
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
    const trainItems: string[] = [];
    for (let j = csr.indptr[u]; j < csr.indptr[u + 1]; j++)
      trainItems.push(ds.itemIds.ids[csr.indices[j]]);
    const recommendations = [...top]
      .filter((i) => i >= 0)
      .map((i) => ({ item: ds.itemIds.ids[i], index: i, hit: test.has(i) }));
    return { user: ds.userIds.ids[u], userIndex: u, trainItems, recommendations };
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
