/**
 * Shared plumbing of the benchmarks: where the shared datasets are, peak memory, machine facts,
 * and the rule that a benchmark's last stdout line is one JSON object with its figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { itemUserCsr, userItemCsr } from '../src/data/csr.js';
import { loadDataset, splitDataset } from '../src/data/index.js';
import { ML1M_SHAPE, synthesizeShaped } from '../src/data/synth.js';
import type { Csr, Split } from '../src/data/types.js';
import { Rng } from '../src/util/rng.js';
import { evaluate } from '../src/eval/index.js';
import { modelEntry, resolveHyper } from '../src/models/registry.js';
import { isTrainable, type Hyperparameters, type ModelContext } from '../src/models/types.js';
import { honestSplit } from '../src/runs/selection.js';
import { epochRng, type Trainable } from '../src/train/trainer.js';

/** ../shared/datasets relative to the project root, or RECLAB_SHARED_DATASETS. */
export function sharedDatasetsDir(): string {
  return process.env.RECLAB_SHARED_DATASETS ?? resolve(process.cwd(), '..', 'shared', 'datasets');
}

/** Path of a shared dataset folder; exits with a clear message when it is not there. */
export function requireSharedDataset(name: string): string {
  const dir = resolve(sharedDatasetsDir(), name);
  if (!existsSync(dir)) {
    console.log(
      `dataset ${name} not found at ${dir}: this benchmark needs ../shared/datasets/${name} (or RECLAB_SHARED_DATASETS)`,
    );
    console.log(JSON.stringify({ skipped: true, reason: `missing ${dir}` }));
    process.exit(0);
  }
  return dir;
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50);
sampler.unref();

/** Peak resident set size in MB: the kernel's high-water mark where available, else sampled. */
export function peakRssMB(): number {
  const fromKernel = process.resourceUsage().maxRSS * 1024; // maxRSS is in KB
  return Math.round(Math.max(peakRss, fromKernel, process.memoryUsage.rss()) / 1048576);
}

export function machine(): { cores: number; cpu: string; node: string } {
  const c = cpus();
  return { cores: c.length, cpu: c[0]?.model ?? 'unknown', node: process.version };
}

export function seconds(t0: number): number {
  return Math.round((performance.now() - t0) / 10) / 100;
}

/** Prints the figures as the final line (one JSON object), after a human-readable summary. */
export function report(figures: Record<string, unknown>): void {
  const all = { ...figures, peakRssMB: figures.peakRssMB ?? peakRssMB(), machine: machine() };
  for (const [k, v] of Object.entries(all)) if (typeof v !== 'object') console.log(`${k}: ${v}`);
  console.log(JSON.stringify(all));
}

export type BenchOptions = Record<string, string | boolean | undefined>;

/** Parses --name value options strictly, with defaults given as strings. */
export function benchArgs<T extends Record<string, string>>(defaults: T): T {
  const options = Object.fromEntries(
    Object.keys(defaults).map((k) => [k, { type: 'string' as const }]),
  );
  const { values } = parseArgs({ args: process.argv.slice(2), options, strict: true });
  return { ...defaults, ...(values as Partial<T>) };
}

/**
 * The split a benchmark evaluates on. ml-100k: recbole:../shared/datasets/ml-100k/ml-100k.inter
 * with RecLab's default split (random per user 80/10/10, seeded). gowalla: its given train.txt /
 * test.txt. ml-1m-shape: synthetic data of MovieLens-1M's size and degree laws (ML1M_SHAPE; the
 * real ml-1m is not in ../shared), for timing only: its quality figures mean nothing.
 */
export async function loadBenchSplit(
  dataset: string,
  seed: number,
): Promise<{ split: Split; spec: string }> {
  if (dataset === 'ml-100k') {
    const spec = `recbole:${join(requireSharedDataset('ml-100k'), 'ml-100k.inter')}`;
    const ds = await loadDataset(spec);
    return { split: splitDataset(ds, honestSplit(undefined, Boolean(ds.given)), seed), spec };
  }
  if (dataset === 'gowalla') {
    const spec = `gowalla:${requireSharedDataset('gowalla')}`;
    const ds = await loadDataset(spec);
    if (!ds.given) throw new Error(`${spec} gave no train/test split`);
    return { split: ds.given, spec };
  }
  if (dataset === 'ml-1m-shape') {
    const { train, test } = synthesizeShaped(ML1M_SHAPE, {
      interactions: ML1M_SHAPE.interactions,
      seed,
    });
    return { split: { train, test }, spec: 'synthetic data of ml-1m shape (timing only)' };
  }
  throw new Error(`--dataset must be ml-100k, gowalla or ml-1m-shape, got ${dataset}`);
}

/** A benchmark's split with what every recommender is built and evaluated from. */
export interface BenchData {
  readonly split: Split;
  readonly spec: string;
  readonly loadSeconds: number;
  readonly trainCsr: Csr;
  readonly testCsr: Csr;
  /** train (and validation) items per user: never recommended at test */
  readonly exclude: Csr[];
  readonly ctx: ModelContext;
}

