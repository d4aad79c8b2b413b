/**
 * `reclab`: the command line. Parses arguments (commander) and prints; all the work is done
 * by the library. Human-readable tables by default; with --json the last stdout line is one
 * JSON object. Errors are one line on stderr and a non-zero exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { join, resolve } from 'node:path';
import { describe, formatDescription, loadDataset } from '../data/index.js';
import { idCounts, userItemCsr } from '../data/csr.js';
import { Rng } from '../util/rng.js';
import { evaluate } from '../eval/index.js';
import { DEFAULT_MAX_EDGES, graphStructure } from '../graph/structure.js';
import { MODELS, modelEntry, resolveHyper } from '../models/registry.js';
import type { Hyperparameters } from '../models/types.js';
import {
  EXPERIMENT_DEFAULTS as D,
  parseExperiment,
  readExperimentFile,
  type ExperimentConfig,
  SELECT_ON,
  type SelectOn,
  type SplitSpec,
} from '../runs/experiment.js';
import { RUNS_DIR, type RunRecord, type RunSummary, type SweepTag } from '../runs/format.js';
import { restoreRun, unfinishedNote } from '../runs/restore.js';
import { explainRecommendations } from '../runs/explainRecommendations.js';
import { reevaluateNextItem } from '../runs/sessionView.js';
import { runExperiment, type ExperimentResult } from '../runs/runExperiment.js';
import { HEADLINE_METRIC, headlineValue } from '../runs/headline.js';
import { describeSelection, selectionLabel } from '../runs/selection.js';
import { findRun, listRuns } from '../runs/store.js';
import { errorMessage, InputError, RecLabError } from '../util/errors.js';
import { VERSION } from '../version.js';
import { addDatasetFlags, datasetOptionsFromFlags, type DatasetFlags } from './datasetFlags.js';
import { registerCompareCommand } from './compareCommand.js';
import { explainLines } from './explainOutput.js';
import { registerDownloadCommand } from './downloadCommand.js';
import { registerSweepCommand } from './sweepCommand.js';
import { registerTagCommand } from './tagCommand.js';
import { registerModelsCommand, trainHelpAfter } from './modelsCommand.js';
import { fmtMetric, fmtSeconds, formatTable, ProgressLine, sortMetricKeys } from './format.js';

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

function runsRoot(workspace: string | undefined): string {
  return join(resolve(workspace ?? process.cwd()), RUNS_DIR);
}

function parseKs(s: string): number[] {
  const ks = s.split(',').map((x) => Number(x.trim()));
  if (ks.some((k) => !Number.isInteger(k) || k < 1))
    throw new InputError(
      { file: '--ks', text: s },
      'a comma-separated list of positive integers, e.g. 10,20',
    );
  return ks;
}

/**
 * `reclab eval`: a saved run's test metrics again, by the protocol it was tested with: a
 * next-item run (sessions, or gru4rec's sequential leave-one-out) by next-item ranking, any
 * other by user-item full ranking; `facts` say what was scored.
 */
async function evaluateSaved(
  run: RunRecord,
  ks: number[],
  threads: number,
  io: Io,
): Promise<{ metrics: Record<string, number>; facts: Record<string, unknown> }> {
  const next = await reevaluateNextItem(run, ks, threads);
  if (next) {
    const { metrics, from, cases, seconds } = next;
    return { metrics, facts: { from, cases, seconds } };
  }
  const restored = await restoreRun(run, threads);
  const note = unfinishedNote(run, restored.from);
  if (note) io.out(note);
  const train = restored.split.train;
  const r = await evaluate({
    ranker: restored.ranker,
    train: restored.trainCsr,
    test: userItemCsr(restored.split.test),
    exclude: restored.exclude,
    ks,
    itemPopularity: idCounts(train.nItems, train.items),
  });
  await restored.ranker.dispose?.();
  const { file: from, epoch } = restored.from;
  return { metrics: r.metrics, facts: { from, epoch, users: r.users, seconds: r.seconds } };
}

/** How `train --help` shows a default (commander's own style, which needs no parsed default). */
const shown = (v: string | number) => `(default: ${v})`;
const MODEL_DEFAULT = '(default: model default, see `reclab models <name>`)';

