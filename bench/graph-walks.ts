/**
 * The walk recommenders beside popularity and item-kNN, and the walk machinery's speed.
 *
 *   npm run bench -- graph-walks [--dataset ml-100k|gowalla]
 *     [--models popularity,itemknn,ppr,p3alpha,rp3beta,itemgraph,deepwalk,node2vec,mf,lightgcn]
 *     [--seed 2020]
 *     [--epochs 5] [--hyper name=value,...] [--threads 1] [--walks 1] [--walk-threads 1]
 *     [--ppr-users 200]
 *
 * ml-100k: recbole:../shared/datasets/ml-100k/ml-100k.inter with RecLab's default split (random
 * per user 80/10/10, seeded; test ranked with train and validation excluded). gowalla: its given
 * train.txt / test.txt. Every model is built from its own file with its defaults (nothing tuned
 * here) and evaluated by the library's evaluate() at K = 20. The learning ones (DeepWalk,
 * node2vec, MF, LightGCN) train for --epochs passes first, with the shared trainer (fit seconds
 * include them, and the seconds per epoch are reported); --hyper overrides hyperparameters for
 * exploring, each name going only to the models that declare it (a name none declares is refused).
 * --threads is the models' thread count (DeepWalk and node2vec: their walks, and their SGD with
 * --hyper hogwild=true); a model with a report (DeepWalk, node2vec: walk and SGD seconds, nodes
 * per second per thread) prints it and adds it to its figures.
 *
 * Then, on the training user-item graph: node2vec walks, 10 of length 80 from every node, at
 * p = q = 1 and at p = 0.25, q = 4 (all of them, on --walk-threads threads: the same walks for
 * any count), and the push PPR of --ppr-users users drawn at random (milliseconds each).
 * The last line is one JSON object: {"models": {...}, "walks": {...}, "ppr": {...}, ...}.
 */
import { idCounts } from '../src/data/csr.js';
import { Rng } from '../src/util/rng.js';
import { evaluate } from '../src/eval/index.js';
import { bipartiteGraph, type BipartiteGraph } from '../src/graph/bipartite.js';
import { parallelWalks } from '../src/engine/parallelWalks.js';
import { Ppr, PPR_DEFAULTS } from '../src/models/ppr.js';
import { modelEntry, resolveHyper, type ModelEntry } from '../src/models/registry.js';
import { isTrainable, type Hyperparameters } from '../src/models/types.js';
import { trainLoop } from '../src/train/trainer.js';
import { benchArgs, loadBenchData, parseHyper, report, seconds } from './common.js';

type Hyper = ReturnType<typeof parseHyper>;

/** The table's models, each built from the registry with its own defaults. */
const MODEL_NAMES = [
  'popularity',
  'itemknn',
  'ppr',
  'p3alpha',
  'rp3beta',
  'itemgraph',
  'deepwalk',
  'node2vec',
  'mf',
  'lightgcn',
];

/** The --hyper values this model declares: one --hyper line can tune several models at once. */
function hyperFor(entry: ModelEntry, hyper: Hyper): Hyperparameters {
  const own = Object.entries(hyper).filter(([k]) => Object.hasOwn(entry.hyper, k));
  return resolveHyper(entry, Object.fromEntries(own), '--hyper');
}

/** A --hyper name that none of the chosen models declares is a typo, not a silent no-op. */
function checkHyperNames(hyper: Hyper, entries: readonly ModelEntry[]): void {
  for (const k of Object.keys(hyper))
    if (!entries.some((e) => Object.hasOwn(e.hyper, k)))
      throw new Error(
        `--hyper: ${k} is a hyperparameter of none of ${entries.map((e) => e.name).join(', ')}`,
      );
}

interface ModelFigures {
  'recall@20': number;
  'ndcg@20': number;
  fitSeconds: number;
  evalSeconds: number;
  /** learning models: seconds per pass over the training data */
  epochSeconds?: number[];
  /** what the model reports of its training (the walk models: walk and SGD seconds) */
  report?: unknown;
}

