/**
 * `npm run bench -- twoStage [--dataset ml-100k|gowalla] [--candidates 100] [--threads 1]`:
 * two-stage retrieval, generators x rankers. Each row: the generator's candidate recall@100,
 * @500, @1000, the final list's Recall@20 / NDCG@20 (full ranking, train and validation items
 * excluded), and the seconds spent generating, ranking (the test users) and training. Ranker
 * "none" is the generator's own top-20: what the second stage has to beat. Fixed epochs, no
 * selection on validation (mlp: 4, mf: 60, its defaults). Last line: {"twoStage": {rows, ...}}.
 */
import { Rng } from '../src/util/rng.js';
import { evaluate } from '../src/eval/evaluate.js';
import { candidateRecall } from '../src/eval/stages.js';
import { modelEntry, resolveHyper } from '../src/models/registry.js';
import type { TwoStage } from '../src/models/twoStage.js';
import { evaluateStages, STAGE_CUTOFFS } from '../src/models/twoStageEval.js';
import {
  benchArgs,
  loadBenchData,
  report,
  seconds,
  trainEpochs,
  type BenchData,
} from './common.js';

export interface TwoStageRow {
  readonly generator: string;
  readonly ranker: string;
  /** "recall@N" of the generator's candidates */
  readonly candidateRecall: Record<string, number>;
  readonly recall20: number;
  readonly ndcg20: number;
  readonly generateSeconds: number;
  readonly rankSeconds: number;
  readonly trainSeconds: number;
}

const EPOCHS: Record<string, number> = { mlp: 4, mf: 60 };

/** The generator alone: its candidate recalls and its top-20 as the final list. */
async function generatorRow(d: BenchData, generator: string, threads: number) {
  const entry = modelEntry(generator);
  const model = await entry.create(d.ctx, entry.defaults);
  const ranker = model.ranker(threads);
  try {
    const users = Int32Array.from({ length: d.testCsr.nRows }, (_, u) => u).filter(
      (u) => d.testCsr.indptr[u + 1] > d.testCsr.indptr[u],
    );
    const width = Math.max(...STAGE_CUTOFFS);
    const lists = { users, width, items: await ranker.topK(users, width, d.exclude) };
    const r = await evaluate({
      ranker,
      train: d.trainCsr,
      test: d.testCsr,
      exclude: d.exclude,
      ks: [20],
    });
    return {
      generator,
      ranker: 'none',
      candidateRecall: candidateRecall(lists, d.testCsr, STAGE_CUTOFFS),
      recall20: r.metrics['recall@20'],
      ndcg20: r.metrics['ndcg@20'],
      generateSeconds: r.seconds,
      rankSeconds: 0,
      trainSeconds: 0,
    };
  } finally {
    await ranker.dispose?.();
    await model.dispose?.();
  }
}

async function pipelineRow(
  d: BenchData,
  generator: string,
  rankerName: string,
  candidates: number,
  seed: number,
  threads: number,
): Promise<TwoStageRow> {
  const entry = modelEntry('twostage');
  const hyper = resolveHyper(entry, { generator, ranker: rankerName, candidates });
  // a fresh seeded stream per row: a row's figures do not depend on the rows before it
  const model = (await entry.create({ ...d.ctx, rng: new Rng(seed) }, hyper)) as TwoStage;
  try {
    const label = `${generator}+${rankerName}`;
    const trainSeconds = await trainEpochs(label, model, EPOCHS[rankerName] ?? 10, seed, 100);
    const r = await evaluateStages(model, {
      test: d.testCsr,
      exclude: d.exclude,
      ks: [20],
      threads,
    });
    return {
      generator,
      ranker: rankerName,
      candidateRecall: r.candidateRecall,
      recall20: r.metrics['recall@20'],
      ndcg20: r.metrics['ndcg@20'],
      generateSeconds: r.generateSeconds,
      rankSeconds: r.rankSeconds,
      trainSeconds,
    };
  } finally {
    await model.dispose();
  }
}

/** Every generator with every ranker ("none": the generator alone), one row each. */
export async function twoStageTable(
  d: BenchData,
  o: {
    generators: readonly string[];
    rankers: readonly string[];
    candidates: number;
    seed: number;
    threads: number;
  },
): Promise<TwoStageRow[]> {
  const rows: TwoStageRow[] = [];
  for (const g of o.generators)
    for (const r of o.rankers) {
      const t = performance.now();
      rows.push(
        r === 'none'
          ? await generatorRow(d, g, o.threads)
          : await pipelineRow(d, g, r, o.candidates, o.seed, o.threads),
      );
      console.log(`${g} + ${r}: ${seconds(t)} s`);
    }
  return rows;
}

/** The table as text: one line per row. */
export function formatTwoStageTable(rows: readonly TwoStageRow[]): string {
  const head = [
    'generator',
    'ranker',
    ...STAGE_CUTOFFS.map((n) => `cand@${n}`),
    'recall@20',
    'ndcg@20',
    'gen s',
    'rank s',
    'train s',
  ];
  const lines = rows.map((r) => [
    r.generator,
    r.ranker,
    ...STAGE_CUTOFFS.map((n) => r.candidateRecall[`recall@${n}`].toFixed(4)),
    r.recall20.toFixed(4),
    r.ndcg20.toFixed(4),
    r.generateSeconds.toFixed(2),
    r.rankSeconds.toFixed(2),
    r.trainSeconds.toFixed(1),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  return [head, ...lines].map((l) => l.map((x, c) => x.padEnd(widths[c])).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const a = benchArgs({
    dataset: 'ml-100k',
    candidates: '100',
    generators: 'popularity,itemknn,rp3beta',
    rankers: 'none,mlp,mf',
    seed: '2020',
    threads: '1',
  });
  const seed = Number(a.seed);
  const threads = Number(a.threads);
  const d = await loadBenchData(a.dataset, seed, threads);
  const rows = await twoStageTable(
    { ...d, ctx: { ...d.ctx, log: () => undefined } },
    {
      generators: a.generators.split(','),
      rankers: a.rankers.split(','),
      candidates: Number(a.candidates),
      seed,
      threads,
    },
  );
  console.log(formatTwoStageTable(rows));
  report({
    twoStage: { dataset: a.dataset, candidates: Number(a.candidates), epochs: EPOCHS, rows },
  });
}

// the pinsage bench imports twoStageTable: run only as a script
if (process.argv[1]?.endsWith('twoStage.ts'))
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
