/**
 * The user-user graph of Last.FM (HetRec 2011): friend recommendation, and whether friendships
 * help item recommendation.
 *
 *   npm run bench -- social [--task friends|items|both] [--epochs 200] [--node2vec-epochs 5]
 *     [--node2vec-hyper name=value,...] [--seed 2020] [--threads 1]
 *
 * friends: link prediction on the friendship graph. 20% of each user's friendships are held out
 * (holdOutEdges: seeded, an undirected edge leaves both users' rows, no user loses more than its
 * share), every non-friend is ranked, Recall@20 / NDCG@20 over users with a held-out friend.
 * Models: common neighbours, Adamic-Adar, personalized PageRank (push, restart 0.5, on the
 * training friendships), and LightGCN and node2vec (its defaults: p = q = 1, 10 walks of 80
 * per node, window 10, d 128, trained for its decayEpochs = 5 passes; at that setting an epoch
 * takes minutes here, --node2vec-hyper walksPerNode=2,walkLength=40,window=5,dim=64 is ml-100k's
 * small setting in the README) given the friendships as
 * interactions users -> users (their bipartite graph is then the friendship graph's double
 * cover; node2vec scores u's copy as a user against v's copy as an item, z_u . z'_v).
 *
 * items: LightGCN on user-artist listens (implicit), RecLab's default split (random per user
 * 80/10/10, seeded; test ranked with train and validation excluded), with and without the
 * friendships added to its adjacency (hyperparameter socialEdges). Same split, seed, epochs.
 * The last line is one JSON object: {"friends": {...}, "items": {...}}.
 *
 * Measured (seed 2020, 200 epochs, 1 thread, 2 shared cores under load 5-10):
 *   friends (2,461 of 12,717 held out, 1,410 users): common neighbours 0.2768 / 0.1837,
 *   Adamic-Adar 0.2962 / 0.1945, PPR 0.3245 / 0.2094 (best), LightGCN 0.3106 / 0.1966 (27 s);
 *   node2vec at --node2vec-hyper walksPerNode=2,walkLength=40,window=5,dim=64, 5 epochs:
 *   0.2400 / 0.1366 (33 s), under common neighbours.
 *   items: LightGCN 0.2650 / 0.2126, LightGCN + friendship edges 0.2624 / 0.2118: the friends do
 *   not help at 200 epochs (-1.0% Recall@20; +1.7% after 20 epochs, 0.1658 against 0.1631).
 */
import { join } from 'node:path';
import { buildCsr, idCounts, itemUserCsr, userItemCsr } from '../src/data/csr.js';
import { loadDataset, splitDataset } from '../src/data/index.js';
import type { Csr, Dataset, Interactions } from '../src/data/types.js';
import { Rng } from '../src/util/rng.js';
import { evaluate } from '../src/eval/index.js';
import { ScoreFnRanker, type TopKRanker } from '../src/eval/ranking.js';
import {
  ADAMIC_ADAR,
  COMMON_NEIGHBOURS,
  holdOutEdges,
  neighbourScores,
} from '../src/graph/linkPrediction.js';
import { PushPpr } from '../src/graph/ppr.js';
import { LightGcn, type LightGcnHyper } from '../src/models/lightgcn.js';
import { PPR_DEFAULTS } from '../src/models/ppr.js';
import { modelEntry, resolveHyper } from '../src/models/registry.js';
import { node2vec, NODE2VEC_DEFAULTS, type Node2VecHyper } from '../src/models/node2vec.js';
import type { ModelContext, TrainableModel } from '../src/models/types.js';
import { honestSplit } from '../src/runs/selection.js';
import { epochRng } from '../src/train/trainer.js';
import { benchArgs, parseHyper, report, requireSharedDataset, seconds } from './common.js';

interface Figures {
  'recall@20': number;
  'ndcg@20': number;
  fitSeconds: number;
  evalSeconds: number;
}

