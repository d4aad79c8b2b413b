/**
 * The graph models side by side on one split: Recall@20, NDCG@20, seconds per epoch and peak
 * resident memory for MF, LightGCN, NGCF, GCN, GraphSAGE and GAT.
 *
 *   npm run bench -- graph-models [--dataset ml-100k|gowalla] [--epochs 20] [--threads 2]
 *     [--models mf,lightgcn,...] [--seed 2020]
 *
 * Each model trains for the same fixed number of epochs with its registry defaults (its
 * paper's; GCN, GraphSAGE and GAT on LightGCN's d = 64, lr 1e-3, batch 2048, BPR), and is
 * evaluated once, at the end, on test (no epoch is chosen on test: there is no choice; with
 * --epochs the same for all, the table compares equal budgets, not converged models).
 * ml-100k: RecLab's default split (random per user 80/10/10, seeded; validation items are
 * excluded at test); gowalla: its given train.txt / test.txt.
 * Every model runs in a child process of its own, so its peak RSS is its own.
 * The last line is one JSON object: {"models": {"<name>": {"recall@20", "ndcg@20",
 * "epochSeconds", "peakRssMB"}}, ...}.
 */
import { modelEntry } from '../src/models/registry.js';
import {
  benchArgs,
  loadBenchData,
  report,
  runChild,
  trainAndEvaluate,
  type ModelRow as Row,
} from './common.js';

const ALL = ['mf', 'lightgcn', 'ngcf', 'gcn', 'graphsage', 'gat'];

const o = benchArgs({
  dataset: 'ml-100k',
  epochs: '20',
  threads: '2',
  models: ALL.join(','),
  seed: '2020',
  one: '',
});
const epochs = Number(o.epochs);
const threads = Number(o.threads);
const seed = Number(o.seed);

/** Child: trains and evaluates one model, prints its row as the last line. */
async function one(name: string): Promise<void> {
  const data = await loadBenchData(o.dataset, seed, threads);
  console.log(
    JSON.stringify(await trainAndEvaluate(name, name, {}, data, { epochs, seed, threads })),
  );
}

async function main(): Promise<void> {
  if (o.one) return one(o.one);
  const names = o.models.split(',').filter((x) => x);
  for (const n of names) modelEntry(n); // unknown names fail before any training
  const rows: Record<string, Row | { error: string }> = {};
  console.log(`${o.dataset}, ${epochs} epochs each, ${threads} thread(s), seed ${seed}`);
  for (const name of names) {
    rows[name] = runChild<Row>('bench/graph-models.ts', name);
  }
  console.log('\nmodel        recall@20  ndcg@20  s/epoch  peak RSS MB');
  for (const [name, row] of Object.entries(rows))
    if ('error' in row) console.log(`${name.padEnd(12)} failed`);
    else
      console.log(
        `${name.padEnd(12)} ${row['recall@20'].toFixed(4).padStart(9)}  ${row['ndcg@20'].toFixed(4)}  ${row.epochSeconds.toFixed(2).padStart(7)}  ${String(row.peakRssMB).padStart(11)}`,
      );
  report({ dataset: o.dataset, epochs, threads, seed, models: rows });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
