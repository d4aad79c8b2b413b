/**
 * PinSAGE and the negative samplers (issue 15): Recall@20, NDCG@20 and seconds per epoch for
 * PinSAGE with mean pooling, importance pooling, and importance pooling with hard negatives on
 * the curriculum, beside MF and LightGCN with and without hard negatives.
 *
 *   npm run bench -- pinsage [--dataset ml-100k|gowalla] [--epochs 20] [--threads 2]
 *     [--models pinsage-mean,mf,...] [--seed 2020]
 *
 * Each row trains for the same fixed number of epochs with its registry defaults plus the
 * row's hyperparameters, and is evaluated once, at the end, on test (no choice is made on
 * test). "+hard" is the PinSAGE recipe: 500 shared negatives per mini-batch, and hard
 * negatives from the user's personalized-PageRank rank window (ranks 5%-20% of the catalogue)
 * added on the curriculum (epoch n: n - 1 per positive, at most hardNegatives). Every row runs
 * in a child process of its own. The last line is one JSON object: {"models": {"<row>":
 * {"recall@20", "ndcg@20", "epochSeconds", "peakRssMB"}}, "twoStage": ...}; "twoStage" is
 * filled by bench/twoStage.ts's table (null until then).
 */
import type { Hyperparameters } from '../src/models/types.js';
import {
  benchArgs,
  loadBenchData,
  report,
  runChild,
  trainAndEvaluate,
  type ModelRow as Row,
} from './common.js';

/** Hard negatives on the curriculum, with the shared negatives they come in addition to. */
const HARD = { sharedNegatives: 500, hardNegatives: 6, curriculum: true } as const;

/** The rows of the models table: a registry model and the hyperparameters it runs with. */
export function pinsageRows(): Record<string, { model: string; hyper: Hyperparameters }> {
  return {
    mf: { model: 'mf', hyper: {} },
    'mf+hard': { model: 'mf', hyper: HARD },
    lightgcn: { model: 'lightgcn', hyper: {} },
    'lightgcn+hard': { model: 'lightgcn', hyper: HARD },
    'pinsage-mean': { model: 'pinsage', hyper: { pooling: 'mean' } },
    'pinsage-importance': { model: 'pinsage', hyper: {} },
    'pinsage-importance+hard': { model: 'pinsage', hyper: HARD },
  };
}

const ROWS = pinsageRows();
const o = benchArgs({
  dataset: 'ml-100k',
  epochs: '20',
  threads: '2',
  models: Object.keys(ROWS).join(','),
  seed: '2020',
  one: '',
});
const epochs = Number(o.epochs);
const threads = Number(o.threads);
const seed = Number(o.seed);

/** Child: trains and evaluates one row, prints it as the last line. */
async function one(name: string): Promise<void> {
  const { model, hyper } = ROWS[name];
  const data = await loadBenchData(o.dataset, seed, threads);
  const row = await trainAndEvaluate(name, model, hyper, data, { epochs, seed, threads }, 5);
  console.log(JSON.stringify(row));
}

async function main(): Promise<void> {
  if (o.one) return one(o.one);
  const names = o.models.split(',').filter((x) => x);
  for (const n of names) if (!ROWS[n]) throw new Error(`no row ${n}; have ${Object.keys(ROWS)}`);
  const rows: Record<string, Row | { error: string }> = {};
  console.log(`${o.dataset}, ${epochs} epochs each, ${threads} thread(s), seed ${seed}`);
  for (const name of names) rows[name] = runChild<Row>('bench/pinsage.ts', name);
  console.log('\nrow                      recall@20  ndcg@20  s/epoch  peak RSS MB');
  for (const [name, row] of Object.entries(rows))
    if ('error' in row) console.log(`${name.padEnd(24)} failed`);
    else
      console.log(
        `${name.padEnd(24)} ${row['recall@20'].toFixed(4).padStart(9)}  ${row['ndcg@20'].toFixed(4)}  ${row.epochSeconds.toFixed(2).padStart(7)}  ${String(row.peakRssMB).padStart(11)}`,
      );
  report({ dataset: o.dataset, epochs, threads, seed, models: rows, twoStage: null });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
