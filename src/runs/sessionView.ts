/**
 * Saved next-item runs (gru4rec): evaluated again by the protocol they were tested with, and a
 * session shown, its items in order and the model's next items after them. The run's dataset, split and model come back with the parameters it was tested
 * with (checkpoint.bin, the selected epoch, where it saved one; else last.bin, its last epoch).
 * A "session" is a user of the run's dataset: a session of sessions:<file>, or a user's history.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userItemCsr } from '../data/csr.js';
import { loadDataset, splitDataset } from '../data/index.js';
import { userHistory } from '../data/sequences.js';
import type { Dataset, Split } from '../data/types.js';
import type { NextItemScorer } from '../eval/nextItem.js';
import { modelEntry } from '../models/registry.js';
import type { Hyperparameters, Recommender } from '../models/types.js';
import { InputError } from '../util/errors.js';
import { readArraysFile } from './arraysFile.js';
import { resolveExperiment, type ExperimentConfig } from './experiment.js';
import { FILES, type RunRecord } from './format.js';
import { evaluateSplitNextItem, evaluationProtocol, isNextItemScorer } from './protocol.js';
import { restoredContext } from './restore.js';
import { savedSplit } from './selection.js';

export interface NextItemRun {
  readonly dataset: Dataset;
  readonly split: Split;
  readonly model: Recommender & NextItemScorer;
  /** the parameter file the model was loaded from */
  readonly from: string;
}

export interface SessionSummary {
  readonly id: string;
  readonly index: number;
  readonly events: number;
  /** the split part its events are in ("train", "test", "train+test", ...) */
  readonly part: string;
}

export interface SessionView {
  readonly session: string;
  readonly index: number;
  readonly part: string;
  /** the session's items in order (train, then validation, then test events) */
  readonly items: { readonly item: string; readonly index: number }[];
  /** the model's top-k items after the whole session, best first */
  readonly next: { readonly item: string; readonly index: number; readonly score: number }[];
  readonly from: string;
}

/** Brings back a next-item run's model; refuses a run of another model. */
export async function openNextItemRun(run: RunRecord, threads = 1): Promise<NextItemRun> {
  if (!run.meta) throw new InputError({ file: join(run.dir, FILES.meta) }, 'a readable run.json');
  const config = resolveExperiment(run.meta.config as unknown as ExperimentConfig);
  const entry = modelEntry(config.model);
  if (!entry.nextItem)
    throw new InputError(
      { file: join(run.dir, FILES.meta), text: config.model },
      'a run of a next-item model (gru4rec) to show a session with',
    );
  const file = [FILES.checkpoint, FILES.last].find((f) => existsSync(join(run.dir, f)));
  if (!file)
    throw new InputError(
      { file: join(run.dir, FILES.last) },
      'saved parameters (checkpoint.bin or last.bin): the run stopped before its first epoch ended',
    );
  const ds = await loadDataset(config.dataset, config.datasetOptions);
  const split = splitDataset(ds, savedSplit(config.split, Boolean(ds.given)), config.seed);
  const ctx = restoredContext(ds, split, userItemCsr(split.train), config.seed, threads);
  const model = await entry.create(ctx, (config.hyper ?? {}) as Hyperparameters);
  try {
    if (!isNextItemScorer(model) || !model.load)
      throw new Error(`${entry.name} scores no next item`);
    const { arrays } = readArraysFile(join(run.dir, file));
    model.load(Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, a.data])));
    return { dataset: ds, split, model, from: file };
  } catch (e) {
    await model.dispose?.();
    throw e;
  }
}

function parts(split: Split): [string, Split['train']][] {
  return [
    ['train', split.train],
    ...(split.valid ? [['valid', split.valid] as [string, Split['train']]] : []),
    ['test', split.test],
  ];
}

/** Every session with its length and the parts it is in, in the dataset's order. */
export function sessionList(r: Pick<NextItemRun, 'dataset' | 'split'>): SessionSummary[] {
  const n = r.split.train.nUsers;
  const events = new Int32Array(n);
  const inPart = parts(r.split).map(([name, x]) => {
    const has = new Uint8Array(n);
    for (const u of x.users) {
      events[u]++;
      has[u] = 1;
    }
    return { name, has };
  });
  return Array.from({ length: n }, (_, u) => ({
    id: r.dataset.userIds.ids[u],
    index: u,
    events: events[u],
    part: inPart
      .filter((p) => p.has[u])
      .map((p) => p.name)
      .join('+'),
  }));
}

/** The indices of the k highest scores, best first (ties: the lower index). */
export function topIndices(scores: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, Math.max(0, k));
}

/** Session `session` (its id, or "#<index>") and the model's k next items after it. */
export async function showSession(
  r: NextItemRun,
  session: string,
  k: number,
): Promise<SessionView> {
  const ds = r.dataset;
  const u = session.startsWith('#') ? Number(session.slice(1)) : ds.userIds.index.get(session);
  const list = sessionList(r);
  if (u === undefined || !Number.isInteger(u) || u < 0 || u >= list.length)
    throw new InputError(
      { file: ds.sources[0] ?? ds.name, text: session },
      "a session (user) id of the run's dataset, or #<index>",
    );
  const items = userHistory(
    parts(r.split).map(([, x]) => x),
    u,
  );
  const scores = new Float32Array(r.model.nItems);
  await r.model.scoreNext({ offsets: Int32Array.of(0, items.length), items }, 0, 1, scores);
  const name = (i: number) => ds.itemIds.ids[i];
  return {
    session: list[u].id,
    index: u,
    part: list[u].part,
    items: Array.from(items, (i) => ({ item: name(i), index: i })),
    next: topIndices(scores, k).map((i) => ({ item: name(i), index: i, score: scores[i] })),
    from: r.from,
  };
}

/**
 * A saved run's test metrics by the next-item protocol (`reclab eval`), or undefined when the
 * run was evaluated by user-item full ranking (another model, or another split).
 */
export async function reevaluateNextItem(
  run: RunRecord,
  ks: readonly number[],
  threads = 1,
): Promise<
  { metrics: Record<string, number>; seconds: number; cases: number; from: string } | undefined
> {
  const config = run.meta && resolveExperiment(run.meta.config as unknown as ExperimentConfig);
  if (!config || !modelEntry(config.model).nextItem) return undefined;
  const r = await openNextItemRun(run, threads);
  try {
    const split = savedSplit(config.split, Boolean(r.dataset.given));
    const source = join(run.dir, FILES.meta);
    const p = evaluationProtocol(r.dataset, split, modelEntry(config.model), config.metric, source);
    if (p.kind !== 'next-item') return undefined;
    const e = await evaluateSplitNextItem(r.model, r.split, 'test', ks, p.maxLength);
    return { ...e, from: r.from };
  } finally {
    await r.model.dispose?.();
  }
}
