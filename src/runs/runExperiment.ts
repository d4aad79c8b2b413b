/**
 * Runs one experiment end to end: load, split, build, train, evaluate, save. The CLI and the
 * extension's training worker both call this, so a run is the same wherever it starts.
 */
import { cpus, hostname, platform } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { idCounts, itemUserCsr, userItemCsr } from '../data/csr.js';
import { loadDataset, splitDataset } from '../data/index.js';
import type { Csr, Dataset, Split } from '../data/types.js';
import { Rng } from '../util/rng.js';
import { evaluate } from '../eval/index.js';
import { modelEntry, resolveHyper } from '../models/registry.js';
import { isTrainable, type ModelContext, type Recommender } from '../models/types.js';
import { TwoStage } from '../models/twoStage.js';
import { describeStages, evaluateStages } from '../models/twoStageEval.js';
import {
  CancelledError,
  trainLoop,
  type BatchProgress,
  type EpochRecord,
} from '../train/trainer.js';
import { errorMessage, InputError } from '../util/errors.js';
import {
  checkExperiment,
  resolveExperiment,
  type ExperimentConfig,
  type ResolvedExperiment,
  type SelectOn,
  type SplitSpec,
} from './experiment.js';
import { honestSplit, legacySelection, resolveSelection, savedSplit } from './selection.js';
import {
  FILES,
  RUNS_DIR,
  type RunEnvironment,
  type RunRecord,
  type RunSummary,
  type SweepTag,
} from './format.js';
import { readArraysFile } from './arraysFile.js';
import { perUserFits, testSetHash } from './perUser.js';
import {
  evaluateSplitNextItem,
  evaluationProtocol,
  isNextItemScorer,
  specKind,
} from './protocol.js';
import { existsSync } from 'node:fs';
import {
  findRun,
  newRunId,
  readRun,
  resumableHistory,
  runNames,
  RunWriter,
  uniqueRunName,
} from './store.js';
import { VERSION } from '../version.js';
import { fingerprintSources } from '../data/fingerprint.js';

export interface RunCallbacks {
  readonly signal?: AbortSignal;
  readonly log?: (message: string) => void;
  readonly onStart?: (info: {
    id: string;
    dir: string;
    epochs: number;
    name: string;
    model: string;
  }) => void;
  readonly onBatch?: (p: BatchProgress) => void;
  readonly onEpoch?: (r: EpochRecord) => void;
  readonly onPhase?: (
    phase: 'loading' | 'splitting' | 'building' | 'training' | 'testing' | 'saving',
  ) => void;
}

export interface RunOptions extends RunCallbacks {
  /** folder holding .reclab/runs (default: the current directory) */
  readonly workspace?: string;
  /** skip writing a run folder (dry runs, tests) */
  readonly save?: boolean;
  /** where the experiment came from, for messages (its file, or "command line") */
  readonly source?: string;
  /** a dataset already loaded for this spec (the demo reuses one load for several models) */
  readonly dataset?: Dataset;
  /**
   * Continue this run from its last checkpoint (its own config; `epochs` of the given
   * experiment may raise the total). The run folder is appended to, not copied.
   */
  readonly resume?: RunRecord;
  /** the sweep this run is a point of, recorded in run.json */
  readonly sweep?: SweepTag;
}

export interface ExperimentResult {
  readonly id: string;
  readonly dir: string | undefined;
  readonly config: ResolvedExperiment;
  readonly summary: RunSummary;
  readonly history: EpochRecord[];
  readonly model: Recommender;
}