/** Loads the split (see loadBenchSplit), prints its sizes, and builds the model context. */
export async function loadBenchData(
  dataset: string,
  seed: number,
  threads: number,
): Promise<BenchData> {
  const t = performance.now();
  const { split, spec } = await loadBenchSplit(dataset, seed);
  const loadSeconds = seconds(t);
  const train = split.train;
  const trainCsr = userItemCsr(train);
  const testCsr = userItemCsr(split.test);
  const exclude = split.valid ? [trainCsr, userItemCsr(split.valid)] : [trainCsr];
  console.log(
    `${spec}: ${train.nUsers} users x ${train.nItems} items, ${train.users.length} train / ${split.test.users.length} test${split.valid ? ` / ${split.valid.users.length} valid (excluded at test)` : ''}, loaded in ${loadSeconds} s`,
  );
  const ctx: ModelContext = {
    train,
    trainCsr,
    trainCsrT: itemUserCsr(train),
    rng: new Rng(seed),
    threads,
    log: (m) => console.log(m),
  };
  return { split, spec, loadSeconds, trainCsr, testCsr, exclude, ctx };
}

/** --hyper a=1,b=x: numbers where they parse. */
export function parseHyper(text: string): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const kv of text.split(',').filter((x) => x)) {
    const [k, v] = kv.split('=');
    if (!k || v === undefined) throw new Error(`--hyper: expected name=value, got ${kv}`);
    out[k] = v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

/**
 * Runs `file --one <name>` (with this process's options) in a child process, so its peak RSS
 * is its own; echoes its output indented and returns its last line parsed, or the error.
 */
export function runChild<R>(file: string, name: string): R | { error: string } {
  const args = ['--import', 'tsx', file, ...process.argv.slice(2), '--one', name];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const lines = (r.stdout ?? '').trim().split('\n');
  process.stdout.write(
    lines
      .slice(0, -1)
      .map((l) => `  ${l}\n`)
      .join(''),
  );
  try {
    if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').slice(-3).join(' '));
    return JSON.parse(lines[lines.length - 1]) as R;
  } catch (e) {
    console.log(`  ${name} failed: ${(e as Error).message}`);
    return { error: (e as Error).message };
  }
}

/**
 * Trains for a fixed number of epochs with the trainer's per-epoch streams, printing the loss
 * every `logEvery` epochs and the last; returns the seconds spent training.
 */
export async function trainEpochs(
  name: string,
  model: Trainable,
  epochs: number,
  seed: number,
  logEvery = 1,
  /** runs after each epoch, outside the timing (a validation check) */
  afterEpoch?: (epoch: number) => Promise<void>,
): Promise<number> {
  let trainSeconds = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t = performance.now();
    await model.beginEpoch(epoch, epochRng(seed, epoch));
    let loss = 0;
    const batches = model.batchesPerEpoch();
    for (let b = 0; b < batches; b++) loss += await model.trainStep(b);
    const s = seconds(t);
    trainSeconds += s;
    if (epoch % logEvery === 0 || epoch === epochs)
      console.log(`${name} epoch ${epoch}: loss ${(loss / batches).toFixed(5)} (${s} s)`);
    await afterEpoch?.(epoch);
  }
  return trainSeconds;
}

/** One trained model's row in a models table. */
export interface ModelRow {
  'recall@20': number;
  'ndcg@20': number;
  epochSeconds: number;
  evalSeconds: number;
  peakRssMB: number;
}

/**
 * Creates a registry model with `hyper` on top of its defaults, trains it `epochs` epochs,
 * evaluates it once on test (Recall and NDCG at 20) and disposes of it.
 */
export async function trainAndEvaluate(
  label: string,
  modelName: string,
  hyper: Hyperparameters,
  data: BenchData,
  o: { readonly epochs: number; readonly seed: number; readonly threads: number },
  logEvery = 1,
): Promise<ModelRow> {
  const entry = modelEntry(modelName);
  const model = await entry.create(data.ctx, resolveHyper(entry, hyper));
  if (!isTrainable(model)) throw new Error(`${label} does not train`);
  const trainSeconds = await trainEpochs(label, model, o.epochs, o.seed, logEvery);
  const t = performance.now();
  const ranker = model.ranker(o.threads);
  const r = await evaluate({
    ranker,
    train: data.trainCsr,
    test: data.testCsr,
    exclude: data.exclude,
    ks: [20],
  });
  await ranker.dispose?.();
  await model.dispose?.();
  const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    'recall@20': round4(r.metrics['recall@20']),
    'ndcg@20': round4(r.metrics['ndcg@20']),
    epochSeconds: Math.round((trainSeconds / o.epochs) * 100) / 100,
    evalSeconds: seconds(t),
    peakRssMB: peakRssMB(),
  };
}
