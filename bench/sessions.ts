/**
 * `npm run bench -- sessions [--dataset diginetica-sample|ml-100k] [--epochs N] [--hyper a=1,b=x]`
 * GRU4Rec against popularity and session item-kNN on next-item prediction, full ranking over
 * all items, nothing excluded:
 *  - diginetica-sample: SR-GNN's preprocessing and last-7-days split (data/sequences.ts
 *    sessionSplit); every event of the test sessions after the first; Recall@20, MRR@20;
 *  - ml-100k: RecBole's sequential protocol (leaveLastOut: last item test, the one before
 *    validation, inputs cut to 50); Recall@10/20, MRR@10/20. GRU4Rec as RecBole's (embedding
 *    64, hidden 128, CE loss) unless --hyper says otherwise.
 * GRU4Rec's figures are those of the last epoch (no selection). Prints a table, then the
 * last-line JSON {"models": {...}}.
 */
import { join } from 'node:path';
import { loadDataset } from '../src/data/index.js';
import { loadSessions } from '../src/data/loaders/sessions.js';
import {
  leaveLastOut,
  sequenceCount,
  sessionSplit,
  type NextItemCases,
  type NextItemSplit,
} from '../src/data/sequences.js';
import { buildCsr } from '../src/data/csr.js';
import { Rng } from '../src/util/rng.js';
import { evaluateNextItem, type NextItemScorer } from '../src/eval/nextItem.js';
import { Gru4Rec } from '../src/models/gru4rec.js';
import { popularityScorer, sessionItemKnnScorer } from '../src/models/sessionBaselines.js';
import type { ModelContext } from '../src/models/types.js';
import { epochRng } from '../src/train/trainer.js';
import { benchArgs, parseHyper, report, requireSharedDataset, seconds } from './common.js';

const o = benchArgs({
  dataset: 'diginetica-sample',
  epochs: '',
  hyper: '',
  seed: '2020',
  threads: '1',
});
const seed = Number(o.seed);
const digi = o.dataset === 'diginetica-sample';
if (!digi && o.dataset !== 'ml-100k')
  throw new Error(`--dataset must be diginetica-sample or ml-100k, got ${o.dataset}`);
const ks = digi ? [20] : [10, 20];
const epochs = Number(o.epochs || (digi ? 30 : 20));
const hyper = {
  ...(digi ? {} : { dim: 64, hidden: 128, sessionLoss: 'ce', batchSize: 64 }),
  ...parseHyper(o.hyper),
};

async function load(): Promise<{ split: NextItemSplit; spec: string }> {
  if (digi) {
    const file = join(requireSharedDataset('diginetica-sample'), 'train-item-views-sample.csv');
    const log = await loadSessions(file, {
      columns: {
        session: 'session_id',
        item: 'item_id',
        timestamp: 'eventdate',
        order: 'timeframe',
      },
    });
    return {
      split: sessionSplit(log),
      spec: `sessions:${file} (SR-GNN preprocessing, last 7 days test)`,
    };
  }
  const spec = `recbole:${join(requireSharedDataset('ml-100k'), 'ml-100k.inter')}`;
  const ds = await loadDataset(spec);
  return {
    split: leaveLastOut(ds.interactions, 50),
    spec: `${spec} (leave-one-out, inputs cut to 50)`,
  };
}

/** The training sequences as interactions: sequence s is user s, its positions the times. */
function contextOf(split: NextItemSplit): ModelContext {
  const { offsets, items } = split.train;
  const n = sequenceCount(split.train);
  const users = new Int32Array(items.length);
  const timestamps = new Float64Array(items.length);
  for (let s = 0; s < n; s++)
    for (let p = offsets[s]; p < offsets[s + 1]; p++) {
      users[p] = s;
      timestamps[p] = p - offsets[s];
    }
  const train = { nUsers: n, nItems: split.nItems, users, items, timestamps };
  return {
    train,
    trainCsr: buildCsr(n, split.nItems, users, items),
    trainCsrT: buildCsr(split.nItems, n, items, users),
    rng: new Rng(seed),
    threads: Number(o.threads),
    log: () => undefined,
  };
}

type Row = Record<string, number>;
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

async function scored(scorer: NextItemScorer, cases: NextItemCases): Promise<Row> {
  const r = await evaluateNextItem(scorer, cases, ks);
  const row: Row = {};
  for (const k of ks) {
    row[`recall@${k}`] = round4(r.metrics[`recall@${k}`]);
    row[`mrr@${k}`] = round4(r.metrics[`mrr@${k}`]);
  }
  return { ...row, evalSeconds: round4(r.seconds) };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const { split, spec } = await load();
  console.log(
    `${spec}: ${split.nItems} items, ${sequenceCount(split.train)} training sequences (${split.train.items.length} events), ${split.test.targets.length} test cases${split.valid ? `, ${split.valid.targets.length} validation cases` : ''}; loaded in ${seconds(t0)} s`,
  );
  const models: Record<string, Row> = {};
  models.popularity = await scored(popularityScorer(split.train, split.nItems), split.test);
  models['session-itemknn'] = await scored(
    sessionItemKnnScorer(split.train, split.nItems),
    split.test,
  );
  models['itemknn+repeat'] = await scored(
    sessionItemKnnScorer(split.train, split.nItems, 100, true),
    split.test,
  );
  let repeats = 0;
  const c = split.test;
  for (let k = 0; k < c.targets.length; k++)
    if (c.inputs.items[c.inputs.offsets[k + 1] - 1] === c.targets[k]) repeats++;
  console.log(
    `test cases whose target repeats the last input item: ${repeats} of ${c.targets.length}`,
  );

  const gru = await Gru4Rec.create(contextOf(split), hyper);
  let trainSeconds = 0;
  let cpuSeconds = 0;
  let lastLoss = 0;
  for (let e = 1; e <= epochs; e++) {
    const t = performance.now();
    // CPU time beside wall time: on a shared machine the wall clock says more about the load
    const cpu0 = process.cpuUsage();
    gru.beginEpoch(e, epochRng(seed, e));
    const batches = gru.batchesPerEpoch();
    let loss = 0;
    for (let b = 0; b < batches; b++) loss += gru.trainStep(b);
    const s = seconds(t);
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    trainSeconds += s;
    cpuSeconds += cpu;
    lastLoss = loss / batches;
    if (e === 1 || e === epochs || e % 5 === 0)
      console.log(
        `gru4rec epoch ${e}: loss ${lastLoss.toFixed(5)}, ${batches} steps, ${s} s (${cpu.toFixed(1)} s CPU)`,
      );
  }
  const valid = split.valid ? await scored(gru, split.valid) : undefined;
  models.gru4rec = {
    ...(await scored(gru, split.test)),
    epochs,
    epochSeconds: round4(trainSeconds / epochs),
    epochCpuSeconds: round4(cpuSeconds / epochs),
    loss: round4(lastLoss),
    ...(valid ? { [`valid recall@${ks[0]}`]: valid[`recall@${ks[0]}`] } : {}),
  };
  await gru.dispose();

  const cols = [...ks.flatMap((k) => [`recall@${k}`, `mrr@${k}`]), 'epochSeconds'];
  console.log(['model'.padEnd(16), ...cols.map((c) => c.padStart(12))].join(''));
  for (const [name, row] of Object.entries(models))
    console.log([name.padEnd(16), ...cols.map((c) => String(row[c] ?? '-').padStart(12))].join(''));
  report({ dataset: o.dataset, spec, hyper, models });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