function parseNumber(name: string, integer: boolean) {
  return (s: string): number => {
    const v = Number(s);
    if (!Number.isFinite(v) || (integer && !Number.isInteger(v)))
      throw new InputError({ file: name, text: s }, integer ? 'an integer' : 'a number');
    return v;
  };
}

export const SPLIT_FORMS =
  'given | ratio:0.8,0.1,0.1 | loo | loo:random | temporal:0.8,0.1,0.1 | temporal-user:0.8,0.1,0.1 (two ratios, train,test, carve validation from train)';

/** Parses `--split`: one of SPLIT_FORMS exactly; anything else names the accepted forms. */
export function parseSplit(s: string): SplitSpec {
  const parts = s.trim().split(':');
  const [type, arg] = parts;
  const refuse = (why: string) =>
    new InputError({ file: '--split', text: s }, `${why}: ${SPLIT_FORMS}`);
  if (parts.length > 2) throw refuse('one "type:argument"');
  const ratios = (): number[] => {
    const r = (arg ?? '').split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
    if (r.length < 2 || r.length > 3 || r.some((x) => !(x > 0 && x < 1)))
      throw refuse('2 or 3 ratios between 0 and 1 (train,test or train,valid,test)');
    const sum = r.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9)
      throw refuse(`ratios summing to 1 (these sum to ${+sum.toFixed(6)})`);
    return r;
  };
  switch (type) {
    case 'given':
      if (arg !== undefined) throw refuse('"given" without an argument');
      return { type: 'given' };
    case 'ratio':
      return { type: 'ratio', ratios: ratios() };
    case 'loo':
      if (arg !== undefined && arg !== 'time' && arg !== 'random')
        throw refuse('loo, loo:time (last by time, the default) or loo:random');
      return { type: 'loo', order: arg === 'random' ? 'random' : 'time' };
    case 'temporal':
      return { type: 'temporal', ratios: ratios() };
    case 'temporal-user':
      return { type: 'temporal', ratios: ratios(), perUser: true };
    default:
      throw refuse('a split type');
  }
}

function parseSelectOn(s: string): SelectOn {
  if (!(SELECT_ON as readonly string[]).includes(s))
    throw new InputError(
      { file: '--select-on', text: s },
      'valid (best epoch on validation), last (the last epoch) or test (best epoch on test, labelled so)',
    );
  return s as SelectOn;
}

interface TrainFlags extends DatasetFlags {
  dataset?: string;
  train?: string;
  test?: string;
  valid?: string;
  format?: string;
  model?: string;
  epochs?: number;
  dim?: number;
  lr?: number;
  reg?: number;
  batchSize?: number;
  layers?: number;
  seed?: number;
  threads?: number;
  evalEvery?: number;
  patience?: number;
  metric?: string;
  ks?: number[];
  split?: SplitSpec;
  selectOn?: SelectOn;
  hyper?: string[];
  name?: string;
  initFrom?: string;
  json?: boolean;
  save: boolean;
  workspace?: string;
  resume?: string;
}

/** Given train/test files become a dataset spec that takes precedence over any split. */
function datasetFromFlags(f: TrainFlags): string | undefined {
  if (f.train) {
    const files = [f.train, f.test, f.valid]
      .filter((x): x is string => Boolean(x))
      .map((p) => resolve(p));
    return `${f.format ?? 'auto'}:${files.join(',')}`;
  }
  return f.dataset;
}

