/**
 * Train/validation/test splits, reproducible from a seed: random per-user ratios,
 * leave-one-out, temporal (global or per user), or the split that came with the files.
 */
import { Rng } from '../util/rng.js';
import { InputError } from '../util/errors.js';
import { groupByUser, pickMask, sortByTime } from './select.js';
import type { Dataset, Interactions, Split } from './types.js';

export type SplitConfig =
  /** the dataset's own train/test(/valid) files */
  | { readonly type: 'given' }
  /** per user, a random share of each user's interactions: [train, test] or [train, valid, test] */
  | { readonly type: 'ratio'; readonly ratios: readonly number[] }
  /** per user, one interaction to test (and one to valid): the latest, or a random one */
  | { readonly type: 'loo'; readonly order?: 'time' | 'random'; readonly valid?: boolean }
  /** by time: a global cut at time quantiles, or each user's history cut by the ratios */
  | { readonly type: 'temporal'; readonly ratios: readonly number[]; readonly perUser?: boolean };

const TRAIN = 0;
const VALID = 1;
const TEST = 2;

function configError(config: SplitConfig, expected: string): InputError {
  return new InputError({ file: 'split config', text: JSON.stringify(config) }, expected);
}

/** [train, valid, test] shares summing to 1 from 2 or 3 positive-ish ratios. */
function shares(config: SplitConfig & { ratios: readonly number[] }): [number, number, number] {
  const r = config.ratios;
  const ok = (r.length === 2 || r.length === 3) && r.every((x) => Number.isFinite(x) && x >= 0);
  const sum = ok ? r.reduce((a, b) => a + b, 0) : 0;
  if (!ok || sum <= 0 || r[0] <= 0 || r[r.length - 1] <= 0) {
    throw configError(
      config,
      'ratios [train, test] or [train, valid, test]: non-negative, train and test > 0',
    );
  }
  return r.length === 2 ? [r[0] / sum, 0, r[1] / sum] : [r[0] / sum, r[1] / sum, r[2] / sum];
}

function needTimestamps(ds: Dataset, config: SplitConfig): Float64Array {
  const t = ds.interactions.timestamps;
  if (!t) {
    throw new InputError(
      { file: ds.sources[0] ?? ds.name, text: JSON.stringify(config) },
      'timestamps for a split by time (this dataset has none: use a random order or ratio split)',
    );
  }
  return t;
}

/**
 * Per-user part sizes for n interactions: test and valid by rounding, then at least one train
 * interaction for any user who has one, taken from valid first.
 */
function partSizes(n: number, s: readonly [number, number, number]): [number, number] {
  let test = Math.round(n * s[TEST]);
  let valid = Math.round(n * s[VALID]);
  while (n - test - valid < 1 && valid > 0) valid--;
  while (n - test - valid < 1 && test > 0) test--;
  return [valid, test];
}

/** Assigns parts within each user's entries, listed in the order that decides (time or random). */
function perUser(
  x: Interactions,
  arrange: (idx: Int32Array) => Int32Array,
  sizes: (n: number) => [number, number],
): Uint8Array {
  const part = new Uint8Array(x.users.length);
  const { indptr, order } = groupByUser(x);
  for (let u = 0; u < x.nUsers; u++) {
    const idx = arrange(order.slice(indptr[u], indptr[u + 1]));
    const [valid, test] = sizes(idx.length);
    const firstValid = idx.length - test - valid;
    for (let p = firstValid; p < idx.length; p++)
      part[idx[p]] = p < idx.length - test ? VALID : TEST;
  }
  return part;
}

function toSplit(x: Interactions, part: Uint8Array, withValid: boolean): Split {
  const mask = (v: number): Uint8Array => part.map((p) => (p === v ? 1 : 0));
  const train = pickMask(x, mask(TRAIN));
  const test = pickMask(x, mask(TEST));
  return withValid ? { train, valid: pickMask(x, mask(VALID)), test } : { train, test };
}

/**
 * Splits a dataset. Parts keep the dataset's id space and each part lists its entries in the
 * dataset's order. The same dataset, config and seed give the same split.
 */
export function splitDataset(dataset: Dataset, config: SplitConfig, seed: number): Split {
  const x = dataset.interactions;
  const rng = new Rng(seed);
  switch (config.type) {
    case 'given':
      if (!dataset.given) {
        throw new InputError(
          { file: dataset.sources[0] ?? dataset.name },
          'a dataset with its own train/test files for a "given" split (use ratio, loo or temporal)',
        );
      }
      return dataset.given;
    case 'ratio': {
      const s = shares(config);
      const part = perUser(
        x,
        (idx) => rng.shuffle(idx),
        (n) => partSizes(n, s),
      );
      return toSplit(x, part, s[VALID] > 0);
    }
    case 'loo': {
      const order = config.order ?? (x.timestamps ? 'time' : 'random');
      if (order !== 'time' && order !== 'random')
        throw configError(config, 'order "time" or "random"');
      const t = order === 'time' ? needTimestamps(dataset, config) : undefined;
      const withValid = config.valid === true;
      // Users with too few interactions keep them all in train: at least one must stay.
      const sizes = (n: number): [number, number] =>
        withValid ? (n >= 3 ? [1, 1] : n === 2 ? [0, 1] : [0, 0]) : n >= 2 ? [0, 1] : [0, 0];
      const arrange = t
        ? (idx: Int32Array) => sortByTime(idx, t)
        : (idx: Int32Array) => rng.shuffle(idx);
      return toSplit(x, perUser(x, arrange, sizes), withValid);
    }
    case 'temporal': {
      const s = shares(config);
      const t = needTimestamps(dataset, config);
      if (config.perUser) {
        const part = perUser(
          x,
          (idx) => sortByTime(idx, t),
          (n) => partSizes(n, s),
        );
        return toSplit(x, part, s[VALID] > 0);
      }
      // Global cut: the earliest share[TRAIN] of all interactions train, then valid, then test.
      const idx = sortByTime(
        Int32Array.from({ length: x.users.length }, (_, k) => k),
        t,
      );
      const n = idx.length;
      const trainEnd = Math.round(n * s[TRAIN]);
      const validEnd = trainEnd + Math.round(n * s[VALID]);
      const part = new Uint8Array(n);
      for (let p = trainEnd; p < n; p++) part[idx[p]] = p < validEnd ? VALID : TEST;
      return toSplit(x, part, s[VALID] > 0);
    }
    default: {
      const never: never = config;
      throw configError(never, 'a split type: given, ratio, loo or temporal');
    }
  }
}