interface Options {
  /** LightGCN's epochs */
  readonly epochs: number;
  /** node2vec's passes over its walks */
  readonly node2vecEpochs: number;
  /** node2vec's hyperparameters (its defaults, with --node2vec-hyper over them) */
  readonly node2vec: Partial<Node2VecHyper>;
  readonly seed: number;
  readonly threads: number;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

async function score(
  name: string,
  fit: () => Promise<TopKRanker>,
  train: Csr,
  test: Csr,
  exclude: readonly Csr[],
): Promise<Figures> {
  let t = performance.now();
  const ranker = await fit();
  const fitSeconds = seconds(t);
  t = performance.now();
  const r = await evaluate({ ranker, train, test, exclude, ks: [20] });
  await ranker.dispose?.();
  const f = {
    'recall@20': round4(r.metrics['recall@20']),
    'ndcg@20': round4(r.metrics['ndcg@20']),
    fitSeconds,
    evalSeconds: seconds(t),
  };
  console.log(
    `${name.padEnd(18)} ${f['recall@20'].toFixed(4).padStart(9)}  ${f['ndcg@20'].toFixed(4)}  ${fitSeconds.toFixed(2).padStart(6)}  ${f.evalSeconds.toFixed(2).padStart(6)}`,
  );
  return f;
}

const HEADER = 'model              recall@20  ndcg@20   fit s  eval s';

/** Trains a model for a fixed number of epochs (the trainer's per-epoch streams) and returns its ranker. */
async function trainFor(model: TrainableModel, epochs: number, o: Options): Promise<TopKRanker> {
  for (let epoch = 1; epoch <= epochs; epoch++) {
    model.beginEpoch(epoch, epochRng(o.seed, epoch));
    for (let b = 0; b < model.batchesPerEpoch(); b++) model.trainStep(b);
  }
  const ranker = model.ranker(o.threads);
  return {
    topK: (u, k, ex) => ranker.topK(u, k, ex),
    dispose: async () => {
      await ranker.dispose?.();
      await model.dispose?.();
    },
  };
}

async function trainLightGcn(
  ctx: ModelContext,
  hyper: Partial<LightGcnHyper>,
  o: Options,
): Promise<TopKRanker> {
  return trainFor(await LightGcn.create(ctx, hyper), o.epochs, o);
}

function contextOf(train: Interactions, o: Options, social?: Csr): ModelContext {
  return {
    train,
    trainCsr: userItemCsr(train),
    trainCsrT: itemUserCsr(train),
    ...(social ? { social } : {}),
    rng: new Rng(o.seed),
    threads: o.threads,
    log: () => undefined,
  };
}

/** The CSR's entries as interactions row -> column. */
function asInteractions(m: Csr): Interactions {
  const users = new Int32Array(m.indices.length);
  for (let r = 0; r < m.nRows; r++) users.fill(r, m.indptr[r], m.indptr[r + 1]);
  return { nUsers: m.nRows, nItems: m.nCols, users, items: m.indices.slice() };
}

async function friends(ds: Dataset, o: Options): Promise<Record<string, unknown>> {
  const social = ds.social;
  if (!social) throw new Error(`${ds.name} has no user-user relation`);
  const { train, test } = holdOutEdges(social, 0.2, o.seed);
  const n = social.nRows;
  const self = buildCsr(
    n,
    n,
    Int32Array.from({ length: n }, (_, u) => u),
    Int32Array.from({ length: n }, (_, u) => u),
  );
  const exclude = [train, self];
  const held = test.indptr[n] / 2;
  console.log(
    `friends: ${n} users, ${social.indptr[n] / 2} friendships, ${held} held out (${((100 * held) / (social.indptr[n] / 2)).toFixed(1)}%), ${idCounts(n, asInteractions(test).users).filter((d) => d > 0).length} users with a held-out friend`,
  );
  console.log(HEADER);
  const byScores = (w: typeof ADAMIC_ADAR) => async (): Promise<TopKRanker> =>
    new ScoreFnRanker((users, out) => neighbourScores(train, users, w, out), n);
  const ppr = async (): Promise<TopKRanker> => {
    const push = new PushPpr(train);
    const eps = 0.01 / Math.max(1, train.indptr[n]);
    return new ScoreFnRanker((users, out) => {
      for (let r = 0; r < users.length; r++)
        for (const v of push.run(users[r], PPR_DEFAULTS.restart, eps))
          out[r * n + v] = push.estimate[v];
    }, n);
  };
  const models: Record<string, Figures> = {};
  const run = async (name: string, fit: () => Promise<TopKRanker>): Promise<void> => {
    models[name] = await score(name, fit, train, test, exclude);
  };
  await run('common-neighbours', byScores(COMMON_NEIGHBOURS));
  await run('adamic-adar', byScores(ADAMIC_ADAR));
  await run('ppr', ppr);
  await run('lightgcn', () => trainLightGcn(contextOf(asInteractions(train), o), {}, o));
  await run('node2vec', () =>
    trainFor(node2vec(contextOf(asInteractions(train), o), o.node2vec), o.node2vecEpochs, o),
  );
  return { users: n, friendships: social.indptr[n] / 2, heldOut: held, models };
}

async function items(ds: Dataset, o: Options): Promise<Record<string, unknown>> {
  const split = splitDataset(ds, honestSplit(undefined, false), o.seed);
  const trainCsr = userItemCsr(split.train);
  const testCsr = userItemCsr(split.test);
  const exclude = split.valid ? [trainCsr, userItemCsr(split.valid)] : [trainCsr];
  console.log(
    `items: ${split.train.nUsers} users x ${split.train.nItems} artists, ${split.train.users.length} train / ${split.test.users.length} test, LightGCN ${o.epochs} epochs`,
  );
  console.log(HEADER);
  const models: Record<string, Figures> = {};
  for (const [name, socialEdges] of [
    ['lightgcn', false],
    ['lightgcn+friends', true],
  ] as const) {
    models[name] = await score(
      name,
      () => trainLightGcn(contextOf(split.train, o, ds.social), { socialEdges }, o),
      trainCsr,
      testCsr,
      exclude,
    );
  }
  const gain =
    models['lightgcn+friends']['recall@20'] / Math.max(1e-9, models.lightgcn['recall@20']) - 1;
  console.log(
    `friends ${gain > 0 ? 'help' : 'do not help'}: Recall@20 ${gain >= 0 ? '+' : ''}${(100 * gain).toFixed(1)}% with the friendship edges`,
  );
  return { epochs: o.epochs, models, recallGain: round4(gain) };
}

async function main(): Promise<void> {
  const args = benchArgs({
    task: 'both',
    epochs: '200',
    'node2vec-epochs': String(NODE2VEC_DEFAULTS.decayEpochs),
    'node2vec-hyper': '',
    seed: '2020',
    threads: '1',
  });
  if (!['friends', 'items', 'both'].includes(args.task))
    throw new Error(`--task must be friends, items or both, got ${args.task}`);
  const o: Options = {
    epochs: Number(args.epochs),
    node2vecEpochs: Number(args['node2vec-epochs']),
    node2vec: resolveHyper(
      modelEntry('node2vec'),
      parseHyper(args['node2vec-hyper']),
      '--node2vec-hyper',
    ) as Partial<Node2VecHyper>,
    seed: Number(args.seed),
    threads: Number(args.threads),
  };
  if (!(Number.isInteger(o.node2vecEpochs) && o.node2vecEpochs >= 1))
    throw new Error(`--node2vec-epochs must be an integer >= 1, got ${args['node2vec-epochs']}`);
  const dir = requireSharedDataset('lastfm-social');
  const t = performance.now();
  const ds = await loadDataset(`lastfm-social:${dir}`);
  const loadSeconds = seconds(t);
  console.log(`loaded ${join(dir, 'user_artists.dat')} and user_friends.dat in ${loadSeconds} s`);
  const out: Record<string, unknown> = { bench: 'social', dataset: 'lastfm-social', loadSeconds };
  if (args.task !== 'items') out.friends = await friends(ds, o);
  if (args.task !== 'friends') out.items = await items(ds, o);
  report({ ...out, epochs: o.epochs, seed: o.seed });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
