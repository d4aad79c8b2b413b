/**
 * A long reproduction run that survives interruptions: trains an experiment file of
 * bench/reproduce/ into .reclab/runs, or, when a run of that name already exists and did not
 * finish, resumes it from its last epoch's checkpoint (model and Adam state, per-epoch seeded
 * sampling: the same numbers as an uninterrupted run). Then prints the learning curve.
 *
 *   npm run bench -- reproduce --experiment lightgcn-gowalla-fast [--epochs N] [--curve-only 1]
 *
 * (--experiment takes a name in bench/reproduce/ or the path of any experiment file.)
 *
 * --epochs stops this invocation earlier (the total stays the file's), so a run can be done in
 * slices; --curve-only prints the curve of the existing run without training.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { benchArgs, peakRssMB, report, requireSharedDataset } from './common.js';
import { readExperimentFile } from '../src/runs/experiment.js';
import { listRuns } from '../src/runs/store.js';
import { runExperiment } from '../src/runs/runExperiment.js';
import type { RunRecord } from '../src/runs/format.js';
import { paperNumbers } from '../src/eval/paperNumbers.js';
import { runSourceFiles } from '../src/data/fingerprint.js';
import { SELECTED_ON_TEST } from '../src/runs/selection.js';
import { rateChanges } from '../src/train/lrSchedule.js';

function latest(name: string): RunRecord | undefined {
  return listRuns(join(process.cwd(), '.reclab', 'runs'))
    .filter((r) => r.meta?.name === name)
    .sort((a, b) => a.id.localeCompare(b.id))
    .at(-1);
}

function printCurve(run: RunRecord): void {
  console.log(`run ${run.id} (${run.state.status}), ${run.history.length} epochs`);
  // the rate only when a schedule changes it, so constant-rate curves print as before
  const scheduled = rateChanges(run.history);
  console.log(`epoch  train s  loss      recall@20  ndcg@20${scheduled ? '  lr' : ''}`);
  for (const e of run.history) {
    if (!e.metrics) continue;
    const m = e.metrics;
    console.log(
      `${String(e.epoch).padStart(5)}  ${e.seconds.toFixed(1).padStart(7)}  ${e.loss.toFixed(5)}  ${(m['recall@20'] ?? NaN).toFixed(4).padStart(9)}  ${(m['ndcg@20'] ?? NaN).toFixed(4)}${scheduled ? `  ${e.lr?.toExponential(2) ?? '-'}` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const args = benchArgs({ experiment: 'lightgcn-gowalla-fast', epochs: '0', 'curve-only': '0' });
  const file = args.experiment.endsWith('.json')
    ? args.experiment
    : join('bench', 'reproduce', `${args.experiment}.reclab.json`);
  if (!existsSync(file)) throw new Error(`no experiment file ${file}`);
  const config = readExperimentFile(file);
  const shared = /shared[\\/]datasets[\\/]([^\\/]+)/.exec(config.dataset);
  if (shared) requireSharedDataset(shared[1]);
  const name = config.name ?? args.experiment;
  let run = latest(name);
  const trains = args['curve-only'] !== '1' && run?.state.status !== 'done';
  if (trains) {
    const total = config.epochs ?? 20;
    const done = run?.history.at(-1)?.epoch ?? 0;
    const stopAt = Number(args.epochs) > 0 ? Math.min(total, done + Number(args.epochs)) : total;
    console.log(
      run
        ? `resuming ${run.id} at epoch ${done + 1} of ${total} (this slice: to ${stopAt})`
        : `starting ${name}: ${total} epochs (this slice: to ${stopAt})`,
    );
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    await runExperiment(
      { ...config, epochs: total },
      {
        workspace: process.cwd(),
        resume: run,
        signal: ac.signal,
        log: (m) => console.log(m),
        // runExperiment logs each epoch; this only ends the slice
        onEpoch: (e) => {
          if (e.epoch >= stopAt && stopAt < total) ac.abort();
        },
      },
    ).catch((e: unknown) => {
      if (!ac.signal.aborted) throw e;
      console.log('stopped; run it again to continue');
    });
    run = latest(name);
  }
  if (!run) throw new Error(`no run named ${name} under .reclab/runs`);
  printCurve(run);
  const evaluated = run.history.filter((e) => e.metrics);
  const best = evaluated.reduce<(typeof evaluated)[number] | undefined>(
    (b, e) => (b && (b.metrics?.['recall@20'] ?? 0) >= (e.metrics?.['recall@20'] ?? 0) ? b : e),
    undefined,
  );
  const model = run.meta?.model ?? config.model;
  // the papers' Recall@20 / NDCG@20 when the run read the papers' Gowalla files (by sha256)
  const files = run.meta ? runSourceFiles(run.meta, process.cwd()) : undefined;
  const paper = paperNumbers(model, { files, split: run.meta?.config.split });
  report({
    bench: 'reproduce',
    experiment: name,
    run: run.id,
    status: run.state.status,
    epochs: run.history.at(-1)?.epoch ?? 0,
    of: config.epochs,
    trainSeconds: Math.round(run.history.reduce((s, e) => s + e.seconds, 0)),
    // the papers report their best test epoch; so does this, labelled as such
    selection: `best test epoch ${SELECTED_ON_TEST}`,
    bestEpoch: best?.epoch,
    'recall@20': best?.metrics?.['recall@20'],
    'ndcg@20': best?.metrics?.['ndcg@20'],
    lastEvaluatedEpoch: evaluated.at(-1)?.epoch,
    lastRecall: evaluated.at(-1)?.metrics?.['recall@20'],
    paperRecall: paper?.recall,
    paperNdcg: paper?.ndcg,
    paperSource: paper?.source,
    // this process's peak: a figure of the run only when it trained here
    peakRssMB: trains ? peakRssMB() : 'not measured (no training in this invocation)',
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
