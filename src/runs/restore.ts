/**
 * Brings a saved run back to life for evaluation and recommendation: the same dataset and
 * split (seeded), and a ranker from its saved parameters. A finished run is read from its
 * embeddings (else its best checkpoint); a run that did not finish (cancelled, failed,
 * interrupted, still running) from its last epoch's checkpoint, which `from` names so that
 * callers can say which epoch they are showing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { itemUserCsr, userItemCsr } from '../data/csr.js';
import { loadDataset, splitDataset } from '../data/index.js';
import type { Csr, Dataset, Split } from '../data/types.js';
import { Rng } from '../util/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { modelEntry } from '../models/registry.js';
import { dotRanker } from '../models/rankers.js';
import type { Embeddings, Hyperparameters, ModelContext, Recommender } from '../models/types.js';
import { InputError } from '../util/errors.js';
import { readArraysFile } from './arraysFile.js';
import { resolveExperiment, type ExperimentConfig } from './experiment.js';
import { FILES, type RunRecord, type RunStatus } from './format.js';
import { savedSplit } from './selection.js';

/** Which saved parameters a restored run ranks with. */
export interface RestoredFrom {
  /** embeddings.bin, checkpoint.bin or last.bin; absent for models rebuilt from the data alone */
  readonly file?: string;
  /** the epoch those parameters are from, when the file says */
  readonly epoch?: number;
  /** set when the run did not finish: its status then, and the epochs it was to train */
  readonly unfinished?: { readonly status: RunStatus; readonly epochs: number };
}

export interface RestoredRun {
  readonly dataset: Dataset;
  readonly split: Split;
  readonly trainCsr: Csr;
  /** train (and validation) items per user: never recommended */
  readonly exclude: Csr[];
  readonly ranker: TopKRanker;
  readonly embeddings?: Embeddings;
  readonly from: RestoredFrom;
}

/**
 * What to tell a user about a run that did not finish, e.g. "demo-mf did not finish (cancelled
 * at epoch 2 of 4): using its last checkpoint, last.bin (epoch 2)"; undefined for a finished one.
 */
export function unfinishedNote(run: RunRecord, from: RestoredFrom): string | undefined {
  if (!from.unfinished) return undefined;
  const { status, epochs } = from.unfinished;
  const name = run.meta?.name ?? run.id;
  const epoch = from.epoch !== undefined ? ` (epoch ${from.epoch})` : '';
  return `${name} did not finish (${status} at epoch ${run.state.epoch} of ${epochs}): using its last checkpoint, ${FILES.last}${epoch}`;
}

export function readEmbeddings(run: RunRecord): Embeddings | undefined {
  const file = join(run.dir, FILES.embeddings);
  if (!existsSync(file)) return undefined;
  const { arrays, meta } = readArraysFile(file);
  if (!arrays.users || !arrays.items) throw new InputError({ file }, 'arrays "users" and "items"');
  return {
    dim: Number(meta.dim ?? arrays.users.shape[1]),
    users: arrays.users.data,
    items: arrays.items.data,
  };
}

export async function restoreRun(
  run: RunRecord,
  threads = 1,
  dataset?: Dataset,
): Promise<RestoredRun> {
  if (!run.meta) throw new InputError({ file: join(run.dir, FILES.meta) }, 'a readable run.json');
  const config = resolveExperiment(run.meta.config as unknown as ExperimentConfig);
  const ds = dataset ?? (await loadDataset(config.dataset, config.datasetOptions));
  const split = splitDataset(ds, savedSplit(config.split, Boolean(ds.given)), config.seed);
  const trainCsr = userItemCsr(split.train);
  const exclude = split.valid ? [trainCsr, userItemCsr(split.valid)] : [trainCsr];
  const base = { dataset: ds, split, trainCsr, exclude };
  const entry = modelEntry(config.model);
  const finished = run.state.status === 'done';
  // a resumed run keeps the embeddings of its earlier, shorter training until it finishes
  const embeddings = finished ? readEmbeddings(run) : undefined;
  if (embeddings) {
    checkUsers(embeddings, split.train.nUsers, join(run.dir, FILES.embeddings), config.dataset);
    const from = { file: FILES.embeddings };
    return { ...base, ranker: dotRanker(embeddings, threads), embeddings, from };
  }
  // Otherwise the model is rebuilt from the training data, then given its saved parameters.
  const model = await entry.create(
    restoredContext(ds, split, trainCsr, config.seed, threads),
    (config.hyper ?? {}) as Hyperparameters,
  );
  let from: RestoredFrom = {};
  try {
    if (entry.trainable) from = loadSaved(run, model, finished);
  } catch (e) {
    await model.dispose?.();
    throw e;
  }
  const e = model.embeddings?.();
  if (!e) return { ...base, ranker: model.ranker(threads), from };
  // a copy: the model (and any thread pool holding its arrays) is freed here
  const own = { dim: e.dim, users: e.users.slice(), items: e.items.slice() };
  await model.dispose?.();
  return { ...base, ranker: dotRanker(own, threads), embeddings: own, from };
}

/** The context a saved run's model is rebuilt in: its split, the dataset's extras, its seed. */
export function restoredContext(
  ds: Dataset,
  split: Split,
  trainCsr: Csr,
  seed: number,
  threads: number,
): ModelContext {
  return {
    train: split.train,
    trainCsr,
    trainCsrT: itemUserCsr(split.train),
    ...(ds.social ? { social: ds.social } : {}),
    ...(ds.kg ? { kg: ds.kg } : {}),
    rng: new Rng(seed).fork(),
    threads,
    log: () => undefined,
  };
}

function checkUsers(e: Embeddings, nUsers: number, file: string, dataset: string): void {
  const n = e.users.length / e.dim;
  if (n !== nUsers)
    throw new InputError(
      { file, text: `${n} users` },
      `${nUsers} users as in dataset ${dataset}: the dataset changed since the run`,
    );
}

/**
 * Loads a trained model's parameters: a finished run's best checkpoint, else the last epoch's
 * (what `train --resume` continues from).
 */
function loadSaved(run: RunRecord, model: Recommender, finished: boolean): RestoredFrom {
  const name = finished ? FILES.checkpoint : FILES.last;
  const file = join(run.dir, name);
  if (!existsSync(file) || !model.load)
    throw new InputError(
      { file },
      finished
        ? 'a checkpoint to restore the trained model'
        : `a last-epoch checkpoint: the run is ${run.state.status} and saved none (it stopped before its first epoch ended)`,
    );
  const { arrays, meta } = readArraysFile(file);
  model.load(Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, a.data])));
  const epoch = Number(meta.epoch);
  return {
    file: name,
    ...(Number.isInteger(epoch) && { epoch }),
    ...(!finished && { unfinished: { status: run.state.status, epochs: run.state.epochs } }),
  };
}
