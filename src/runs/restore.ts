/**
 * Brings a saved run back to life for evaluation and recommendation: the same dataset and
 * split (seeded), and a ranker from its saved embeddings or its checkpoint.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { itemUserCsr, userItemCsr } from '../data/csr.js';
import { loadDataset, splitDataset } from '../data/index.js';
import type { Csr, Dataset, Split } from '../data/types.js';
import { Rng } from '../engine/rng.js';
import type { TopKRanker } from '../eval/ranking.js';
import { modelEntry } from '../models/registry.js';
import { dotRanker } from '../models/rankers.js';
import type { Embeddings, Hyperparameters } from '../models/types.js';
import { InputError } from '../util/errors.js';
import { readArraysFile } from './arraysFile.js';
import { resolveExperiment, type ExperimentConfig } from './experiment.js';
import { FILES, type RunRecord } from './format.js';

export interface RestoredRun {
  readonly dataset: Dataset;
  readonly split: Split;
  readonly trainCsr: Csr;
  /** train (and validation) items per user: never recommended */
  readonly exclude: Csr[];
  readonly ranker: TopKRanker;
  readonly embeddings?: Embeddings;
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
  const ds = dataset ?? (await loadDataset(config.dataset));
  const split = splitDataset(
    ds,
    config.split ?? (ds.given ? { type: 'given' } : { type: 'ratio', ratios: [0.8, 0.1, 0.1] }),
    config.seed,
  );
  const trainCsr = userItemCsr(split.train);
  const exclude = split.valid ? [trainCsr, userItemCsr(split.valid)] : [trainCsr];
  const embeddings = readEmbeddings(run);
  if (embeddings) {
    const nUsers = embeddings.users.length / embeddings.dim;
    if (nUsers !== split.train.nUsers) {
      throw new InputError(
        { file: join(run.dir, FILES.embeddings), text: `${nUsers} users` },
        `${split.train.nUsers} users as in dataset ${config.dataset}: the dataset changed since the run`,
      );
    }
    return {
      dataset: ds,
      split,
      trainCsr,
      exclude,
      ranker: dotRanker(embeddings, threads),
      embeddings,
    };
  }
  // Models without embeddings are rebuilt from the training data, then their checkpoint.
  const entry = modelEntry(config.model);
  const model = await entry.create(
    {
      train: split.train,
      trainCsr,
      trainCsrT: itemUserCsr(split.train),
      rng: new Rng(config.seed).fork(),
      threads,
      log: () => undefined,
    },
    (config.hyper ?? {}) as Hyperparameters,
  );
  const ckpt = join(run.dir, FILES.checkpoint);
  if (entry.trainable) {
    if (!existsSync(ckpt) || !model.load)
      throw new InputError({ file: ckpt }, 'a checkpoint to restore the trained model');
    const { arrays } = readArraysFile(ckpt);
    model.load(Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, a.data])));
  }
  return { dataset: ds, split, trainCsr, exclude, ranker: model.ranker(threads) };
}