export function gitCommit(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

export function defaultThreads(requested: number): number {
  return requested > 0 ? requested : Math.max(1, cpus().length);
}

function exclusionFor(split: Split, target: 'valid' | 'test'): Csr[] {
  const train = userItemCsr(split.train);
  if (target === 'test' && split.valid) return [train, userItemCsr(split.valid)];
  return [train];
}

export async function runExperiment(
  input: ExperimentConfig,
  o: RunOptions = {},
): Promise<ExperimentResult> {
  const t0 = performance.now();
  if (input.sweep && !o.resume)
    throw new InputError(
      { file: o.source ?? 'experiment', text: '"sweep"' },
      'an experiment without "sweep": a sweep runs with `reclab sweep <file>`',
    );
  const config = o.resume ? resumedConfig(o.resume, input) : resolveExperiment(input);
  const source = o.resume ? join(o.resume.dir, FILES.meta) : (o.source ?? 'experiment');
  const entry = modelEntry(config.model);
  checkExperiment(config, source, entry.trainable);
  const log = o.log ?? (() => undefined);
  const threads = defaultThreads(config.threads);
  const hyper = resolveHyper(entry, config.hyper, source);

  // a session spec's refusals (model, split, metric) come before its file is read
  const kind = o.dataset ? o.dataset.kind : specKind(config.dataset, config.datasetOptions);
  if (kind === 'sessions' && !o.resume)
    evaluationProtocol(
      { kind, sources: [config.dataset], name: config.dataset },
      honestSplit(config.split, true),
      entry,
      config.metric,
      source,
    );
  o.onPhase?.('loading');
  const dataset = o.dataset ?? (await loadDataset(config.dataset, config.datasetOptions));
  // what the loader changed (duplicates merged, rows dropped, ids renumbered) is said, not hidden
  for (const note of dataset.notes ?? []) log(`note: ${note}`);
  o.onPhase?.('splitting');
  // A resumed run keeps the split it was trained on, whatever the defaults are now.
  const splitSpec: SplitSpec = o.resume
    ? savedSplit(config.split, Boolean(dataset.given))
    : honestSplit(config.split, Boolean(dataset.given));
  const split = splitDataset(dataset, splitSpec, config.seed);
  const protocol = evaluationProtocol(dataset, splitSpec, entry, config.metric, source);
  if (protocol.kind === 'next-item') log(`evaluation: ${protocol.description}`);
  const selectOn: SelectOn =
    o.resume && config.selectOn === undefined
      ? legacySelection(Boolean(split.valid))
      : resolveSelection(config, Boolean(split.valid), source, entry.trainable);

  const rng = new Rng(config.seed);
  const trainCsr = userItemCsr(split.train);
  const ctx: ModelContext = {
    train: split.train,
    trainCsr,
    trainCsrT: itemUserCsr(split.train),
    ...(dataset.social ? { social: dataset.social } : {}),
    ...(dataset.kg ? { kg: dataset.kg } : {}),
    rng: rng.fork(),
    threads,
    log,
  };
  o.onPhase?.('building');
  const model = await entry.create(ctx, hyper);
  const itemPopularity = idCounts(split.train.nItems, split.train.items);

  const env: RunEnvironment = {
    reclab: VERSION,
    node: process.version,
    platform: `${platform()}-${process.arch}`,
    cpus: cpus().length,
    host: hostname(),
    backend: model.backend ?? 'js',
    threads,
    gitCommit: gitCommit(o.workspace ?? process.cwd()),
  };
  const id = o.resume?.id ?? newRunId(config.model);
  const runsRoot = join(o.workspace ?? process.cwd(), RUNS_DIR);
  // a new run never takes the name of a run already in the workspace
  const name =
    o.resume || o.save === false ? config.name : uniqueRunName(config.name, runNames(runsRoot));
  if (name !== config.name) log(`a run named ${config.name} exists: this one is ${name}`);
  const resolvedConfig = { ...config, name, hyper, split: splitSpec, selectOn };
  const resumed = o.resume ? restoreLast(o.resume, model, selectOn, log) : undefined;
  if (!o.resume && config.initFrom) {
    try {
      const from = warmStart(findRun(runsRoot, config.initFrom), model, entry.name);
      log(`weights from run ${from.id} (epoch ${from.epoch}); the optimizer starts afresh`);
    } catch (e) {
      await model.dispose?.();
      throw e;
    }
  }
  const writer =
    o.save === false
      ? undefined
      : o.resume
        ? RunWriter.reopen(o.resume.dir, config.epochs, {
            epoch: resumed?.epoch ?? 0,
            bestEpoch: resumed?.best?.epoch,
          })
        : RunWriter.create(
            runsRoot,
            {
              id,
              name,
              model: entry.name,
              dataset: dataset.name,
              config: resolvedConfig,
              env,
              data: {
                users: split.train.nUsers,
                items: split.train.nItems,
                train: split.train.users.length,
                test: split.test.users.length,
                ...(split.valid ? { valid: split.valid.users.length } : {}),
                files: fingerprintSources(dataset.sources),
              },
              ...(o.sweep && { sweep: o.sweep }),
            },
            entry.trainable ? config.epochs : 0,
          );
  // a fresh id when the chosen one was taken
  const runId = writer?.meta.id ?? id;
  o.onStart?.({
    id: runId,
    dir: writer?.dir ?? '',
    epochs: entry.trainable ? config.epochs : 0,
    name,
    model: entry.name,
  });

  const userItemEval = async (target: 'valid' | 'test', perUser = false) => {
    const ranker = model.ranker(threads);
    try {
      const truth = target === 'valid' && split.valid ? split.valid : split.test;
      const r = await evaluate({
        ranker,
        train: trainCsr,
        test: userItemCsr(truth),
        exclude: exclusionFor(split, target),
        ks: config.ks,
        itemPopularity,
        perUser,
      });
      return { metrics: r.metrics, seconds: r.seconds, on: target, perUser: r.perUser };
    } finally {
      await ranker.dispose?.();
    }
  };

  const nextItemEval = async (target: 'valid' | 'test') => {
    if (protocol.kind !== 'next-item' || !isNextItemScorer(model))
      throw new Error(`${entry.name} is registered as a next-item model but has no scoreNext`);
    const on = target === 'valid' && split.valid ? 'valid' : 'test';
    const r = await evaluateSplitNextItem(model, split, on, config.ks, protocol.maxLength);
    return { metrics: r.metrics, seconds: r.seconds, on: target, perUser: undefined };
  };
  const evalOn = protocol.kind === 'next-item' ? nextItemEval : userItemEval;

  try {
    let history: EpochRecord[] = [];
    let bestEpoch: number | undefined;
    let stoppedEarly = false;
    let evalSeconds = 0;
    let selectedEpoch: number | undefined;
    if (isTrainable(model)) {
      o.onPhase?.('training');
      let bestState: Record<string, Float32Array> | undefined;
      const result = await trainLoop(model, {
        epochs: config.epochs,
        evalEvery: config.evalEvery,
        patience: config.patience,
        metric: config.metric,
        select: selectOn !== 'last',
        seed: config.seed,
        firstEpoch: resumed ? resumed.epoch + 1 : 1,
        best: resumed?.best,
        signal: o.signal,
        // with selectOn "last" on given files, evaluations on test only draw the curve
        evaluate: () => evalOn(selectOn === 'valid' ? 'valid' : 'test'),
        onBatch: o.onBatch,
        onEpoch: (r) => {
          evalSeconds += r.evalSeconds ?? 0;
          writer?.appendEpoch(r);
          // the last epoch's parameters and optimizer state: what --resume continues from
          const state = model.state?.();
          if (state) writer?.saveLast(state, r.epoch);
          o.onEpoch?.(r);
          log(
            `epoch ${r.epoch}: loss ${r.loss.toFixed(5)}${r.lr !== undefined ? `, lr ${r.lr.toPrecision(3)}` : ''} (${r.seconds.toFixed(1)} s)${r.metrics ? ` ${config.metric} ${r.metrics[config.metric]?.toFixed(4)} on ${r.evaluatedOn}` : ''}`,
          );
        },
        onBest: (r) => {
          const state = model.state?.();
          if (!state) return;
          // Kept in memory to restore before testing; on disk so an interrupted run keeps it.
          bestState = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.slice()]));
          writer?.saveCheckpoint(bestState, r.epoch);
        },
      });
      history = [...(resumed?.history ?? []), ...result.history];
      bestEpoch = result.bestEpoch;
      stoppedEarly = result.stoppedEarly;
      // The selected epoch's weights are the ones tested (the last epoch's unless selecting).
      const lastEpoch = history.at(-1)?.epoch;
      selectedEpoch = lastEpoch;
      if (selectOn !== 'last' && model.load && bestEpoch !== undefined && bestEpoch !== lastEpoch) {
        const best =
          bestState ?? (writer ? readCheckpoint(join(writer.dir, FILES.checkpoint)) : undefined);
        if (best) {
          log(
            `restoring the best epoch (${bestEpoch}) by ${config.metric} on ${selectOn === 'valid' ? 'validation' : 'test (selected on test)'}`,
          );
          model.load(best);
          selectedEpoch = bestEpoch;
        }
      }
    }
    const shown = model.report?.();
    if (shown) {
      for (const line of shown.lines) log(line);
      writer?.saveReport(shown.name, shown.data);
    }
    o.onPhase?.('testing');
    // per user too: what a paired significance test between two runs needs
    const test = await evalOn('test', writer !== undefined);
    evalSeconds += test.seconds;
    // a pipeline also says what each stage gains and costs
    const stages =
      model instanceof TwoStage
        ? await evaluateStages(model, {
            test: userItemCsr(split.test),
            exclude: exclusionFor(split, 'test'),
            ks: config.ks,
            threads,
          })
        : undefined;
    if (stages) log(describeStages(stages));
    o.onPhase?.('saving');
    if (test.perUser && perUserFits(test.perUser))
      writer?.savePerUser(test.perUser, {
        epoch: selectedEpoch,
        testHash: testSetHash(userItemCsr(split.test)),
      });
    const embeddings = model.embeddings?.();
    if (embeddings) writer?.saveEmbeddings(embeddings);
    const seconds = (performance.now() - t0) / 1000;
    const summary: RunSummary = {
      metrics: test.metrics,
      bestEpoch,
      selectOn,
      ...(selectedEpoch !== undefined && { selectedEpoch }),
      epochsRun: history.at(-1)?.epoch ?? 0,
      stoppedEarly,
      seconds,
      trainSeconds: history.reduce((s, r) => s + r.seconds, 0),
      evalSeconds,
      ...(stages && { stages }),
    };
    writer?.finish(summary);
    return { id: runId, dir: writer?.dir, config: resolvedConfig, summary, history, model };
  } catch (e) {
    writer?.fail(e instanceof CancelledError ? 'cancelled' : 'failed', errorMessage(e));
    throw e;
  } finally {
    await model.dispose?.();
  }
}