export function experimentFromFlags(file: string | undefined, f: TrainFlags): ExperimentConfig {
  const base: Partial<ExperimentConfig> = file ? readExperimentFile(file) : {};
  const hyper: Hyperparameters = { ...(base.hyper ?? {}) };
  // which flag set each hyperparameter, so a bad value names it (--dim, --hyper)
  const flagOf = new Map<string, string>();
  const put = (k: string, v: number | undefined) => {
    if (v !== undefined) hyper[k] = v;
    if (v !== undefined) flagOf.set(k, `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  };
  put('dim', f.dim);
  put('lr', f.lr);
  put('reg', f.reg);
  put('batchSize', f.batchSize);
  put('layers', f.layers);
  for (const kv of f.hyper ?? []) {
    const m = /^([A-Za-z_][\w]*)=(.*)$/.exec(kv);
    if (!m) throw new InputError({ file: '--hyper', text: kv }, 'name=value');
    const raw = m[2];
    flagOf.set(m[1], '--hyper');
    hyper[m[1]] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : Number.isFinite(Number(raw)) && raw !== ''
            ? Number(raw)
            : raw;
  }
  const dataset = datasetFromFlags(f) ?? base.dataset;
  const model = f.model ?? base.model;
  const fromFlags = datasetOptionsFromFlags(f);
  const datasetOptions =
    fromFlags || base.datasetOptions
      ? {
          ...base.datasetOptions,
          ...fromFlags,
          ...((fromFlags?.columns || base.datasetOptions?.columns) && {
            columns: { ...base.datasetOptions?.columns, ...fromFlags?.columns },
          }),
        }
      : undefined;
  const config: Record<string, unknown> = {
    ...base,
    dataset,
    ...(datasetOptions && { datasetOptions }),
    model,
    hyper,
    ...(f.name !== undefined && { name: f.name }),
    ...(f.initFrom !== undefined && { initFrom: f.initFrom }),
    ...(f.epochs !== undefined && { epochs: f.epochs }),
    ...(f.seed !== undefined && { seed: f.seed }),
    ...(f.threads !== undefined && { threads: f.threads }),
    ...(f.evalEvery !== undefined && { evalEvery: f.evalEvery }),
    ...(f.patience !== undefined && { patience: f.patience }),
    ...(f.metric !== undefined && { metric: f.metric }),
    ...(f.ks !== undefined && { ks: f.ks }),
    ...(f.split !== undefined && { split: f.split }),
    ...(f.selectOn !== undefined && { selectOn: f.selectOn }),
  };
  if (f.train) {
    // the files are the split: a --split beside them would be ignored, so it is refused
    if (f.split !== undefined && f.split.type !== 'given')
      throw new InputError(
        { file: '--split', text: f.split.type },
        'no --split with --train/--test: the files are the split (drop --split, or use --dataset with a split)',
      );
    config.split = { type: 'given' };
  }
  if (!dataset)
    throw new InputError(
      { file: file ?? 'command line' },
      'a dataset: --dataset <spec>, --train <file> or an experiment file',
    );
  if (!model)
    throw new InputError(
      { file: file ?? 'command line' },
      `a model: --model <${[...MODELS.keys()].join('|')}>`,
    );
  // an unknown model gets the list of models, a bad value its range and flag, not a schema message
  resolveHyper(modelEntry(model), hyper, (k) => flagOf.get(k) ?? file ?? 'command line');
  return parseExperiment(config, file ?? 'command line');
}

interface TableRow {
  label: string;
  model: string;
  metrics: Record<string, number>;
  seconds?: number;
  epochs?: number | string;
  /** false: not a final test result (a run that did not finish), so never marked best */
  final?: boolean;
}

function metricsTable(rows: TableRow[]): string {
  // the headline metrics only; --json and the comparison panel carry all of them
  const all = sortMetricKeys([...new Set(rows.flatMap((r) => Object.keys(r.metrics)))]);
  const maxK = Math.max(...all.map((k) => Number(k.split('@')[1] ?? 0)));
  const keys = all.filter(
    (k) => /^(recall|ndcg)@/.test(k) || new RegExp(`^(hit|coverage)@${maxK}$`).test(k),
  );
  const best = new Map(
    keys.map((k) => [
      k,
      Math.max(...rows.map((r) => (r.final === false ? -Infinity : (r.metrics[k] ?? -Infinity)))),
    ]),
  );
  const header = ['run', 'model', 'epochs', 'time', ...keys];
  const body = rows.map((r) => [
    r.label,
    r.model,
    r.epochs ?? '-',
    r.seconds !== undefined ? fmtSeconds(r.seconds) : '-',
    ...keys.map((k) => {
      const v = r.metrics[k];
      // '*' marks the best run per column, as the comparison panel does
      const isBest = rows.length > 1 && r.final !== false && v !== undefined && v === best.get(k);
      return `${fmtMetric(v)}${isBest ? '*' : ' '}`;
    }),
  ]);
  return formatTable(
    header,
    body,
    header.map((_, i) => (i < 2 ? 'l' : 'r')),
  );
}

function flatMetrics(r: ExperimentResult): Record<string, unknown> {
  return {
    run: r.id,
    dir: r.dir,
    model: r.config.model,
    dataset: r.config.dataset,
    epochs: r.summary.epochsRun,
    bestEpoch: r.summary.bestEpoch,
    selectOn: r.summary.selectOn,
    selectedEpoch: r.summary.selectedEpoch,
    seconds: Math.round(r.summary.seconds * 100) / 100,
    trainSeconds: Math.round(r.summary.trainSeconds * 100) / 100,
    evalSeconds: Math.round(r.summary.evalSeconds * 100) / 100,
    ...r.summary.metrics,
  };
}

async function trainOne(
  config: ExperimentConfig,
  flags: { json?: boolean; save: boolean; workspace?: string; source?: string },
  io: Io,
  dataset?: Awaited<ReturnType<typeof loadDataset>>,
  resume?: RunRecord,
  sweep?: SweepTag,
): Promise<ExperimentResult> {
  const progress = new ProgressLine({ rate: (r) => `${r.toPrecision(3)} batches/s` });
  let label = config.model;
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    return await runExperiment(config, {
      workspace: flags.workspace,
      save: flags.save,
      source: flags.source,
      signal: ac.signal,
      dataset,
      resume,
      sweep,
      log: (m) => {
        progress.clear();
        io.err(`[${label}] ${m}`);
      },
      onStart: (s) => {
        label = s.name;
        if (s.dir) io.err(`[${label}] run ${s.id} -> ${s.dir}`);
      },
      onBatch: (p) =>
        progress.update(
          `[${label}] epoch ${p.epoch}/${p.epochs}`,
          p.batch,
          p.batches,
          (d, t) => `${d}/${t} batches`,
        ),
    });
  } finally {
    progress.clear();
    process.removeListener('SIGINT', onSigint);
  }
}

function printRunResult(r: ExperimentResult, json: boolean | undefined, io: Io): void {
  const trained =
    r.summary.epochsRun > 0 ? `; test metrics at ${describeSelection(r.summary)}` : '';
  io.out(
    `${r.config.name} (${r.config.model}) on ${r.config.dataset}: ${r.summary.epochsRun} epochs, ${fmtSeconds(r.summary.seconds)}${trained}`,
  );
  io.out(metricsTable([resultRow(r)]));
  if (r.dir) io.out(`saved: ${r.dir}`);
  if (json) io.out(JSON.stringify(flatMetrics(r)));
}

/** "30 (best 25)": the epochs trained and the one whose parameters were tested. */
/** Epochs run, and the epoch the reported metrics come from when it is another. */
function epochsText(s: RunSummary): string {
  const at = s.selectOn === undefined ? s.bestEpoch : s.selectedEpoch;
  if (at === undefined || s.selectOn === 'last') return `${s.epochsRun}`;
  return `${s.epochsRun} (best ${at}${s.selectOn === 'test' ? ' on test' : ''})`;
}

/** A run's label, marked wherever its numbers were selected on test. */
function labelled(name: string, s: RunSummary | undefined): string {
  const mark = selectionLabel(s);
  return mark ? `${name} ${mark}` : name;
}

function resultRow(r: ExperimentResult): TableRow {
  return {
    label: labelled(r.config.name, r.summary),
    model: r.config.model,
    metrics: r.summary.metrics,
    seconds: r.summary.seconds,
    epochs: epochsText(r.summary),
  };
}

export function buildProgram(io: Io = defaultIo): Command {
  const program = new Command('reclab')
    .description('Train, evaluate and compare graph recommender models.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError(false);
  const workspaceOpt = () =>
    new Option(
      '-w, --workspace <dir>',
      'folder whose .reclab/runs holds the runs (default: current folder)',
    );

  const inspect = program
    .command('inspect')
    .description('Describe a dataset: sizes, density, degree distributions, split sizes')
    .argument(
      '<dataset>',
      'dataset spec: demo, lightgcn:<dir> (train.txt + test.txt; gowalla: is an alias), movielens:<file>, recbole:<file.inter>, lastfm-kg:<dir>, lastfm-social:<dir>, sessions:<file> (a session log: next-item protocol), csv:<file>, or a path',
    )
    .option('--json', 'print one JSON object as the last line')
    .option(
      '--graph',
      `also measure the user-item graph: connected components, Louvain communities and modularity (graphology; a seeded sample of users above ${DEFAULT_MAX_EDGES.toLocaleString('en-US')} edges)`,
    );
  addDatasetFlags(inspect).action(
    async (spec: string, o: { json?: boolean; graph?: boolean } & DatasetFlags) => {
      const ds = await loadDataset(spec, datasetOptionsFromFlags(o));
      const rng = new Rng(1);
      const structure = o.graph
        ? graphStructure(userItemCsr(ds.interactions), { rng: () => rng.next() })
        : undefined;
      const d = describe(ds, ds.given, structure);
      io.out(formatDescription(d));
      if (o.json) io.out(JSON.stringify(d));
    },
  );

  const train = program
    .command('train')
    .description(
      'Train a model from an experiment file (*.reclab.json) and/or flags; flags override the file',
    )
    .argument('[experiment]', 'experiment file')
    .option('-d, --dataset <spec>', 'dataset spec (see `reclab inspect --help`)')
    .option(
      '--train <file>',
      'training file; with --test, a given split that takes precedence over any split',
    )
    .option('--test <file>', 'test file')
    .option('--valid <file>', 'validation file')
    .option(
      '--format <format>',
      'format of --train/--test: lightgcn, csv, movielens, recbole, auto (default: auto)',
      undefined,
    )
    .option('-m, --model <name>', `model: ${[...MODELS.keys()].join(', ')}`)
    .option('-e, --epochs <n>', `epochs ${shown(D.epochs)}`, parseNumber('--epochs', true))
    .option('--dim <n>', `embedding size ${MODEL_DEFAULT}`, parseNumber('--dim', true))
    .option('--lr <x>', `learning rate ${MODEL_DEFAULT}`, parseNumber('--lr', false))
    .option('--reg <x>', `L2 regularisation weight ${MODEL_DEFAULT}`, parseNumber('--reg', false))
    .option(
      '--batch-size <n>',
      `mini-batch size ${MODEL_DEFAULT}`,
      parseNumber('--batch-size', true),
    )
    .option(
      '--layers <n>',
      `propagation layers (graph models) ${MODEL_DEFAULT}`,
      parseNumber('--layers', true),
    )
    .option('--hyper <name=value...>', `any other model hyperparameter ${MODEL_DEFAULT}`)
    .option('-s, --seed <n>', `random seed ${shown(D.seed)}`, parseNumber('--seed', true))
    .option(
      '-t, --threads <n>',
      `worker threads, 0: one per core ${shown(D.threads)}`,
      parseNumber('--threads', true),
    )
    .option(
      '--eval-every <n>',
      `evaluate every N epochs ${shown(D.evalEvery)}`,
      parseNumber('--eval-every', true),
    )
    .option(
      '--patience <n>',
      `evaluations without improvement before stopping, 0: never ${shown(D.patience)}`,
      parseNumber('--patience', true),
    )
    .option('--metric <name>', `metric choosing the best epoch ${shown(D.metric)}`)
    .option('--ks <list>', `cut-offs ${shown(D.ks.join(','))}`, parseKs)
    .option(
      '--split <spec>',
      `${SPLIT_FORMS} (default: the dataset's own files when it has them, else ratio:0.8,0.1,0.1)`,
      parseSplit,
    )
    .option(
      '--select-on <where>',
      'valid: best epoch on validation; last: the last epoch; test: best test epoch, labelled "(selected on test)" (default: valid when the split has a validation part, else last)',
      parseSelectOn,
    )
    .option('--name <label>', 'run label (default: <model>-<dataset>)')
    .option(
      '--init-from <run>',
      "start from another run's last-epoch weights (same model and data; fresh optimizer)",
    )
    .option(
      '--resume <run>',
      "continue a run from its last epoch's checkpoint (with --epochs, up to that many epochs)",
    )
    .option('--no-save', 'do not write a run folder')
    .option('--json', 'print one JSON object as the last line')
    .addOption(workspaceOpt())
    .addHelpText('after', trainHelpAfter);
  addDatasetFlags(train).action(async (file: string | undefined, f: TrainFlags) => {
    if (f.resume) {
      const run = findRun(runsRoot(f.workspace), f.resume);
      const saved = parseExperiment(run.meta?.config ?? {}, `${run.dir}/run.json`);
      const r = await trainOne(
        { ...saved, ...(f.epochs !== undefined && { epochs: f.epochs }) },
        f,
        io,
        undefined,
        run,
      );
      printRunResult(r, f.json, io);
      return;
    }
    const config = experimentFromFlags(file, f);
    const r = await trainOne(config, { ...f, source: file ?? 'command line' }, io);
    printRunResult(r, f.json, io);
  });

  program
    .command('eval')
    .description('Evaluate a saved run again on its test split')
    .argument('<run>', 'run id, id prefix, name or folder')
    .option('--ks <list>', 'cut-offs, e.g. 10,20,50', parseKs)
    .option('-t, --threads <n>', 'worker threads', parseNumber('--threads', true))
    .option('--json', 'print one JSON object as the last line')
    .addOption(workspaceOpt())
    .action(
      async (
        ref: string,
        o: { ks?: number[]; threads?: number; json?: boolean; workspace?: string },
      ) => {
        const run = findRun(runsRoot(o.workspace), ref);
        const ks = o.ks ?? (run.meta?.config.ks as number[] | undefined) ?? [10, 20];
        const r = await evaluateSaved(run, ks, o.threads ?? 1, io);
        io.out(
          metricsTable([
            { label: run.meta?.name ?? run.id, model: run.meta?.model ?? '?', metrics: r.metrics },
          ]),
        );
        if (o.json)
          io.out(
            JSON.stringify({
              run: run.id,
              model: run.meta?.model,
              status: run.state.status,
              ...r.facts,
              ...r.metrics,
            }),
          );
      },
    );

  registerCompareCommand(program, io, runsRoot, workspaceOpt);
  registerTagCommand(program, io, runsRoot, workspaceOpt);
  registerSweepCommand(program, io, {
    runsRoot,
    workspaceOption: workspaceOpt,
    train: (config, o) => trainOne(config, { save: true, ...o }, io, o.dataset, o.resume, o.sweep),
  });

  program
    .command('list')
    .description('List saved runs')
    .option('--json', 'print one JSON object as the last line')
    .addOption(workspaceOpt())
    .action((o: { json?: boolean; workspace?: string }) => {
      const runs = listRuns(runsRoot(o.workspace));
      io.out(
        formatTable(
          ['id', 'name', 'model', 'dataset', 'status', 'epoch', HEADLINE_METRIC],
          runs.map((r) => [
            r.id,
            r.meta?.name ?? '?',
            r.meta?.model ?? '?',
            r.meta?.dataset ?? '?',
            r.state.status,
            r.state.epochs > 0 ? `${r.state.epoch}/${r.state.epochs}` : '-',
            // a run that stopped early shows its last evaluation
            fmtMetric(headlineValue(r)),
          ]),
          ['l', 'l', 'l', 'l', 'l', 'r', 'r'],
        ),
      );
      if (o.json)
        io.out(
          JSON.stringify({
            runs: runs.map((r) => ({
              id: r.id,
              name: r.meta?.name,
              model: r.meta?.model,
              status: r.state.status,
              epoch: r.state.epoch,
              epochs: r.state.epochs,
              [HEADLINE_METRIC]: headlineValue(r),
            })),
          }),
        );
    });

  program
    .command('recommend')
    .description("Top-K items for a user from a saved run (the user's training items excluded)")
    .argument('<run>', 'run id, id prefix, name or folder')
    .requiredOption('-u, --user <id>', 'user id as in the dataset file')
    .option('-k, --k <n>', 'how many items', parseNumber('-k', true), 20)
    .option('--json', 'print one JSON object as the last line')
    .option(
      '--explain',
      "why each item: the user's items that carry most of its random-walk paths, and the top paths",
    )
    .addOption(workspaceOpt())
    .action(
      async (
        ref: string,
        o: { user: string; k: number; json?: boolean; explain?: boolean; workspace?: string },
      ) => {
        const run = findRun(runsRoot(o.workspace), ref);
        const restored = await restoreRun(run, 1);
        const note = unfinishedNote(run, restored.from);
        if (note) io.out(note);
        const u = restored.dataset.userIds.index.get(o.user);
        if (u === undefined)
          throw new InputError(
            { file: restored.dataset.sources[0] ?? 'dataset', text: o.user },
            'a user id present in the dataset',
          );
        const top = await restored.ranker.topK(Int32Array.of(u), o.k, restored.exclude);
        await restored.ranker.dispose?.();
        const test = new Set<number>();
        const t = restored.split.test;
        for (let k = 0; k < t.users.length; k++) if (t.users[k] === u) test.add(t.items[k]);
        const items = [...top].filter((i) => i >= 0);
        const ids = restored.dataset.itemIds.ids;
        io.out(
          `top ${o.k} for user ${o.user} (${run.meta?.name ?? run.id}); * = in the user's test set`,
        );
        io.out(
          formatTable(
            ['rank', 'item', 'test hit'],
            items.map((i, r) => [r + 1, ids[i], test.has(i) ? '*' : '']),
            ['r', 'l', 'l'],
          ),
        );
        const explained = o.explain
          ? explainRecommendations(restored.trainCsr, restored.dataset, u, items)
          : undefined;
        if (explained) for (const line of explainLines(explained)) io.out(line);
        if (o.json)
          io.out(
            JSON.stringify({
              run: run.id,
              from: restored.from.file,
              epoch: restored.from.epoch,
              user: o.user,
              items: items.map((i) => ids[i]),
              hits: items.filter((i) => test.has(i)).map((i) => ids[i]),
              ...(explained ? { explain: explained } : {}),
            }),
          );
      },
    );

  program
    .command('demo')
    .description(
      'Train popularity and the learned models on the embedded demo dataset and compare them',
    )
    .option('-e, --epochs <n>', 'epochs per learned model', parseNumber('--epochs', true), 30)
    .option('--models <list>', 'models to train', (s: string) => s.split(','), undefined)
    .option('--no-save', 'do not write run folders')
    .option('--json', 'print one JSON object as the last line')
    .addOption(workspaceOpt())
    .action(
      async (o: {
        epochs: number;
        models?: string[];
        save: boolean;
        json?: boolean;
        workspace?: string;
      }) => {
        const models = o.models ?? [
          'popularity',
          'mf',
          ...(MODELS.has('lightgcn') ? ['lightgcn'] : []),
        ];
        const dataset = await loadDataset('demo');
        const d = describe(dataset);
        io.out(
          `demo dataset: ${d.users} users, ${d.items} items, ${d.interactions} interactions (synthetic, seeded)`,
        );
        const results: ExperimentResult[] = [];
        for (const model of models) {
          const trainable = MODELS.get(model)?.trainable ?? true;
          const config = parseExperiment(
            {
              dataset: 'demo',
              model,
              name: `demo-${model}`,
              // the demo graph is small: a larger step than the papers' 1e-3 converges in seconds
              ...(trainable ? { epochs: o.epochs, evalEvery: 5, hyper: { lr: 0.005 } } : {}),
            },
            'demo',
          );
          results.push(await trainOne(config, o, io, dataset));
        }
        io.out('');
        io.out(metricsTable(results.map(resultRow)));
        const dir = results.find((r) => r.dir)?.dir;
        if (dir) io.out(`runs saved under ${resolve(dir, '..')}`);
        if (o.json) io.out(JSON.stringify({ runs: results.map(flatMetrics) }));
      },
    );

  registerDownloadCommand(program, io);
  registerModelsCommand(program, io);

  return program;
}

/** Entry point used by bin/reclab.js; returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof RecLabError) io.err(`reclab: ${e.message}`);
    else io.err(`reclab: ${errorMessage(e)}`);
    return 1;
  }
}