async function main(): Promise<void> {
  const args = benchArgs({
    dataset: 'ml-100k',
    models: MODEL_NAMES.join(','),
    seed: '2020',
    walks: '1',
    'walk-threads': '1',
    threads: '1',
    'ppr-users': '200',
    epochs: '5',
    hyper: '',
  });
  const seed = Number(args.seed);
  const epochs = Number(args.epochs);
  if (!(Number.isInteger(epochs) && epochs >= 1))
    throw new Error(`--epochs must be an integer >= 1, got ${args.epochs}`);
  const hyper = parseHyper(args.hyper);
  const names = args.models.split(',').filter((m) => m);
  for (const m of names)
    if (!MODEL_NAMES.includes(m))
      throw new Error(`--models: unknown model ${m}; have ${MODEL_NAMES.join(', ')}`);
  const entries = names.map((m) => modelEntry(m));
  checkHyperNames(hyper, entries);
  // every model's hyperparameters are checked before any data is loaded
  const resolved = entries.map((e) => hyperFor(e, hyper));
  const threads = Number(args.threads);
  if (!(Number.isInteger(threads) && threads >= 1))
    throw new Error(`--threads must be an integer >= 1, got ${args.threads}`);

  const { split, spec, loadSeconds, trainCsr, testCsr, exclude, ctx } = await loadBenchData(
    args.dataset,
    seed,
    threads,
  );
  const train = split.train;
  let t = performance.now();
  const models: Record<string, ModelFigures> = {};
  console.log('model       recall@20  ndcg@20   fit s   eval s');
  for (const [i, entry] of entries.entries()) {
    const name = entry.name;
    t = performance.now();
    const model = await entry.create(ctx, resolved[i]);
    let epochSeconds: number[] | undefined;
    if (isTrainable(model)) {
      const run = await trainLoop(model, {
        epochs,
        evalEvery: 0,
        patience: 0,
        metric: 'recall@20',
        seed,
        evaluate: () => Promise.reject(new Error('no evaluation while training')),
        // long epochs (the walk models on Gowalla) say how far they are, every tenth
        onBatch: (b) => {
          if (b.batch % Math.max(1, Math.floor(b.batches / 10)) === 0)
            console.log(
              `  ${name} epoch ${b.epoch}: batch ${b.batch} of ${b.batches}, loss ${b.loss.toFixed(4)}, ${seconds(t)} s`,
            );
        },
        onEpoch: (r) =>
          console.log(
            `  ${name} epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, ${r.seconds.toFixed(1)} s`,
          ),
      });
      epochSeconds = run.history.map((r) => Math.round(r.seconds * 10) / 10);
    }
    const fitSeconds = seconds(t);
    const trainReport = model.report?.();
    for (const line of trainReport?.lines ?? []) console.log(`  ${name} ${line}`);
    t = performance.now();
    const r = await evaluate({
      ranker: model.ranker(1),
      train: trainCsr,
      test: testCsr,
      exclude,
      ks: [20],
      itemPopularity: idCounts(train.nItems, train.items),
    });
    const evalSeconds = seconds(t);
    models[name] = {
      'recall@20': round4(r.metrics['recall@20']),
      'ndcg@20': round4(r.metrics['ndcg@20']),
      fitSeconds,
      evalSeconds,
      ...(epochSeconds && { epochSeconds }),
      ...(trainReport && { report: trainReport.data }),
    };
    console.log(
      `${name.padEnd(10)}  ${r.metrics['recall@20'].toFixed(4).padStart(9)}  ${r.metrics['ndcg@20'].toFixed(4)}  ${fitSeconds.toFixed(2).padStart(6)}  ${evalSeconds.toFixed(2).padStart(7)}`,
    );
    await model.dispose?.();
  }

  const graph = bipartiteGraph(trainCsr);
  const walkThreads = Number(args['walk-threads']);
  if (!(Number.isInteger(walkThreads) && walkThreads >= 1))
    throw new Error(`--walk-threads must be an integer >= 1, got ${args['walk-threads']}`);
  const walks =
    args.walks === '1'
      ? {
          uniform: await timeWalks(graph, 1, 1, seed, walkThreads),
          node2vec: await timeWalks(graph, 0.25, 4, seed, walkThreads),
        }
      : undefined;
  const pprUsers = Number(args['ppr-users']);
  if (!(Number.isInteger(pprUsers) && pprUsers >= 1))
    throw new Error(`--ppr-users must be an integer >= 1, got ${args['ppr-users']}`);
  const ppr = timePpr(new Ppr(ctx, {}), graph, pprUsers, seed);
  console.log(
    `push PPR per user (restart ${PPR_DEFAULTS.restart}, eps ${PPR_DEFAULTS.eps}): median ${ppr.medianMs} ms, p95 ${ppr.p95Ms} ms, max ${ppr.maxMs} ms over ${ppr.users} users`,
  );
  report({
    bench: 'graph-walks',
    dataset: spec,
    loadSeconds,
    epochs,
    threads,
    hyper,
    models,
    walks,
    ppr,
  });
}

/** node2vec walks, 10 of length 80 per node, all of them, on `threads` threads (parallelWalks). */
async function timeWalks(
  g: BipartiteGraph,
  p: number,
  q: number,
  seed: number,
  threads: number,
): Promise<{
  p: number;
  q: number;
  threads: number;
  walks: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}> {
  const length = 80;
  const o = { length, walksPerNode: 10, seed, p, q };
  const t = performance.now();
  const { nodes, count } = await parallelWalks(g, o, threads);
  const s = seconds(t);
  // the moves made (a dead end pads with -1)
  let steps = 0;
  for (let k = 0; k < nodes.length; k++) if (k % length > 0 && nodes[k] >= 0) steps++;
  const stepsPerSecond = Math.round(steps / s);
  console.log(
    `node2vec walks p=${p} q=${q} on ${threads} thread(s): ${count} walks x ${length} nodes, ${steps} steps in ${s} s (${(stepsPerSecond / 1e6).toFixed(2)} M steps/s)`,
  );
  return { p, q, threads, walks: count, steps, seconds: s, stepsPerSecond };
}

/** One user's PPR scores (the model's push and the item row it fills), for n random users. */
function timePpr(
  model: Ppr,
  g: BipartiteGraph,
  n: number,
  seed: number,
): { users: number; medianMs: number; p95Ms: number; maxMs: number } {
  const rng = new Rng(seed + 1);
  const row = new Float32Array(g.nItems);
  const ms: number[] = [];
  while (ms.length < n) {
    const u = rng.int(g.nUsers);
    if (g.indptr[u + 1] === g.indptr[u]) continue;
    row.fill(0);
    const t = performance.now();
    model.score(Int32Array.of(u), row);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (f: number): number => round2(ms[Math.min(ms.length - 1, Math.floor(f * ms.length))]);
  return { users: n, medianMs: at(0.5), p95Ms: at(0.95), maxMs: round2(ms[ms.length - 1]) };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