/** The saved config of a run being resumed, with a raised epoch count when one is given. */
function resumedConfig(run: RunRecord, input: ExperimentConfig): ResolvedExperiment {
  if (!run.meta)
    throw new InputError({ file: join(run.dir, FILES.meta) }, 'a readable run.json to resume');
  const saved = resolveExperiment(run.meta.config as unknown as ExperimentConfig);
  return { ...saved, epochs: Math.max(saved.epochs, input.epochs ?? 0) };
}

function readCheckpoint(file: string): Record<string, Float32Array> | undefined {
  return readCheckpointFile(file)?.state;
}

/** A checkpoint's arrays and the epoch in its header, from one read of the file. */
function readCheckpointFile(
  file: string,
): { state: Record<string, Float32Array>; epoch: number } | undefined {
  if (!existsSync(file)) return undefined;
  const { arrays, meta } = readArraysFile(file);
  const state = Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, a.data]));
  return { state, epoch: Number(meta.epoch) };
}

/**
 * Loads the weights of another run's last epoch into a fresh model of the same kind: the
 * optimizer's entries (adam.*) are left out, so Adam starts from zero moments.
 */
function warmStart(run: RunRecord, model: Recommender, modelName: string) {
  const file = join(run.dir, FILES.last);
  const last = readCheckpointFile(file);
  if (!last || !model.load)
    throw new InputError({ file }, 'a last-epoch checkpoint to take the weights from');
  if (run.meta?.model !== modelName)
    throw new InputError(
      { file: join(run.dir, FILES.meta), text: run.meta?.model ?? '?' },
      `a ${modelName} run to take the weights from`,
    );
  const weights = Object.fromEntries(
    Object.entries(last.state).filter(([k]) => !k.startsWith('adam')),
  );
  // the same shapes: another dataset (or dim) would otherwise be copied in partly
  const own = model.state?.() ?? {};
  for (const [k, a] of Object.entries(weights)) {
    if (own[k] && own[k].length !== a.length)
      throw new InputError(
        { file, text: `${k}: ${a.length} values` },
        `${own[k].length} values, as this model's ${k} (same dataset and dim)`,
      );
  }
  model.load(weights);
  return { id: run.id, epoch: last.epoch };
}

/**
 * Loads a run's last checkpoint into the model; returns where it stopped and the history its
 * checkpoint holds. A run stopped before its first checkpoint starts again from epoch 1.
 */
function restoreLast(
  run: RunRecord,
  model: Recommender,
  selectOn: SelectOn,
  log: (message: string) => void,
) {
  const file = join(run.dir, FILES.last);
  const last = readCheckpointFile(file);
  // Without last.bin only a run killed before its first epoch's save starts over: epoch 1's
  // line may be written then, no later one (they follow that save).
  if (!model.load || (!last && run.history.some((r) => r.epoch > 1)))
    throw new InputError(
      { file },
      'a last-epoch checkpoint to resume from (runs save one after each epoch)',
    );
  if (last) model.load(last.state);
  else log('no epoch had finished before the run stopped: training it from epoch 1');
  const epoch = last?.epoch ?? 0;
  const history = resumableHistory(run.dir, epoch);
  let best: { epoch: number; metrics: Record<string, number> } | undefined;
  const metric = resolveExperiment(run.meta?.config as unknown as ExperimentConfig).metric;
  // without selection the evaluations only drew the curve: there is no best epoch to carry on
  for (const r of selectOn === 'last' ? [] : history) {
    if (
      r.metrics &&
      (best === undefined || (r.metrics[metric] ?? -Infinity) > (best.metrics[metric] ?? -Infinity))
    ) {
      best = { epoch: r.epoch, metrics: r.metrics };
    }
  }
  return { epoch, history, best };
}

export { readRun };
